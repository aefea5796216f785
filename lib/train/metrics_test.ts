import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { DummyDataset } from "../data/datasets.ts";
import { VQVAE } from "../models/vqvae.ts";
import { evaluate, psnrFromMse } from "./metrics.ts";

Deno.test("psnrFromMse: 10·log10(1 / mse)", () => {
  assertAlmostEquals(psnrFromMse(0.01), 20, 1e-12);
  assertAlmostEquals(psnrFromMse(1), 0, 1e-12);
});

Deno.test("evaluate: MSE and PSNR agree with a direct reconstruction; usage and perplexity in range; no leaks", () => {
  const data = new DummyDataset({ length: 24, seed: 4 });
  const model = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, patchNums: [1, 3, 7] });
  evaluate(model, data, { limit: 4 }); // caches resize matrices before the count
  const before = tf.memory().numTensors;
  const m = evaluate(model, data, { batchSize: 10 }); // three batches, the last one short
  assertEquals(tf.memory().numTensors, before);
  assertEquals(m.images, 24);
  const direct = tf.tidy(() => {
    const { xBhwc } = data.batch(Int32Array.from({ length: 24 }, (_, i) => i), "01");
    const xHat = model.idxBlToImg(model.imgToIdxBl(xBhwc), { lastOnly: true })[0].clipByValue(0, 1);
    return tf.squaredDifference(xHat, xBhwc).mean().dataSync()[0];
  });
  assertAlmostEquals(m.mse, direct, 1e-6);
  assertAlmostEquals(m.psnr, psnrFromMse(direct), 1e-3);
  assertEquals(m.usagePerScale.length, 3);
  for (const u of [m.usage, ...m.usagePerScale]) assert(u > 0 && u <= 1, `usage ${u}`);
  // The 1×1 scale has 24 tokens: at most 24 of 16 codes... and at least one.
  assert(m.perplexity >= 1 && m.perplexity <= 16, `perplexity ${m.perplexity}`);
  assertEquals(evaluate(model, data, { limit: 5 }).images, 5);
  model.dispose();
});
