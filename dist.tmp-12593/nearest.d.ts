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
import { tf } from "./backend.ts";
export type Distance = "l2" | "cosine";
/** Default bound on the distances held at once (4 Mi floats = 16 MB). */
export declare const DEFAULT_CHUNK_ELEMENTS: number;
/** Rows of the codebook L2-normalised (`F.normalize(e, dim=-1)`, eps 1e-12). */
export declare function l2Normalize(x: tf.Tensor2D): tf.Tensor2D;
/**
 * A codebook prepared for many searches (the codebook-side terms computed once):
 * `search(zNc)` returns the nearest codes' indices, `int32 [N]`. Tensors made here live until
 * the enclosing `tf.tidy` ends.
 */
export interface PreparedCodebook {
    search(zNc: tf.Tensor2D): tf.Tensor1D;
}
export declare function prepareCodebook(eVc: tf.Tensor2D, distance?: Distance, maxChunkElements?: number): PreparedCodebook;
/** Indices (`int32 [N]`) of the nearest codes. No gradient flows through this. */
export declare function nearestCode(zNc: tf.Tensor2D, eVc: tf.Tensor2D, distance?: Distance, maxChunkElements?: number): tf.Tensor1D;
