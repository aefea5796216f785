/**
 * Floating-point operations of one training step, counted from the shapes (bench/README.md,
 * "Generator workloads and FLOPs"): every matrix product m×k by k×n is 2·m·n·k, every
 * convolution 2·Cin·Cout·k²·Hout·Wout·B (a stride-2 transposed one: the same with its input's
 * H·W, each input pixel meeting k² outputs), and the backward pass is 2× the forward (the
 * gradients of the input and of the weights, one product each). Elementwise work (norms,
 * softmax, GELU, biases, Adam's update, resampling) is not counted.
 */

import type { VQVAEConfig } from "../lib/models/vqvae.ts";

/** The sizes a VAR training step's FLOPs depend on (fields of a `VARConfig`). */
export interface VARShape {
  vocabSize: number;
  cvae: number;
  patchNums: readonly number[];
  depth: number;
  width: number;
  heads: number;
  mlpRatio: number;
  adaLN: boolean;
}

/** FLOPs of a step: forward, backward, their sum, and the forward's terms by product. */
export interface StepFlops {
  forward: number;
  backward: number;
  total: number;
  /** Forward FLOPs of each kind of product (summed over blocks and scales). */
  parts: Record<string, number>;
}

/** forward + 2 × forward over the differentiated products, + the `noGrad` ones once. */
function step(parts: Record<string, number>, noGrad: string[] = []): StepFlops {
  let forward = 0, backward = 0;
  for (const [k, v] of Object.entries(parts)) {
    forward += v;
    if (!noGrad.includes(k)) backward += 2 * v;
  }
  return { forward, backward, total: forward + backward, parts };
}

/**
 * FLOPs of one teacher-forced training step of VAR (lib/models/var.ts) at batch `B`. Forward,
 * with `L = Σ pn²`, D the width, H = mlpRatio·D, dh = D / heads:
 *
 * - wordEmbed: 2·B·(L − pn₁²)·Cvae·D
 * - per block: qkv 2·B·L·D·3D, proj 2·B·L·D·D, fc1 2·B·L·D·H, fc2 2·B·L·H·D,
 *   adaLN 2·B·D·6D (one row per sequence), attention scores and values 2·B·heads·L·L·dh each
 *   (the full L×L, as the dense kernels compute it, masked or not)
 * - head: adaLN 2·B·D·2D, logits 2·B·L·D·V
 *
 * Backward is 2× every term (wordEmbed's input gradient included, though the teacher-forcing
 * input needs none).
 */
export function varTrainStepFlops(c: VARShape, B: number): StepFlops {
  const L = c.patchNums.reduce((a, pn) => a + pn * pn, 0);
  const D = c.width, H = c.mlpRatio * D, dh = D / c.heads, n = c.depth;
  const parts: Record<string, number> = {
    wordEmbed: 2 * B * (L - c.patchNums[0] ** 2) * c.cvae * D,
    qkv: n * 2 * B * L * D * 3 * D,
    proj: n * 2 * B * L * D * D,
    fc1: n * 2 * B * L * D * H,
    fc2: n * 2 * B * L * H * D,
    attnScores: n * 2 * B * c.heads * L * L * dh,
    attnValues: n * 2 * B * c.heads * L * L * dh,
    head: 2 * B * L * D * c.vocabSize,
  };
  if (c.adaLN) {
    parts.ada = n * 2 * B * D * 6 * D;
    parts.headAda = 2 * B * D * 2 * D;
  }
  return step(parts);
}

/** The sizes a `VQVAE` (lib/models/vqvae.ts) training step's FLOPs depend on. */
export type VQVAEShape =
  & Pick<
    VQVAEConfig,
    | "imageSize"
    | "inChannels"
    | "channels"
    | "downsample"
    | "resBlocks"
    | "latentChannels"
    | "vocabSize"
    | "quantResi"
    | "quantConv"
  >
  & { patchNums: readonly number[] };

/** 2·Cin·Cout·k²·H·W·B: a convolution with H×W outputs (or a transposed one with H×W inputs). */
const conv = (cin: number, cout: number, k: number, hw: number, B: number) =>
  2 * cin * cout * k * k * hw * hw * B;

/**
 * FLOPs of one training step of the multi-scale `VQVAE` at batch `B`: its convolutions
 * (encoder: `downsample` k4 s2, the 3×3 stem, residual blocks of a 3×3 to ch/2 and a 1×1 back,
 * the 1×1 to Cvae; decoder: the mirror, with k4 s2 transposed convolutions), φ's 3×3 Cvae→Cvae
 * convolution at the latent size once per scale, all 3× (forward + backward), and the
 * nearest-code products 2·B·pn²·Cvae·V per scale, forward only (no gradient).
 */
export function vqvaeTrainStepFlops(c: VQVAEShape, B: number): StepFlops {
  const ch = c.channels, half = Math.max(1, ch >> 1), cv = c.latentChannels;
  const latent = c.imageSize / 2 ** c.downsample;
  const widths = [
    c.inChannels,
    ...Array.from({ length: c.downsample }, (_, i) => i === 0 && c.downsample > 1 ? half : ch),
  ];
  let down = 0, up = 0;
  for (let i = 0; i < c.downsample; i++) {
    down += conv(widths[i], widths[i + 1], 4, c.imageSize / 2 ** (i + 1), B);
    up += conv(widths[i + 1], widths[i], 4, c.imageSize / 2 ** (i + 1), B); // from that size
  }
  const res = c.resBlocks * (conv(ch, half, 3, latent, B) + conv(half, ch, 1, latent, B));
  const parts: Record<string, number> = {
    encoder: down + conv(ch, ch, 3, latent, B) + res + conv(ch, cv, 1, latent, B),
    decoder: conv(cv, ch, 3, latent, B) + res + up,
    phi: Math.abs(c.quantResi) > 1e-6 ? c.patchNums.length * conv(cv, cv, 3, latent, B) : 0,
    nearest: c.patchNums.reduce((a, pn) => a + 2 * B * pn * pn * cv * c.vocabSize, 0),
  };
  if (c.quantConv) parts.quantConvs = 2 * conv(cv, cv, 3, latent, B);
  return step(parts, ["nearest"]);
}
