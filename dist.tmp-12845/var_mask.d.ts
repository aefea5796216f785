/**
 * The token layout of VAR's next-scale prediction: all scales' token maps flattened and
 * concatenated, `L = Σ pn²` positions, each tagged with its scale ("level"). A position may
 * attend to every position of its own and of coarser scales (block-causal), as VAR's
 * `attn_bias_for_masking = where(d >= dT, 0, -inf)`.
 */
import { tf } from "./backend.ts";
/** Level (scale index) of each of the `L = Σ pn²` positions: `[0, 1, 1, 1, 1, 2, …]`. */
export declare function levelIndices(patchNums: readonly number[]): Int32Array;
/** Where each scale starts in the flattened sequence, and its length: `[start, pn²][]`. */
export declare function scaleOffsets(patchNums: readonly number[]): [start: number, length: number][];
/**
 * The block-causal mask `[L, L]`: 1 where query position `i` may attend to key position `j`
 * (level(j) ≤ level(i)), else 0. `additive: true` gives VAR's attention bias instead
 * (0 where allowed, −∞ elsewhere).
 */
export declare function blockCausalMask(patchNums: readonly number[], { additive }?: {
    additive?: boolean;
}): tf.Tensor2D;
