/**
 * Judging a generator against real images with one classifier (the judge): FID in its
 * penultimate features, precision and recall there (quality and variety apart), and the share
 * of samples it assigns to the class they were generated for. The same measures of the
 * tokenizer's own reconstructions of the test images give the ceiling a generator on that
 * tokenizer can reach: it can only ever produce images the decoder can draw.
 */
import { tf } from "../core/backend.ts";
import type { ImageDataset } from "../data/datasets.ts";
import type { Classifier } from "../models/classifier.ts";
import type { VAR } from "../models/var.ts";
import type { VQModel } from "../models/vqvae.ts";
import type { TokenOrder } from "../quant/token_order.ts";
import { type FeatureStatistics, featureStatistics, frechetDistanceOfStatistics } from "./fid.ts";
import { evaluate, type TestMetrics } from "./metrics.ts";
import { precisionRecall } from "./precision_recall.ts";
import { generateImages } from "./samples.ts";

/** The real images a generator is measured against, in the judge's features. */
export interface JudgeReference {
  /** The classifier whose features and verdicts are used. */
  judge: Classifier;
  /** Mean and covariance of the features of every real image (FID's reference). */
  stats: FeatureStatistics;
  /** `[N, D]` features of the real images, in order (precision and recall use the first ones). */
  featuresND: tf.Tensor2D;
  /** The real images. */
  images: ImageDataset;
}

/** How a set of generated (or reconstructed) images compares with the real ones. */
export interface ImageSetQuality {
  /** Fréchet distance of the judge's features to the real images' (lower is better). */
  fid: number;
  /** Share of the images inside the real images' feature manifold (realism). */
  precision: number;
  /** Share of real images inside these images' feature manifold (variety). */
  recall: number;
  /** Share the judge assigns to their class (generated for, or of the original). */
  agreement: number;
  /** Images measured. */
  samples: number;
}

/** {@link ImageSetQuality} of a generator's samples, with their speed. */
export interface GeneratorQuality extends ImageSetQuality {
  /** Images generated (and decoded) per second, the judge's time not counted. */
  samplesPerSecond: number;
}

const CHUNK = 250;

/** The judge's features `[N, D]` of every image of `images`, 1,000 at a time. */
export function judgeFeatures(judge: Classifier, images: ImageDataset): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  for (const idx of images.batchIndices(1000)) {
    const xBhwc = images.images(idx);
    parts.push(judge.features(xBhwc));
    xBhwc.dispose();
  }
  const featuresND = tf.concat(parts) as tf.Tensor2D;
  tf.dispose(parts);
  return featuresND;
}

/** The judge's features of every image of `images`: the reference to measure against. */
export function judgeReference(judge: Classifier, images: ImageDataset): JudgeReference {
  const featuresND = judgeFeatures(judge, images);
  return { judge, stats: featureStatistics(featuresND), featuresND, images };
}

/** Measures `[N, D]` features and the judge's verdicts against the reference (disposes nothing). */
function qualityOf(
  reference: JudgeReference,
  featuresND: tf.Tensor2D,
  agreed: number,
): ImageSetQuality {
  const n = featuresND.shape[0];
  const realND = reference.featuresND.slice([0, 0], [Math.min(n, reference.images.length), -1]);
  const { precision, recall } = precisionRecall(realND as tf.Tensor2D, featuresND);
  realND.dispose();
  return {
    fid: frechetDistanceOfStatistics(featureStatistics(featuresND), reference.stats),
    precision,
    recall,
    agreement: agreed / n,
    samples: n,
  };
}

/** Sampling options of {@link judgeGenerator}. */
export interface JudgeGeneratorOptions {
  /** The order the generator samples tokens in (its tokenizer's). */
  order: TokenOrder;
  /** Images to sample (classes in turn). */
  samples: number;
  /** Guidance weight. */
  cfg: number;
  /** Nucleus sampling mass. */
  topP: number;
  /** Keep the k most likely codes (0 or absent: all). */
  topK?: number;
  /** Seed of the first chunk (chunk `i` uses `seed + i·250`). */
  seed: number;
  /**
   * A teacher-forced prefix: the first `steps` steps' tokens are copied from real `images` (the
   * first `samples` of them, tokenized), the rest sampled, and the labels are those images'
   * classes. With VAR's next-scale order, `steps = k − 1` copies scales 1 … k − 1 and samples
   * scales k … K. Take the images from elsewhere than the reference (the training set), or the
   * samples share their coarse scales with the very images recall is measured against.
   * Default: nothing copied, classes in turn.
   */
  forced?: { images: ImageDataset; steps: number };
}

/**
 * Samples `samples` images (classes in turn, 250 at a time) and measures them against the
 * reference: FID, precision, recall, class agreement, samples per second.
 */
export function judgeGenerator(
  model: VAR,
  tokenizer: VQModel,
  reference: JudgeReference,
  { order, samples, cfg, topP, topK = 0, seed, forced }: JudgeGeneratorOptions,
): GeneratorQuality {
  const { judge } = reference;
  const real = forced && forced.steps > 0
    ? forced.images.take(Math.min(samples, forced.images.length))
    : undefined;
  const labels = real
    ? Array.from(real.labels)
    : Array.from({ length: samples }, (_, i) => i % judge.config.classes);
  const feats: tf.Tensor2D[] = [];
  let agreed = 0, genMs = 0;
  for (let start = 0; start < labels.length; start += CHUNK) {
    const ys = labels.slice(start, start + CHUNK);
    const teacherForce = real &&
      realPrefix(tokenizer, order, real, start, ys.length, forced!.steps);
    const t0 = performance.now();
    const images = generateImages(model, tokenizer, ys, {
      order,
      cfg,
      topP,
      topK,
      seed: seed + start,
      teacherForce,
    });
    images.dataSync(); // generation done before the clock stops
    if (teacherForce) tf.dispose(teacherForce.idxBl);
    genMs += performance.now() - t0;
    const pred = judge.predict(images);
    ys.forEach((y, i) => agreed += pred[i] === y ? 1 : 0);
    feats.push(judge.features(images));
    images.dispose();
  }
  const all = tf.concat(feats) as tf.Tensor2D;
  const quality = qualityOf(reference, all, agreed);
  tf.dispose([all, ...feats]);
  return { ...quality, samplesPerSecond: labels.length / (genMs / 1000) };
}

/**
 * The tokens of `count` real images from `start`, grouped in `order`'s steps, with the first
 * `forcedSteps` steps flagged to keep (VAR.generate's `teacherForce`).
 */
function realPrefix(
  tokenizer: VQModel,
  order: TokenOrder,
  real: ImageDataset,
  start: number,
  count: number,
  forcedSteps: number,
): { idxBl: tf.Tensor2D[]; keep: boolean[][] } {
  const idx = Int32Array.from({ length: count }, (_, i) => start + i);
  const idxBl = tf.tidy(() => {
    const xBhwc = real.images(idx);
    const tokBL = tf.concat(tokenizer.imgToIdxBl(xBhwc), 1);
    return tf.split(tokBL, order.patchNums.map((pn) => pn * pn), 1) as tf.Tensor2D[];
  });
  const keep = order.patchNums.map((pn, si) => new Array(pn * pn).fill(si < forcedSteps));
  return { idxBl, keep };
}

/**
 * The tokenizer's ceiling: its reconstructions of the reference's first `limit` real images
 * (encode, quantize, decode; as many as a generator's samples, since FID's estimate depends on
 * the count), measured as a generator's samples are, with its test metrics over all real
 * images (PSNR, perplexity, usage) beside them.
 */
export function judgeReconstructions(
  tokenizer: VQModel,
  reference: JudgeReference,
  limit = Infinity,
): ImageSetQuality & { test: TestMetrics } {
  const { judge, images } = reference;
  const feats: tf.Tensor2D[] = [];
  let agreed = 0;
  for (const { xBhwc, labels } of images.take(Math.min(limit, images.length)).batches(500)) {
    const xHat = tf.tidy(() =>
      tokenizer.idxBlToImg(tokenizer.imgToIdxBl(xBhwc), { lastOnly: true })[0].clipByValue(0, 1)
    ) as tf.Tensor4D;
    const pred = judge.predict(xHat);
    const ys = labels.dataSync();
    pred.forEach((p, i) => agreed += p === ys[i] ? 1 : 0);
    feats.push(judge.features(xHat));
    tf.dispose([xBhwc, labels, xHat]);
  }
  const all = tf.concat(feats) as tf.Tensor2D;
  const quality = qualityOf(reference, all, agreed);
  tf.dispose([all, ...feats]);
  return { ...quality, test: evaluate(tokenizer, images) };
}
