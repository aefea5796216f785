import { assert, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { DummyDataset } from "../data/datasets.ts";
import { Classifier } from "../models/classifier.ts";
import { trainClassifier } from "./classifier_train.ts";

Deno.test("trainClassifier learns an easy labelling, leaks nothing, and the judge predicts it", async () => {
  // Labels that the pixels decide: bright images are class 1, dark ones class 0.
  const data = new DummyDataset({ length: 128, seed: 2, classes: 2 });
  const mean = (i: number) => {
    const per = 28 * 28;
    let s = 0;
    for (let k = 0; k < per; k++) s += data.pixels[i * per + k];
    return s / per;
  };
  const means = Array.from({ length: data.length }, (_, i) => mean(i));
  const cut = [...means].sort((a, b) => a - b)[data.length / 2];
  means.forEach((m, i) => data.labels[i] = m >= cut ? 1 : 0);
  const judge = new Classifier({ classes: 2, channels: 8, seed: 1 });
  const before = judge.accuracy(data);
  const tensors = tf.memory().numTensors;
  const r = await trainClassifier(judge, data, { steps: 60, batchSize: 32, lr: 1e-2 });
  assertEquals(tf.memory().numTensors, tensors);
  assertEquals(r.steps, 60);
  assert(Number.isFinite(r.loss));
  const after = judge.accuracy(data);
  assert(after >= 0.85 && after > before, `accuracy ${before} -> ${after}`);
  const { xBhwc, labels } = data.batch(Int32Array.from([0, 1, 2]));
  assertEquals(judge.predict(xBhwc).length, 3);
  tf.dispose([xBhwc, labels]);
  judge.dispose();
});
