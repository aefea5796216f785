/**
 * The token layout of VAR's next-scale prediction: all scales' token maps flattened and
 * concatenated, `L = Σ pn²` positions, each tagged with its scale ("level"). A position may
 * attend to every position of its own and of coarser scales (block-causal), as VAR's
 * `attn_bias_for_masking = where(d >= dT, 0, -inf)`.
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { checkPatchNums } from "../core/validate.ts";
import { interpolationMatrix } from "../core/resize.ts";

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
 * How {@link editKeepFlags} decides which tokens to keep:
 * - `"whole-cell"` (ours, the default): a token is generated anew only when its cell of the
 *   image lies entirely inside the region, and kept otherwise;
 * - `"var"` (VAR's `replace_embedding` in its zero-shot editing demo): the keep mask (1 outside
 *   the region) is resized to the map's `pn × pn` bilinearly (PyTorch's `F.interpolate`,
 *   `align_corners=False`) and a token is kept where the result is above 0.5; the tokens of a
 *   map of at most 3 tokens (the 1×1 one) are always kept.
 */
export type EditRule = "whole-cell" | "var";

/**
 * Which tokens of each step to keep for zero-shot editing (VAR's in-/out-painting: "teacher-force
 * ground-truth tokens outside the mask, generate only those within it"). `editHW` is an H×W
 * mask, true (or 1) where the image is to change; token (r, c) of a pn×pn map covers rows
 * [r·H/pn, (r+1)·H/pn) and the same columns. `rule` ({@link EditRule}) says which tokens of a
 * cell partly inside the region are kept: with ours, all of them, so the coarse maps, whose
 * cells reach outside any small region, keep the image's layout, and only the fine tokens
 * inside the region are generated; with VAR's, those whose cell is mostly outside.
 *
 * @example
 * ```ts
 * import { editKeepFlags } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const centre = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => y >= 7 && y < 21 && x >= 7 && x < 21));
 * const ours = editKeepFlags([1, 2, 3, 4, 5, 7], centre); // ours[5]: the 7×7 map's 49 flags
 * const vars = editKeepFlags([1, 2, 3, 4, 5, 7], centre, { rule: "var" });
 * const regenerated = (keep: boolean[][]) => keep.map((k) => k.filter((kept) => !kept).length);
 * assertEquals(regenerated(ours), [0, 0, 1, 4, 1, 9]); // cells wholly inside the centre
 * assertEquals(regenerated(vars), [0, 0, 1, 4, 9, 9]); // bilinear samples mostly inside
 * ```
 */
export function editKeepFlags(
  patchNums: readonly number[],
  editHW: readonly (readonly (boolean | number)[])[],
  { rule = "whole-cell" }: { rule?: EditRule } = {},
): boolean[][] {
  checkPatchNums([...patchNums], { increasing: false });
  const H = editHW.length, W = editHW[0]?.length ?? 0;
  if (H === 0 || W === 0 || editHW.some((row) => row.length !== W)) {
    throw new InputError(`editHW must be a non-empty H×W mask of equal rows`);
  }
  if (rule !== "whole-cell" && rule !== "var") {
    throw new InputError(`rule must be "whole-cell" or "var", got "${rule}"`);
  }
  const flagsOf = (pn: number, scaleMap: boolean) =>
    rule === "var" ? varFlags(pn, editHW, scaleMap) : tokenCellFlags(pn, editHW);
  const raster = patchNums.every((pn) => pn === 1) && patchNums.length > 1;
  if (raster) {
    // One token per step, row-major over a side×side map.
    const side = Math.round(Math.sqrt(patchNums.length));
    return flagsOf(side, false).map((f) => [f]);
  }
  return patchNums.map((pn) => flagsOf(pn, true));
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

/**
 * VAR's rule: the keep mask resized bilinearly to pn × pn, kept above 0.5; a scale map of at
 * most 3 tokens is kept whole (`if ph * pw <= 3: force_gt_B1hw.fill_(1)`).
 */
function varFlags(
  pn: number,
  editHW: readonly (readonly (boolean | number)[])[],
  scaleMap: boolean,
): boolean[] {
  if (scaleMap && pn * pn <= 3) return new Array<boolean>(pn * pn).fill(true);
  const H = editHW.length, W = editHW[0].length;
  const mh = interpolationMatrix(H, pn, "bilinear"), mw = interpolationMatrix(W, pn, "bilinear");
  const flags: boolean[] = [];
  for (let r = 0; r < pn; r++) {
    for (let c = 0; c < pn; c++) {
      let keep = 0;
      for (let y = 0; y < H; y++) {
        if (mh[r][y] === 0) continue;
        for (let x = 0; x < W; x++) keep += mh[r][y] * mw[c][x] * (editHW[y][x] ? 0 : 1);
      }
      flags.push(keep > 0.5);
    }
  }
  return flags;
}
