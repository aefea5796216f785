import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { loadWeightsInto } from "./checkpoint.ts";
import { readSnapshots, SnapshotTaker } from "./snapshots.ts";

Deno.test("SnapshotTaker saves the model once at each planned minute and step, readSnapshots lists them", async () => {
  const dir = await makeTempDir();
  const w = tf.variable(tf.zeros([2]));
  const model = { config: { kind: "toy" }, variables: () => new Map([["w", w]]) };
  const taker = new SnapshotTaker({ dir, minutes: [0.01, 0.02], steps: [3, 4] });
  const saved = [];
  // Step s ends at s × 0.3 s of training: 0.6 s (0.01 min) is reached at step 2, 1.2 s at step 4.
  for (let step = 1; step <= 6; step++) {
    w.assign(tf.fill([2], step));
    const s = await taker.after(model, step, step * 300);
    if (s) saved.push(s.step);
  }
  assertEquals(saved, [2, 3, 4]);
  const found = await readSnapshots(dir);
  assertEquals(found.map((s) => [s.step, s.seconds]), [[2, 0.6], [3, 0.9], [4, 1.2]]);
  await loadWeightsInto(found[1].dir, model);
  assertEquals(Array.from(w.dataSync()), [3, 3]); // the weights as they were at step 3
  // A resumed run does not take again what it passed.
  const resumed = new SnapshotTaker({ dir, minutes: [0.01, 0.02], steps: [3, 4, 8] }, {
    step: 4,
    ms: 1200,
  });
  assertEquals(await resumed.after(model, 5, 1500), undefined);
  assertEquals((await resumed.after(model, 8, 2400))?.step, 8);
  assertEquals(await readSnapshots(`${dir}/missing`), []);
  assertThrows(() => new SnapshotTaker({ dir, minutes: [-1] }), InputError, "positive");
  w.dispose();
});
