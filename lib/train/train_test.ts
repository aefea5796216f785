import { assert, assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import { assertClose } from "../../testing/assert_tensors.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { InputError } from "../core/errors.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { tf } from "../core/backend.ts";
import { DummyDataset } from "../data/datasets.ts";
import { cachedTensors } from "../core/tensor_caches.ts";
import { type MetricsRecord, train } from "./train.ts";
import { VQVAE } from "../models/vqvae.ts";

Deno.test("train: steps, metrics callbacks, a falling loss, no leaked tensors", async () => {
  const trainSet = new DummyDataset({ length: 64, seed: 1 });
  const testSet = new DummyDataset({ length: 32, seed: 2 });
  const model = new VQVAE({ channels: 16, latentChannels: 8, vocabSize: 32, patchNums: [1, 3, 7] });
  const seen: MetricsRecord[] = [];
  const before = tf.memory().numTensors - cachedTensors().total;
  const result = await train(model, trainSet, testSet, {
    steps: 30,
    batchSize: 16,
    lr: 3e-3,
    evalEvery: 10,
    restartEvery: 10,
    log: null,
    onMetrics: (m) => {
      seen.push(m);
    },
  });
  assertEquals(result.steps, 30);
  assertEquals(seen.map((m) => m.step), [10, 20, 30]);
  assertEquals(result.test.images, 32);
  assert(result.history[2].loss < result.history[0].loss, "the loss falls");
  assert(result.test.psnr > 0 && result.test.usage > 0 && result.test.usage <= 1);
  assertEquals(result.test.usagePerScale.length, 3);
  // Interpolation matrices are cached for the process; nothing else may stay behind.
  assertEquals(tf.memory().numTensors - cachedTensors().total, before);
  model.dispose();
});

Deno.test("train needs a budget", async () => {
  const d = new DummyDataset({ length: 8 });
  const model = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, patchNums: [7] });
  await assertRejects(() => train(model, d, d, { log: null }), Error, "steps or minutes");
  model.dispose();
});

Deno.test("train: whole-test-set metrics at the milestones the budget reaches", async () => {
  const d = new DummyDataset({ length: 32, seed: 3 });
  const model = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, patchNums: [1, 7] });
  // 1.2 s of training: the 0.1 s milestone inside the run, 0.02 min = the budget at its end,
  // 1 minute never reached.
  const result = await train(model, d, d, {
    minutes: 0.02,
    batchSize: 8,
    log: null,
    milestoneMinutes: [1, 0.02, 0.1 / 60],
  });
  assertEquals(result.atMinutes.map((m) => m.minutes), [0.1 / 60, 0.02]);
  const [inside, end] = result.atMinutes;
  assert(inside.seconds >= 0.1 && inside.step < end.step, "measured when 0.1 s was reached");
  assertEquals(end.step, result.steps);
  assertEquals(end.test, result.test);
  assertEquals(inside.test.images, 32);
  model.dispose();
});

Deno.test("train: a run saved, interrupted and resumed ends as the same run uninterrupted", async () => {
  const dir = await makeTempDir();
  const trainSet = new DummyDataset({ length: 64, seed: 4 });
  const testSet = new DummyDataset({ length: 16, seed: 5 });
  const config = { channels: 8, latentChannels: 4, vocabSize: 16, patchNums: [1, 3, 7], seed: 2 };
  const options = { steps: 12, batchSize: 8, evalEvery: 4, restartEvery: 5, log: null };

  const straight = new VQVAE(config);
  const whole = await train(straight, trainSet, testSet, options);

  // The same run, stopped by its signal after step 8 (at the record of step 8).
  const abort = new AbortController();
  const first = new VQVAE(config);
  const cut = await train(first, trainSet, testSet, {
    ...options,
    checkpointDir: dir,
    signal: abort.signal,
    onMetrics: (m) => {
      if (m.step === 8) abort.abort();
    },
  });
  first.dispose();
  assertEquals([cut.steps, cut.interrupted], [8, true]);

  const { model: again, manifest } = await loadCheckpoint(dir);
  assertEquals((manifest.metrics.run as { step: number }).step, 8);
  const rest = await train(again, trainSet, testSet, {
    ...options,
    checkpointDir: dir,
    resume: true,
  });
  assertEquals([rest.steps, rest.interrupted], [12, false]);
  assertEquals(rest.history.map((m) => m.step), [4, 8, 12], "the history goes on");
  // Optimizer moments, dead-code state and batch order came back: the same weights.
  for (const [name, v] of straight.variables()) {
    assertClose(again.variables().get(name)!, v, 1e-5, name);
  }
  assertAlmostEquals(rest.test.mse, whole.test.mse, 1e-6);
  straight.dispose();
  again.dispose();
  await assertRejects(
    () =>
      train(new VQVAE(config), new DummyDataset({ length: 64, seed: 9 }), testSet, {
        ...options,
        checkpointDir: dir,
        resume: true,
      }),
    InputError,
    "not on dummy-9",
  );
});
