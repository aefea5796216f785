/**
 * The token layout of VAR's next-scale prediction: all scales' token maps flattened and
 * concatenated, `L = Σ pn²` positions, each tagged with its scale ("level"). A position may
 * attend to every position of its own and of coarser scales (block-causal), as VAR's
 * `attn_bias_for_masking = where(d >= dT, 0, -inf)`.
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
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

/**
 * Which tokens of each step to keep for zero-shot editing (VAR's in-/out-painting: "teacher-force
 * ground-truth tokens outside the mask, generate only those within it"): a token is generated
 * anew only when its cell of the image lies entirely inside the region to regenerate, and kept
 * otherwise. `editHW` is an H×W mask, true (or 1) where the image is to change; token (r, c) of a
 * pn×pn map covers rows [r·H/pn, (r+1)·H/pn) and the same columns. So the coarse maps, whose
 * cells reach outside any small region, keep the image's layout, and the fine tokens inside the
 * region are generated to fit it.
 *
 * @example
 * ```ts
 * import { editKeepFlags } from "vqvar";
 * const centre = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => y >= 7 && y < 21 && x >= 7 && x < 21));
 * const keep = editKeepFlags([1, 2, 3, 4, 5, 7], centre); // keep[5]: the 7×7 map's 49 flags
 * ```
 */
export function editKeepFlags(
  patchNums: readonly number[],
  editHW: readonly (readonly (boolean | number)[])[],
): boolean[][] {
  checkPatchNums([...patchNums], { increasing: false });
  const H = editHW.length, W = editHW[0]?.length ?? 0;
  if (H === 0 || W === 0 || editHW.some((row) => row.length !== W)) {
    throw new InputError(`editHW must be a non-empty H×W mask of equal rows`);
  }
  const raster = patchNums.every((pn) => pn === 1) && patchNums.length > 1;
  if (raster) {
    // One token per step, row-major over a side×side map.
    const side = Math.round(Math.sqrt(patchNums.length));
    const flags = tokenCellFlags(side, editHW);
    return flags.map((f) => [f]);
  }
  return patchNums.map((pn) => tokenCellFlags(pn, editHW));
}

function tokenCellFlags(pn: number, editHW: readonly (readonly (boolean | number)[])[]): boolean[] {
  const H = editHW.length, W = editHW[0].length;
  const flags: boolean[] = [];
  for (let r = 0; r < pn; r++) {
    for (let c = 0; c < pn; c++) {
      let inside = true; // every pixel of the cell is in the region
      for (let y = Math.floor(r * H / pn); y < Math.ceil((r + 1) * H / pn) && inside; y++) {
        for (let x = Math.floor(c * W / pn); x < Math.ceil((c + 1) * W / pn); x++) {
          if (!editHW[y][x]) {
            inside = false;
            break;
          }
        }
      }
      flags.push(!inside);
    }
  }
  return flags;
}
