/**
 * Codebook health metrics from a batch of code indices.
 *
 * - usage: the share of the V codes chosen at least once;
 * - perplexity: `exp(H(p))` with `p` the code histogram, `H(p) = −Σ pᵢ log pᵢ`. It is V when
 *   every code is used equally and 1 when all vectors collapse onto one code.
 */
import { tf } from "./backend.ts";
/** How often each code was chosen: `float32 [V]`. */
export declare function codeCounts(indices: tf.Tensor, vocabSize: number): tf.Tensor1D;
/** Perplexity of a count histogram (`[V]`), as a scalar tensor. */
export declare function perplexityOfCounts(countsV: tf.Tensor1D): tf.Scalar;
/** Share of codes (0..1) with a count of at least `minCount` (default: used at least once). */
export declare function usageOfCounts(countsV: tf.Tensor1D, minCount?: number): tf.Scalar;
/** Perplexity of a batch of indices (a number: reads one value back from the backend). */
export declare function perplexity(indices: tf.Tensor, vocabSize: number): number;
/** Share (0..1) of the codebook used at least once by a batch of indices. */
export declare function usage(indices: tf.Tensor, vocabSize: number): number;
