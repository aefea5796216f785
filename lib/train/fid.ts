/**
 * The Fréchet distance between two sets of features (FID when the features are an image
 * classifier's): each set summarised by its mean μ and covariance Σ, then
 *
 *   d² = ‖μ_a − μ_b‖² + tr Σ_a + tr Σ_b − 2 tr (Σ_a Σ_b)^½.
 *
 * Everything after reading the features is float64. The trace of the matrix square root is taken
 * the symmetric way: with S = Σ_a^½ (from the eigendecomposition of Σ_a), Σ_a Σ_b is similar to
 * the symmetric positive semi-definite S Σ_b S, so tr (Σ_a Σ_b)^½ = Σᵢ √λᵢ(S Σ_b S), with tiny
 * negative eigenvalues of rounding clamped to 0. That is what pytorch-fid's
 * `scipy.linalg.sqrtm(sigma1 @ sigma2)` computes, without its complex detour.
 *
 * @module
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";

/** Mean and covariance of a set of feature vectors (float64). */
export interface FeatureStatistics {
  /** Number of vectors. */
  count: number;
  /** Their length D. */
  dim: number;
  /** `[D]` mean. */
  mean: Float64Array;
  /** `[D, D]` covariance, row-major, normalised by N − 1 (as `numpy.cov`). */
  cov: Float64Array;
}

/** Features as a `[N, D]` tensor or rows of numbers. */
export type Features = tf.Tensor2D | number[][];

function rows(features: Features): { data: ArrayLike<number>; n: number; d: number } {
  if (Array.isArray(features)) {
    const d = features[0]?.length ?? 0;
    return { data: features.flat(), n: features.length, d };
  }
  if (features.rank !== 2) throw new InputError(`features must be [N, D], got [${features.shape}]`);
  return { data: features.dataSync(), n: features.shape[0], d: features.shape[1] };
}

/** Mean and covariance (N − 1) of `[N, D]` features, in float64; needs N ≥ 2. */
export function featureStatistics(features: Features): FeatureStatistics {
  const { data, n, d } = rows(features);
  if (n < 2 || d < 1) {
    throw new InputError(`features must be [N, D] with N ≥ 2 and D ≥ 1, got [${n}, ${d}]`);
  }
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = data[i * d + j] - mean[j];
    for (let j = 0; j < d; j++) {
      const cj = centred[j];
      for (let k = j; k < d; k++) cov[j * d + k] += cj * centred[k];
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      cov[j * d + k] /= n - 1;
      cov[k * d + j] = cov[j * d + k];
    }
  }
  return { count: n, dim: d, mean, cov };
}

function symmetric(values: Float64Array, d: number): Matrix {
  return new Matrix(
    Array.from({ length: d }, (_, i) => Array.from(values.subarray(i * d, (i + 1) * d))),
  );
}

/** Eigenvalues of a symmetric matrix and its eigenvectors (columns). */
function eigenSymmetric(m: Matrix): { values: number[]; vectors: Matrix } {
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  return { values: e.realEigenvalues, vectors: e.eigenvectorMatrix };
}

/** The Fréchet distance (squared, as FID reports it) between two feature summaries. */
export function frechetDistanceOfStatistics(a: FeatureStatistics, b: FeatureStatistics): number {
  if (a.dim !== b.dim) {
    throw new InputError(`features must have the same length D, got ${a.dim} and ${b.dim}`);
  }
  const d = a.dim;
  let meanTerm = 0, traces = 0;
  for (let j = 0; j < d; j++) {
    meanTerm += (a.mean[j] - b.mean[j]) ** 2;
    traces += a.cov[j * d + j] + b.cov[j * d + j];
  }
  const { values, vectors } = eigenSymmetric(symmetric(a.cov, d));
  const rootA = vectors.mmul(Matrix.diag(values.map((w) => Math.sqrt(Math.max(w, 0))))).mmul(
    vectors.transpose(),
  );
  const inner = rootA.mmul(symmetric(b.cov, d)).mmul(rootA);
  const symmetricInner = inner.add(inner.transpose()).mul(0.5); // exact symmetry for the solver
  const traceRoot = eigenSymmetric(symmetricInner).values.reduce(
    (s, l) => s + Math.sqrt(Math.max(l, 0)),
    0,
  );
  return meanTerm + traces - 2 * traceRoot;
}

/**
 * The Fréchet distance between two sets of features `[N, D]` and `[M, D]` (FID, when they are
 * an image classifier's features of real and generated images).
 *
 * @example
 * ```ts
 * import { frechetDistance } from "vqvar";
 * frechetDistance([[0, 1], [1, 0], [1, 1]], [[2, 1], [3, 0], [3, 1]]); // 4: the means are 2 apart
 * ```
 */
export function frechetDistance(a: Features, b: Features): number {
  return frechetDistanceOfStatistics(featureStatistics(a), featureStatistics(b));
}
