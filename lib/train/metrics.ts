/**
 * Test-set metrics of a VQ model: reconstruction MSE and PSNR (pixels in [0, 1]), and codebook
 * health over all token maps of the set (perplexity, usage, usage per scale).
 */
import { tf } from "../core/backend.ts";
import { checkPositiveInt } from "../core/validate.ts";
import type { ImageDataset } from "../data/datasets.ts";
import type { VQModel } from "../models/vqvae.ts";
import { codeCounts, perplexityOfCounts, usageOfCounts } from "../quant/codebook_health.ts";

/** A VQ model's metrics on a test set. */
export interface TestMetrics {
  /** Mean squared error over all pixels, reconstructions clipped to [0, 1]. */
  mse: number;
  /** `10·log10(1 / mse)` dB. */
  psnr: number;
  /** Perplexity of the code histogram over all scales' tokens. */
  perplexity: number;
  /** Share of the codebook (0..1) used at least once over the set, all scales together. */
  usage: number;
  /** The same share per scale (one entry for a single-scale quantizer). */
  usagePerScale: number[];
  /** Images measured. */
  images: number;
}

/** `10·log10(1 / mse)` for pixels in [0, 1]. */
export function psnrFromMse(mse: number): number {
  return 10 * Math.log10(1 / mse);
}

/**
 * Evaluates `model` on `data` (or its first `limit` images) in batches of `batchSize`.
 *
 * @example
 * ```ts
 * import { evaluate, loadCheckpoint, loadFashionMnist } from "vqvar";
 * import { assert } from "@std/assert";
 * const { model } = await loadCheckpoint("fashion-mnist-vqvae-multiscale");
 * const m = evaluate(model, await loadFashionMnist("test"), { limit: 500 });
 * assert(m.psnr > 20 && m.usage > 0.5); // dB; share of the codes in use
 * model.dispose();
 * ```
 */
export function evaluate(
  model: VQModel,
  data: ImageDataset,
  { batchSize = 500, limit = Infinity }: { batchSize?: number; limit?: number } = {},
): TestMetrics {
  checkPositiveInt(batchSize, "evaluate: batchSize");
  const v = model.config.vocabSize;
  const scales = model.config.patchNums?.length ?? 1;
  let sqErr = tf.scalar(0);
  let counts = tf.zeros([scales, v]) as tf.Tensor2D;
  let pixels = 0;
  let images = 0;
  const n = Math.min(limit, data.length);
  for (let start = 0; start < n; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const xBhwc = data.images(idx, "01");
    const [nextErr, nextCounts] = tf.tidy(() => {
      const idxBl = model.imgToIdxBl(xBhwc);
      const xHat = model.idxBlToImg(idxBl, { lastOnly: true })[0].clipByValue(0, 1);
      const perScale = tf.stack(idxBl.map((t) => codeCounts(t, v)));
      return [
        sqErr.add(tf.squaredDifference(xHat, xBhwc).sum()),
        counts.add(perScale) as tf.Tensor2D,
      ];
    });
    tf.dispose([sqErr, counts, xBhwc]);
    sqErr = nextErr;
    counts = nextCounts;
    pixels += xBhwc.size;
    images += idx.length;
  }
  const [mse, perplexity, usage, usagePerScale] = tf.tidy(() => {
    const all = counts.sum(0) as tf.Tensor1D;
    return [
      sqErr.div(pixels).dataSync()[0],
      perplexityOfCounts(all).dataSync()[0],
      usageOfCounts(all).dataSync()[0],
      tf.unstack(counts).map((c) => usageOfCounts(c as tf.Tensor1D).dataSync()[0]),
    ] as [number, number, number, number[]];
  });
  tf.dispose([sqErr, counts]);
  return { mse, psnr: psnrFromMse(mse), perplexity, usage, usagePerScale, images };
}
