import { assertEquals } from "@std/assert";
import { varTrainStepFlops, vqvaeTrainStepFlops } from "./flops.ts";

// A tiny VAR: V = 4, Cvae = 2, patch numbers 1, 2 (L = 5), one block, D = 4, 2 heads (dh = 2),
// MLP width 8, batch 1. Forward, by hand:
//   wordEmbed 2·1·4·2·4 = 64, qkv 2·5·4·12 = 480, proj 2·5·4·4 = 160, fc1 2·5·4·8 = 320,
//   fc2 2·5·8·4 = 320, adaLN 2·1·4·24 = 192, scores 2·1·2·5·5·2 = 200, values 200,
//   head adaLN 2·1·4·8 = 64, head 2·5·4·4 = 160: 2160; backward 4320; total 6480.
const tinyVAR = {
  vocabSize: 4,
  cvae: 2,
  patchNums: [1, 2],
  depth: 1,
  width: 4,
  heads: 2,
  mlpRatio: 2,
  adaLN: true,
};

Deno.test("varTrainStepFlops: a hand count of a tiny config", () => {
  const f = varTrainStepFlops(tinyVAR, 1);
  assertEquals(f.forward, 2160);
  assertEquals(f.backward, 4320);
  assertEquals(f.total, 6480);
  assertEquals(f.parts.attnScores, 200);
  assertEquals(f.parts.head, 160);
});

Deno.test("varTrainStepFlops: without adaLN, no adaLN products; linear in the batch", () => {
  assertEquals(varTrainStepFlops({ ...tinyVAR, adaLN: false }, 1).forward, 2160 - 192 - 64);
  assertEquals(varTrainStepFlops(tinyVAR, 3).total, 3 * 6480);
  // two blocks: the blocks' terms twice
  const blocks = 480 + 160 + 320 + 320 + 192 + 200 + 200;
  assertEquals(varTrainStepFlops({ ...tinyVAR, depth: 2 }, 1).forward, 2160 + blocks);
});

// A tiny VQ-VAE: 4×4×1 images, ch = 2 (ch/2 = 1), one k4 s2 convolution (latent 2×2), one
// residual block each side, Cvae = 1, V = 2, patch numbers 1, 2, batch 1. Forward, by hand:
//   down 2·1·2·16·4 = 256, stem 2·2·2·9·4 = 288, res 3×3 2·2·1·9·4 = 144 + 1×1 2·1·2·4 = 16,
//   to Cvae 2·2·1·4 = 16; from Cvae 2·1·2·9·4 = 144, res 160, up (2×2 inputs) 2·2·1·16·4 = 256;
//   φ 2 scales × 2·1·1·9·4 = 144; nearest 2·1·1·2 + 2·4·1·2 = 20 (no backward).
Deno.test("vqvaeTrainStepFlops: a hand count of a tiny config", () => {
  const f = vqvaeTrainStepFlops({
    imageSize: 4,
    inChannels: 1,
    channels: 2,
    downsample: 1,
    resBlocks: 1,
    latentChannels: 1,
    vocabSize: 2,
    patchNums: [1, 2],
    quantResi: 0.5,
    quantConv: false,
  }, 1);
  assertEquals(f.parts, { encoder: 720, decoder: 560, phi: 144, nearest: 20 });
  assertEquals(f.forward, 1444);
  assertEquals(f.total, 3 * 1424 + 20);
});
