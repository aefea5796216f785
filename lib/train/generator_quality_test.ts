import { assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { DummyDataset } from "../data/datasets.ts";
import { Classifier } from "../models/classifier.ts";
import { VAR } from "../models/var.ts";
import { VQVAE } from "../models/vqvae.ts";
import { asMultiScale } from "../quant/multiscale.ts";
import { judgeGenerator, judgeReconstructions, judgeReference } from "./generator_quality.ts";

Deno.test("judgeGenerator's forced prefix: copying every step of real images gives back their reconstructions", () => {
  const tokenizer = new VQVAE({
    channels: 8,
    latentChannels: 4,
    vocabSize: 16,
    patchNums: [1, 3, 7],
  });
  const order = asMultiScale(tokenizer.quantizer);
  const model = new VAR({
    vocabSize: 16,
    cvae: 4,
    patchNums: [1, 3, 7],
    width: 16,
    depth: 1,
    heads: 2,
  });
  const judge = new Classifier({ classes: 10, channels: 4, seed: 0 });
  const images = new DummyDataset({ length: 40 });
  const reference = judgeReference(judge, images);
  const options = { order, samples: 40, cfg: 1.5, topP: 0.9, seed: 0 };
  const all = judgeGenerator(model, tokenizer, reference, {
    ...options,
    forced: { images, steps: 3 },
  });
  const ceiling = judgeReconstructions(tokenizer, reference, 40);
  for (const k of ["fid", "precision", "recall", "agreement"] as const) {
    assertAlmostEquals(all[k], ceiling[k], 1e-3, k);
  }
  // Copying fewer steps samples the rest: the images (and so the measures) move.
  const one = judgeGenerator(model, tokenizer, reference, {
    ...options,
    forced: { images, steps: 1 },
  });
  assertEquals(one.samples, 40);
  assertEquals(Math.abs(one.fid - ceiling.fid) > 1e-3, true);
  tf.dispose(reference.featuresND);
  [tokenizer, model, judge].forEach((m) => m.dispose());
});
