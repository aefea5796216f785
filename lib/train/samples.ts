/**
 * Judging a generator: images sampled by VAR for given classes, and the share of them that a
 * classifier assigns to the class they were generated for (`sampleAccuracy`).
 */
import { tf } from "../core/backend.ts";
import type { Classifier } from "../models/classifier.ts";
import type { GenerateOptions, VAR } from "../models/var.ts";
import type { VQModel } from "../models/vqvae.ts";
import { asMultiScale } from "../quant/multiscale.ts";
import type { TokenOrder } from "../quant/token_order.ts";

/**
 * Samples one image per label: VAR generates the token maps (`generate`), the tokenizer
 * decodes the final f̂; pixels clipped to [0, 1]. `[labels.length, H, W, C]`.
 *
 * @example
 * ```ts
 * import { generateImages, loadCheckpoint, VAR, type VARConfig } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const { model } = await loadCheckpoint("fashion-mnist-var", (c: VARConfig) => new VAR(c));
 * const { model: tokenizer } = await loadCheckpoint("fashion-mnist-vqvae-multiscale");
 * const images = generateImages(model, tokenizer, [0, 1, 2], { cfg: 3, topP: 0.9, seed: 1 });
 * assertEquals(images.shape, [3, 28, 28, 1]);
 * images.dispose();
 * model.dispose();
 * tokenizer.dispose();
 * ```
 */
export function generateImages(
  model: VAR,
  tokenizer: VQModel,
  labels: number[],
  { order, ...options }: GenerateOptions & { order?: TokenOrder } = {},
): tf.Tensor4D {
  // Without `order`: VAR's next-scale order of the tokenizer's multi-scale quantizer.
  const tokenOrder = order ?? asMultiScale(tokenizer.quantizer);
  const { idxBl, fHat } = model.generate(tokenOrder, labels, options);
  const images = tf.tidy(() => tokenizer.fhatToImg(fHat).clipByValue(0, 1) as tf.Tensor4D);
  tf.dispose([...idxBl, fHat]);
  return images;
}

/** Options of {@link sampleAccuracy}: the sampling, and how many per class. */
export interface SampleAccuracyOptions extends GenerateOptions {
  /** The token order the model generates in (default: the tokenizer's multi-scale quantizer). */
  order?: TokenOrder;
  /** Samples per class (default 100). */
  perClass?: number;
  /** Samples generated at once (default 250); chunk k uses the seed `seed + k · chunk`. */
  chunk?: number;
}

/** What {@link sampleAccuracy} measured. */
export interface SampleAccuracy {
  /** Share of all samples the classifier assigns to their class. */
  accuracy: number;
  /** The same share per class. */
  perClass: number[];
  /** Samples generated. */
  samples: number;
  /** Seconds spent generating, decoding and classifying. */
  seconds: number;
}

/**
 * Generates `perClass` samples of every class (class-major order) and returns the share the
 * classifier assigns to the class they were generated for.
 *
 * @example
 * ```ts
 * import { Classifier, type ClassifierConfig, loadCheckpoint, sampleAccuracy, VAR } from "vqvar";
 * import type { VARConfig } from "vqvar";
 * import { assert } from "@std/assert";
 * const { model } = await loadCheckpoint("fashion-mnist-var", (c: VARConfig) => new VAR(c));
 * const { model: tokenizer } = await loadCheckpoint("fashion-mnist-vqvae-multiscale");
 * const { model: judge } = await loadCheckpoint(
 *   "fashion-mnist-classifier",
 *   (c: ClassifierConfig) => new Classifier(c),
 * );
 * const { accuracy } = sampleAccuracy(model, tokenizer, judge, { perClass: 3, cfg: 3 });
 * assert(accuracy > 0.5); // the shipped VAR's samples are mostly judged their class
 * [model, tokenizer, judge].forEach((m) => m.dispose());
 * ```
 */
export function sampleAccuracy(
  model: VAR,
  tokenizer: VQModel,
  classifier: Classifier,
  { perClass = 100, chunk = 250, seed = 0, ...generate }: SampleAccuracyOptions = {},
): SampleAccuracy {
  const classes = classifier.config.classes;
  const labels = Array.from({ length: perClass * classes }, (_, i) => Math.floor(i / perClass));
  const right = new Array(classes).fill(0);
  const t0 = performance.now();
  for (let start = 0; start < labels.length; start += chunk) {
    const ys = labels.slice(start, start + chunk);
    const images = generateImages(model, tokenizer, ys, { ...generate, seed: seed + start });
    const pred = classifier.predict(images);
    images.dispose();
    ys.forEach((y, i) => {
      if (pred[i] === y) right[y]++;
    });
  }
  return {
    accuracy: right.reduce((s, r) => s + r, 0) / labels.length,
    perClass: right.map((r) => r / perClass),
    samples: labels.length,
    seconds: (performance.now() - t0) / 1000,
  };
}
