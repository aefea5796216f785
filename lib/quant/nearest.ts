/**
 * Nearest-code search: for each row of `zNc` (`[N, C]`), the index of the closest row of the
 * codebook `eVc` (`[V, C]`).
 *
 * - `l2`: argmin of `‖z‖² + ‖e‖² − 2 z·eᵀ` (the squared distance, computed as PyTorch's VQ code
 *   does, so near-ties resolve the same way);
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
  // l2: ‖z‖² + ‖e‖² − z·(2e)ᵀ (2e is exact in float, so this equals ... − 2 z·eᵀ);
  // cosine: ẑ·êᵀ.
  const eSide = distance === "cosine" ? l2Normalize(eVc) : eVc.mul(2);
  const eSq = distance === "l2" ? eVc.square().sum(1).reshape([1, v]) : undefined;
  const pick = (z: tf.Tensor2D): tf.Tensor1D => {
    if (distance === "cosine") {
      return tf.argMax(tf.matMul(l2Normalize(z), eSide, false, true), 1) as tf.Tensor1D;
    }
    const d = z.square().sum(1, true).add(eSq!).sub(tf.matMul(z, eSide, false, true));
    return tf.argMin(d, 1) as tf.Tensor1D;
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
