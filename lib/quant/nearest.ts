/**
 * Nearest-code search: for each row of `zNc` (`[N, C]`), the index of the closest row of the
 * codebook `eVc` (`[V, C]`).
 *
 * - `l2`: argmin of the squared distance `‖z‖² + ‖e‖² − 2 z·eᵀ`, computed as the argmax of
 *   `2 z·eᵀ − ‖e‖²` (‖z‖² is the same for every code) in one matMul. VAR computes the full
 *   distance (`addmm_`); the two differ only in rounding, so a near-tie within float precision
 *   can resolve differently (the PyTorch goldens of lib/testdata still match index for index);
 * - `cosine`: argmax of `ẑ·êᵀ` with both sides L2-normalised (VAR's `using_znorm`).
 *
 * The `[N, V]` distance matrix is never built whole: rows are processed in chunks of at most
 * `maxChunkElements` distances, so N = 16384 against V = 4096 needs 64 MB at a time, not 256 MB.
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";

/** How codes are compared: squared L2 distance, or cosine similarity. */
export type Distance = "l2" | "cosine";

/** Default bound on the distances held at once (4 Mi floats = 16 MB). */
export const DEFAULT_CHUNK_ELEMENTS = 1 << 22;

/** Rows of the codebook L2-normalised (`F.normalize(e, dim=-1)`, eps 1e-12). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => x.div(x.square().sum(1, true).sqrt().maximum(1e-12)));
}

/**
 * A codebook prepared for many searches (the codebook-side terms computed once):
 * `search(zNc)` returns the nearest codes' indices, `int32 [N]`. Tensors made here live until
 * the enclosing `tf.tidy` ends.
 */
export interface PreparedCodebook {
  /** Nearest code of every row of `zNc` (`[N, C]`): `int32 [N]`. */
  search(zNc: tf.Tensor2D): tf.Tensor1D;
}

/** A codebook prepared for repeated searches (its norms computed once). */
export function prepareCodebook(
  eVc: tf.Tensor2D,
  distance: Distance = "l2",
  maxChunkElements = DEFAULT_CHUNK_ELEMENTS,
): PreparedCodebook {
  const [v, ce] = eVc.shape;
  const rows = Math.max(1, Math.floor(maxChunkElements / v));
  // cosine: argmax ẑ·êᵀ. l2: argmin ‖z‖² + ‖e‖² − 2 z·eᵀ = argmax 2 z·eᵀ − ‖e‖² (‖z‖² is the
  // same for every code), computed as one matMul of [z, 1] with [2e, −‖e‖²]: the [N, V] scores
  // are written once and read once, instead of three more passes for the adds.
  const eSide = distance === "cosine"
    ? l2Normalize(eVc)
    : tf.concat([eVc.mul(2), eVc.square().sum(1, true).neg()], 1);
  const pick = (z: tf.Tensor2D): tf.Tensor1D => {
    const zSide = distance === "cosine"
      ? l2Normalize(z)
      : tf.concat([z, tf.ones([z.shape[0], 1])], 1) as tf.Tensor2D;
    return tf.argMax(tf.matMul(zSide, eSide, false, true), 1) as tf.Tensor1D;
  };
  return {
    search(zNc: tf.Tensor2D): tf.Tensor1D {
      const [n, c] = zNc.shape;
      if (c !== ce) {
        throw new InputError(`nearestCode: z has ${c} channels but the codebook has ${ce}`);
      }
      if (n <= rows) return pick(zNc);
      const parts: tf.Tensor1D[] = [];
      for (let start = 0; start < n; start += rows) {
        parts.push(pick(zNc.slice([start, 0], [Math.min(rows, n - start), c])));
      }
      return tf.concat(parts);
    },
  };
}

/**
 * Indices (`int32 [N]`) of the nearest codes. No gradient flows through this.
 *
 * @example
 * ```ts
 * import { nearestCode, tf } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const codes = tf.tensor2d([[0, 0], [10, 10]]);
 * const z = tf.tensor2d([[1, 2], [9, 8], [-3, 0]]);
 * const idx = nearestCode(z, codes); // squared L2 by default
 * assertEquals(Array.from(idx.dataSync()), [0, 1, 0]);
 * tf.dispose([codes, z, idx]);
 * ```
 */
export function nearestCode(
  zNc: tf.Tensor2D,
  eVc: tf.Tensor2D,
  distance: Distance = "l2",
  maxChunkElements = DEFAULT_CHUNK_ELEMENTS,
): tf.Tensor1D {
  return tf.tidy(() => prepareCodebook(eVc, distance, maxChunkElements).search(zNc));
}
