/**
 * The token layout of VAR's next-scale prediction: all scales' token maps flattened and
 * concatenated, `L = Σ pn²` positions, each tagged with its scale ("level"). A position may
 * attend to every position of its own and of coarser scales (block-causal), as VAR's
 * `attn_bias_for_masking = where(d >= dT, 0, -inf)`.
 */
import { tf } from "../core/backend.ts";
import { checkPatchNums } from "../core/validate.ts";

/** Level (scale index) of each of the `L = Σ pn²` positions: `[0, 1, 1, 1, 1, 2, …]`. */
export function levelIndices(patchNums: readonly number[]): Int32Array {
  checkPatchNums([...patchNums], { increasing: false });
  const out = new Int32Array(patchNums.reduce((a, pn) => a + pn * pn, 0));
  let at = 0;
  patchNums.forEach((pn, si) => {
    out.fill(si, at, at + pn * pn);
    at += pn * pn;
  });
  return out;
}

/** Where each scale starts in the flattened sequence, and its length: `[start, pn²][]`. */
export function scaleOffsets(patchNums: readonly number[]): [start: number, length: number][] {
  checkPatchNums([...patchNums], { increasing: false });
  let at = 0;
  return patchNums.map((pn) => {
    const r: [number, number] = [at, pn * pn];
    at += pn * pn;
    return r;
  });
}

/**
 * The block-causal mask `[L, L]`: 1 where query position `i` may attend to key position `j`
 * (level(j) ≤ level(i)), else 0. `additive: true` gives VAR's attention bias instead
 * (0 where allowed, −∞ elsewhere).
 */
export function blockCausalMask(
  patchNums: readonly number[],
  { additive = false }: { additive?: boolean } = {},
): tf.Tensor2D {
  const lvl = levelIndices(patchNums);
  return tf.tidy(() => {
    const d = tf.tensor1d(lvl, "int32");
    const allowed = d.expandDims(1).greaterEqual(d.expandDims(0)); // [L, 1] >= [1, L]
    return (additive
      ? tf.where(
        allowed,
        tf.zeros([lvl.length, lvl.length]),
        tf.fill([lvl.length, lvl.length], -Infinity),
      )
      : allowed.toFloat()) as tf.Tensor2D;
  });
}
