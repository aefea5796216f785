import { assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { patchNumsFor, SimpleVQVAE, VQVAE } from "./vqvae.ts";
import { InputError } from "../core/errors.ts";
import type { VectorQuantizer } from "../quant/vector_quantizer.ts";

Deno.test("VQVAE shapes: encode, imgToIdxBl, idxBlToVarInput, idxBlToImg, reconstruct", () => {
  const m = new VQVAE({ channels: 16, latentChannels: 8, vocabSize: 32, patchNums: [1, 2, 4, 7] });
  tf.tidy(() => {
    const x = tf.randomUniform([3, 28, 28, 1]) as tf.Tensor4D;
    assertEquals(m.encode(x).shape, [3, 7, 7, 8]);
    const idxBl = m.imgToIdxBl(x);
    assertEquals(idxBl.map((t) => t.shape), [[3, 1], [3, 4], [3, 16], [3, 49]]);
    assertEquals(m.idxBlToVarInput(idxBl).shape, [3, 4 + 16 + 49, 8]);
    const imgs = m.idxBlToImg(idxBl);
    assertEquals(imgs.length, 4);
    for (const im of imgs) assertEquals(im.shape, [3, 28, 28, 1]);
    assertEquals(m.idxBlToImg(idxBl, { lastOnly: true }).length, 1);
    // Reconstruction is decode(f̂) of the last scale.
    const rec = m.reconstruct(x);
    const viaTokens = imgs[3];
    assertEquals(rec.sub(viaTokens).abs().max().dataSync()[0] < 1e-4, true);
  });
  m.dispose();
});

Deno.test("single-scale VQVAE and quantConv", () => {
  const m = new VQVAE({
    channels: 16,
    latentChannels: 8,
    vocabSize: 32,
    quantizer: "single",
    quantConv: true,
  });
  assertEquals([...m.variables().keys()].filter((k) => k.includes("uantConv")).length, 4);
  tf.tidy(() => {
    const x = tf.randomUniform([2, 28, 28, 1]) as tf.Tensor4D;
    const idxBl = m.imgToIdxBl(x);
    assertEquals(idxBl.map((t) => t.shape), [[2, 49]]);
    assertEquals(m.idxBlToImg(idxBl)[0].shape, [2, 28, 28, 1]);
    // One scale: nothing after the first scale to predict.
    assertEquals(m.idxBlToVarInput(idxBl).shape, [2, 0, 8]);
  });
  m.dispose();
});

Deno.test("SimpleVQVAE (the seed's model) on 64x64x3", () => {
  const m = new SimpleVQVAE({ channels: 16, latentChannels: 8, vocabSize: 32 });
  tf.tidy(() => {
    const x = tf.randomUniform([2, 64, 64, 3]) as tf.Tensor4D;
    const idxBl = m.imgToIdxBl(x);
    assertEquals(idxBl.map((t) => t.shape[1]), [1, 4, 16, 64, 256]);
    assertEquals(m.idxBlToVarInput(idxBl).shape, [2, 4 + 16 + 64 + 256, 8]);
    assertEquals(m.reconstruct(x).shape, [2, 64, 64, 3]);
  });
  m.dispose();
});

Deno.test("bad images and configs are clear errors", () => {
  assertThrows(() => new VQVAE({ imageSize: 30 }), Error, "not divisible");
  assertThrows(() => new VQVAE({ patchNums: [1, 2, 4] }), Error, "latent size 7");
  const m = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, patchNums: [1, 7] });
  const wrong = tf.zeros([2, 32, 32, 1]) as tf.Tensor4D;
  assertThrows(() => m.reconstruct(wrong), Error, "[B, 28, 28, 1]");
  const rank3 = tf.zeros([28, 28, 1]);
  assertThrows(() => m.imgToIdxBl(rank3 as unknown as tf.Tensor4D), Error, "rank 4");
  tf.dispose([wrong, rank3]);
  m.dispose();
});

Deno.test("training steps leak no tensors", () => {
  const m = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, patchNums: [1, 3, 7] });
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([4, 28, 28, 1]) as tf.Tensor4D;
  const step = () => opt.minimize(() => m.trainForward(x).loss, false, m.trainableVariables);
  step();
  m.restartDeadCodes();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) {
    step();
    if (i % 5 === 0) m.restartDeadCodes();
  }
  assertEquals(tf.memory().numTensors, before);
  tf.dispose([x]);
  opt.dispose();
  m.dispose();
});

Deno.test("patchNums not given: scales that end at the latent side", () => {
  assertEquals(patchNumsFor(7), [1, 2, 3, 4, 5, 7]);
  assertEquals(patchNumsFor(16), [1, 2, 3, 4, 5, 6, 8, 10, 13, 16]);
  const m = new VQVAE({
    imageSize: 32,
    inChannels: 3,
    channels: 8,
    latentChannels: 4,
    vocabSize: 8,
  });
  assertEquals(m.config.patchNums, [1, 2, 3, 4, 5, 6, 8]);
  m.dispose();
});

Deno.test("tokensPerImage: h·w for one scale, the sum of pn² for VAR's scales", () => {
  const single = new VQVAE({
    imageSize: 28,
    inChannels: 1,
    channels: 8,
    resBlocks: 0,
    latentChannels: 4,
    quantizer: "single",
  });
  const multi = new VQVAE({
    imageSize: 28,
    inChannels: 1,
    channels: 8,
    resBlocks: 0,
    latentChannels: 4,
    quantizer: "multiscale",
    patchNums: [1, 2, 3, 4, 5, 7],
  });
  assertEquals(single.tokensPerImage, 49);
  assertEquals(multi.tokensPerImage, 104);
  single.dispose();
  multi.dispose();
});

Deno.test("parameterCount: a codebook twice as large adds V × Cvae numbers", () => {
  const small = new VQVAE({ vocabSize: 64, latentChannels: 8 });
  const large = new VQVAE({ vocabSize: 128, latentChannels: 8 });
  assertEquals(large.parameterCount - small.parameterCount, 64 * 8);
  small.dispose();
  large.dispose();
});

Deno.test("quantizerOptions reach the single-scale quantizer; the multi-scale one refuses them", () => {
  const m = new VQVAE({
    quantizer: "single",
    vocabSize: 16,
    latentChannels: 4,
    quantizerOptions: { distance: "cosine", ema: { decay: 0.9 } },
  });
  const q = m.quantizer as VectorQuantizer;
  assertEquals([q.distance, q.ema?.decay], ["cosine", 0.9]);
  // EMA updates the codebook itself: the optimizer does not train it.
  assertEquals(m.trainableVariables.includes(q.codebook), false);
  m.dispose();
  assertThrows(
    () => new VQVAE({ quantizerOptions: { distance: "cosine" } }),
    InputError,
    "quantizerOptions (distance) are the single-scale quantizer's",
  );
});
