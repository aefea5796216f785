/**
 * Codebook health metrics from a batch of code indices.
 *
 * - usage: the share of the V codes chosen at least once;
 * - perplexity: `exp(H(p))` with `p` the code histogram, `H(p) = −Σ pᵢ log pᵢ`. It is V when
 *   every code is used equally and 1 when all vectors collapse onto one code.
 */
import { tf } from "../core/backend.ts";

/** How often each code was chosen: `float32 [V]`. */
export function codeCounts(indices: tf.Tensor, vocabSize: number): tf.Tensor1D {
  return tf.tidy(() =>
    tf.bincount(indices.flatten().toInt() as tf.Tensor1D, tf.tensor1d([], "float32"), vocabSize)
  );
}

/** Perplexity of a count histogram (`[V]`), as a scalar tensor. */
export function perplexityOfCounts(countsV: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const p = countsV.div(countsV.sum().maximum(1));
    return p.mul(p.add(1e-10).log()).sum().neg().exp() as tf.Scalar;
  });
}

/** Share of codes (0..1) with a count of at least `minCount` (default: used at least once). */
export function usageOfCounts(countsV: tf.Tensor1D, minCount = 1): tf.Scalar {
  return tf.tidy(() => countsV.greaterEqual(minCount).toFloat().mean() as tf.Scalar);
}

/** Perplexity of a batch of indices (a number: reads one value back from the backend). */
export function perplexity(indices: tf.Tensor, vocabSize: number): number {
  return tf.tidy(() => perplexityOfCounts(codeCounts(indices, vocabSize)).dataSync()[0]);
}

/** Share (0..1) of the codebook used at least once by a batch of indices. */
export function usage(indices: tf.Tensor, vocabSize: number): number {
  return tf.tidy(() => usageOfCounts(codeCounts(indices, vocabSize)).dataSync()[0]);
}
