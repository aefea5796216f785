/**
 * Precision and recall of a generator in a feature space (Kynkäänniemi et al., "Improved
 * Precision and Recall Metric for Assessing Generative Models", NeurIPS 2019): each set's
 * manifold is the union of balls around its points, each ball reaching the point's k-th
 * nearest neighbour in the same set.
 *
 * - **precision**: the share of generated points inside the real manifold (are samples
 *   realistic?);
 * - **recall**: the share of real points inside the generated manifold (do samples cover the
 *   variety of the data? a generator that draws one good image per class has high precision and
 *   low recall).
 *
 * FID folds both into one number; these two tell quality from diversity.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";

/** What {@link precisionRecall} returns. */
export interface PrecisionRecall {
  /** Share (0..1) of the generated points inside the real points' manifold. */
  precision: number;
  /** Share (0..1) of the real points inside the generated points' manifold. */
  recall: number;
}

const CHUNK = 1000;

/** Squared distances `[n, m]` between the rows of `a` `[n, D]` and of `b` `[m, D]`. */
function squaredDistances(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const aa = a.square().sum(1, true);
    const bb = b.square().sum(1).reshape([1, -1]);
    return aa.add(bb).sub(a.matMul(b, false, true).mul(2)).relu() as tf.Tensor2D;
  });
}

/** Each row's squared distance to its k-th nearest other row of `x` `[N, D]`. */
function kthNeighbourRadii(x: tf.Tensor2D, k: number): Float32Array {
  const n = x.shape[0];
  const radii = new Float32Array(n);
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const r = tf.tidy(() => {
      const d = squaredDistances(x.slice([start, 0], [size, -1]), x);
      // The k + 1 smallest include the row itself (distance 0): the last is the k-th other.
      return tf.topk(d.neg(), k + 1).values.slice([0, k], [size, 1]).neg().reshape([-1]);
    });
    radii.set(r.dataSync() as Float32Array, start);
    r.dispose();
  }
  return radii;
}

/** The share of rows of `points` within the radius of at least one row of `centres`. */
function coverage(points: tf.Tensor2D, centres: tf.Tensor2D, radii: Float32Array): number {
  const r = tf.tensor2d(radii, [1, radii.length]);
  let inside = 0;
  for (let start = 0; start < points.shape[0]; start += CHUNK) {
    const size = Math.min(CHUNK, points.shape[0] - start);
    const hits = tf.tidy(() =>
      squaredDistances(points.slice([start, 0], [size, -1]), centres).lessEqual(r).any(1).sum()
    );
    inside += hits.dataSync()[0];
    hits.dispose();
  }
  r.dispose();
  return inside / points.shape[0];
}

/**
 * Precision and recall of generated features `fakeND` against real ones `realND` (`[N, D]`
 * each, ideally the same N), with manifolds of `k` nearest neighbours (the paper's k = 3).
 *
 * @example
 * ```ts
 * import { precisionRecall, tf } from "vqvar";
 * import { assert } from "@std/assert";
 * const real = tf.randomNormal([500, 8], 0, 1, "float32", 1) as tf.Tensor2D;
 * const collapsed = tf.randomNormal([500, 8], 0, 0.05, "float32", 2) as tf.Tensor2D;
 * const { precision, recall } = precisionRecall(real, collapsed);
 * assert(precision > 0.9 && recall < 0.1); // realistic, but no variety
 * tf.dispose([real, collapsed]);
 * ```
 */
export function precisionRecall(
  realND: tf.Tensor2D,
  fakeND: tf.Tensor2D,
  { k = 3 }: { k?: number } = {},
): PrecisionRecall {
  if (realND.rank !== 2 || fakeND.rank !== 2 || realND.shape[1] !== fakeND.shape[1]) {
    throw new InputError(
      `precisionRecall: features must be [N, D] with the same D, got [${realND.shape}] and [${fakeND.shape}]`,
    );
  }
  const fewest = Math.min(realND.shape[0], fakeND.shape[0]);
  if (!Number.isInteger(k) || k < 1 || k >= fewest) {
    throw new InputError(`precisionRecall: k must be an integer in 1..${fewest - 1}, got ${k}`);
  }
  const realRadii = kthNeighbourRadii(realND, k);
  const fakeRadii = kthNeighbourRadii(fakeND, k);
  return {
    precision: coverage(fakeND, realND, realRadii),
    recall: coverage(realND, fakeND, fakeRadii),
  };
}
