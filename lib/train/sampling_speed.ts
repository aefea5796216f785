/**
 * How fast a generator samples, and why: the time to generate and decode a batch (after
 * warm-up, repeated), beside the work an image takes in each token order. VAR's speed claim is
 * about **sequential passes** (one per scale against one per token): each pass has a fixed
 * cost (launching kernels, reading every weight, sampling on the host) that dominates when a
 * batch is one image, while at large batches the arithmetic (token positions computed) decides.
 */
import type { VAR } from "../models/var.ts";
import type { VQModel } from "../models/vqvae.ts";
import type { TokenOrder } from "../quant/token_order.ts";
import { InputError } from "../core/errors.ts";
import { generateImages } from "./samples.ts";

/** Minimum, median and maximum of repeated timings. */
export interface Spread {
  /** Fastest. */
  min: number;
  /** Median. */
  median: number;
  /** Slowest. */
  max: number;
}

/** What {@link samplingSpeed} measured. */
export interface SamplingSpeed {
  /** Images per generate call. */
  batch: number;
  /** Guidance weight (w > 0 runs every pass on twice the rows: with and without the class). */
  cfg: number;
  /** Sequential forward passes of the transformer per image (one per step of the order). */
  passesPerImage: number;
  /** Token positions the transformer computes per image (each once, with the KV cache). */
  tokenPositionsPerImage: number;
  /** Timed calls after the warm-up. */
  repeats: number;
  /** Milliseconds per call (generation and decoding, to pixels read back). */
  msPerBatch: Spread;
  /** Images per second at the median. */
  imagesPerSecond: number;
}

/** Min, median and max of `values`. */
export function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { min: s[0], median, max: s[s.length - 1] };
}

/**
 * Untimed generate calls before timing any: a call's steps are traced on the first, checked on
 * the second and built into TensorFlow graphs on the third (`lib/core/graph/`), each many times
 * slower than the replays from the fourth.
 */
export const SAMPLING_WARMUP = 3;

/**
 * Times `repeats` calls of {@link generateImages} for `batch` images (classes in turn) after
 * `warmup` untimed ones ({@link SAMPLING_WARMUP} by default).
 *
 * @example
 * ```ts
 * import { asMultiScale, samplingSpeed, VAR, VQVAE } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const tokenizer = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16 });
 * const order = asMultiScale(tokenizer.quantizer);
 * const model = new VAR({ vocabSize: 16, cvae: 4, patchNums: [...order.patchNums], width: 16, depth: 1, heads: 2 });
 * const s = samplingSpeed(model, tokenizer, order, { batch: 1, repeats: 3 });
 * assertEquals([s.passesPerImage, s.tokenPositionsPerImage], [6, 104]); // 1² + 2² + … + 7²
 * model.dispose();
 * tokenizer.dispose();
 * ```
 */
export function samplingSpeed(
  model: VAR,
  tokenizer: VQModel,
  order: TokenOrder,
  { batch, cfg = 0, topP = 0.9, topK = 0, warmup = SAMPLING_WARMUP, repeats = 5, seed = 0 }: {
    batch: number;
    cfg?: number;
    topP?: number;
    topK?: number;
    warmup?: number;
    repeats?: number;
    seed?: number;
  },
): SamplingSpeed {
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(repeats) || repeats < 1) {
    throw new InputError(
      `samplingSpeed: batch and repeats must be integers ≥ 1, got ${batch} and ${repeats}`,
    );
  }
  const classes = model.config.numClasses;
  const labels = Array.from({ length: batch }, (_, i) => i % classes);
  const ms: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    const t0 = performance.now();
    const images = generateImages(model, tokenizer, labels, {
      order,
      cfg,
      topP,
      topK,
      seed: seed + i,
    });
    images.dataSync();
    if (i >= warmup) ms.push(performance.now() - t0);
    images.dispose();
  }
  const msPerBatch = spread(ms);
  const patchNums = model.config.patchNums;
  return {
    batch,
    cfg,
    passesPerImage: patchNums.length,
    tokenPositionsPerImage: patchNums.reduce((n, pn) => n + pn * pn, 0),
    repeats,
    msPerBatch,
    imagesPerSecond: batch * 1000 / msPerBatch.median,
  };
}
