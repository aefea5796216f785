import { assert, assertAlmostEquals, assertEquals, assertRejects, assertThrows } from "@std/assert";
import { budgetedLoop, epochBatches, learningRate } from "./loop.ts";

Deno.test("learning rate: linear warm-up, then cosine decay to the final ratio", () => {
  const o = { lr: 1e-3, warmupSteps: 10, finalLrRatio: 0.1 };
  assertAlmostEquals(learningRate(0, 0, o), 1e-4, 1e-12);
  assertAlmostEquals(learningRate(9, 0, o), 1e-3, 1e-12);
  assertAlmostEquals(learningRate(50, 0.5, o), 1e-3 * (0.1 + 0.9 * 0.5), 1e-12);
  assertAlmostEquals(learningRate(99, 1, o), 1e-4, 1e-12);
});

Deno.test("epochBatches: seeded shuffles, full batches, a new order every epoch", () => {
  const it = epochBatches(10, 4, 3);
  const take = (n: number) => Array.from({ length: n }, () => Array.from(it.next().value!));
  const [a, b, c, d] = take(4);
  // Two full batches per epoch of 10 (2 rows dropped), all distinct within an epoch.
  assertEquals(new Set([...a, ...b]).size, 8);
  assertEquals(new Set([...c, ...d]).size, 8);
  assertEquals([a, b].join() === [c, d].join(), false);
  // The same seed gives the same sequence.
  const again = epochBatches(10, 4, 3);
  assertEquals(Array.from(again.next().value!), a);
  assertThrows(() => epochBatches(3, 4, 0).next(), Error, "batchSize must be in 1..3");
});

Deno.test("budgetedLoop: stops at the step budget, sets the schedule, reports every step", async () => {
  const optimizer = { learningRate: 0 };
  const lrs: number[] = [];
  const done: number[] = [];
  const r = await budgetedLoop({
    what: "demo",
    steps: 5,
    lr: 1e-2,
    warmupSteps: 1,
    length: 8,
    batchSize: 2,
    seed: 0,
    optimizer,
    step: ({ lr }) => {
      lrs.push(optimizer.learningRate);
      assertEquals(optimizer.learningRate, lr);
      return 1;
    },
    after: (d) => {
      done.push(d.step);
    },
  });
  assertEquals(r.steps, 5);
  assertEquals(done, [1, 2, 3, 4, 5]);
  assertAlmostEquals(lrs[0], 1e-2, 1e-12);
  assertEquals(lrs[4] < lrs[1], true); // decaying
});

Deno.test("budgetedLoop: a time budget ends it; no budget or a NaN loss is an error", async () => {
  const r = await budgetedLoop({
    what: "demo",
    minutes: 0.0005, // 30 ms
    length: 4,
    batchSize: 4,
    seed: 0,
    optimizer: { learningRate: 0 },
    step: () => {
      const until = performance.now() + 5;
      while (performance.now() < until) { /* a 5 ms step */ }
      return 0;
    },
  });
  // Steps of at least 5 ms: at most 6 fit into 30 ms, and training stops once 30 ms are spent.
  assertEquals(r.steps >= 1 && r.steps <= 6 && r.seconds >= 0.03, true, `${r.steps} steps`);
  const base = { length: 4, batchSize: 2, seed: 0, optimizer: { learningRate: 0 } };
  await assertRejects(
    () => budgetedLoop({ ...base, what: "demo", step: () => 0 }),
    Error,
    "demo: give steps or minutes",
  );
  await assertRejects(
    () => budgetedLoop({ ...base, what: "demo", steps: 3, step: () => NaN }),
    Error,
    "demo: the loss became NaN at step 1",
  );
});

Deno.test("budgetedLoop: a resumed run skips its batches; abort stops it; saves and progress", async () => {
  const seen: string[] = [];
  const base = {
    what: "demo",
    length: 12,
    batchSize: 4,
    seed: 5,
    optimizer: { learningRate: 0 },
  };
  await budgetedLoop({
    ...base,
    steps: 6,
    step: ({ indices }) => (seen.push(Array.from(indices).join()), 1),
  });
  // Resume at step 4 of the same budget: the last two batches of the full run, no more.
  const resumed: string[] = [];
  const saves: number[] = [];
  const reports: number[] = [];
  const r = await budgetedLoop({
    ...base,
    steps: 6,
    start: { step: 4, ms: 10 },
    step: ({ indices }) => (resumed.push(Array.from(indices).join()), 2),
    save: (at) => {
      saves.push(at.step);
    },
    saveEveryMinutes: 0,
    progress: (p) => reports.push(p.step, p.loss),
    progressEveryMs: 0,
  });
  assertEquals(resumed, seen.slice(4));
  assertEquals(r.steps, 6);
  assertEquals(r.interrupted, false);
  assert(r.seconds >= 0.01, "the time before the resume counts");
  assertEquals(saves, [5], "saved between steps, not after the last");
  assertEquals(reports, [5, 2, 6, 2]);

  const abort = new AbortController();
  const cut = await budgetedLoop({
    ...base,
    steps: 100,
    signal: abort.signal,
    step: ({ step }) => (step === 2 && abort.abort(), 1),
  });
  assertEquals([cut.steps, cut.interrupted], [3, true]);
});
