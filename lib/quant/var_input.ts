/**
 * VAR's teacher-forcing input (`idx_Bl_to_var_input`) computed for all scales at once.
 *
 * Scale by scale, VAR looks up each token map's codes, upsamples them (bicubic) to the feature
 * map's side H, applies that scale's φ, adds the result to f̂ and area-downsamples f̂ to the next
 * scale's side. Done that way it is about ten kernels per scale, most of them on mid-sized maps,
 * and each kernel's dispatch and thread hand-off costs about as much as its arithmetic. Every step
 * is linear, and the only sequential part (f̂ as a running sum over scales) is a sum, so the same
 * numbers come from a dozen kernels over a scale axis `S`:
 *
 * 1. one gather of all codes into a zero-padded `[S, B, P, P, C]` (P = the largest side used);
 * 2. bicubic upsampling as two 1-D passes, one matrix per scale: `[S, B, H, H, C]`;
 * 3. φ once per group of scales that share it (VAR's 4 shared φ: 4 convolutions, not S);
 * 4. the running sum over scales as one product with a triangular `[S, S]` matrix;
 * 5. area downsampling as two 1-D passes to `[S, B, Q, Q, C]`, and one gather of the valid tokens.
 *
 * The result equals the scale-by-scale one up to float rounding (summation order).
 */
import { tf } from "../core/backend.ts";
import { conv2dWithBias } from "../core/native_ops.ts";
import { interpolationMatrix } from "../core/resize.ts";
import type { FoldedPhi } from "./phi.ts";
import { registerTensorCache } from "../core/tensor_caches.ts";
import { LruCache } from "../core/lru.ts";

/** The resampling matrices of one configuration (kept: the same for every call). */
interface Matrices {
  /** `[S, 1, H, P]` and `[S, 1, 1, H, P]`: bicubic pn → H along rows, then columns. */
  upRows: tf.Tensor;
  upCols: tf.Tensor;
  /** `[S, S]`, 1 where column ≤ row: row s sums scales 0..s. */
  running: tf.Tensor2D;
  /** `[S, 1, Q, H]` and `[S, 1, 1, Q, H]`: area H → next scale's side (rows beyond it zero). */
  downRows: tf.Tensor;
  downCols: tf.Tensor;
}

/** The index tensors of one configuration, for the batch size of its latest call. */
interface Indices {
  /** The batch size they are for. */
  b: number;
  /** `[S, B, P, P]` positions into the flattened `[B, Σ pn²]` token maps (padding → 0). */
  positions: tf.Tensor4D;
  /** `[B, L − pn₁²]` rows of the flattened `[S·B·Q·Q, C]` result, in VAR's token order. */
  tokens: tf.Tensor2D;
}

/** The most scale configurations (`patchNums`) whose tensors are kept at once. */
export const VAR_INPUT_CACHE_MAX_CONFIGS = 8;

/**
 * Kept tensors by configuration: the matrices, and the index tensors of the latest batch size
 * (a call with another batch size replaces them, so the count of tensors stays put). They are
 * kept rather than made per call: a freshly uploaded index tensor made TensorFlow's gather
 * several times slower than a kept one (6.9 against 1.3 ms for these sizes). At most
 * {@link VAR_INPUT_CACHE_MAX_CONFIGS} configurations, the least recently used disposed first.
 */
const matrices = new LruCache<Matrices>({
  maxEntries: VAR_INPUT_CACHE_MAX_CONFIGS,
  evict: (m) => tf.dispose(Object.values(m)),
});
const indices = new LruCache<Indices>({
  maxEntries: VAR_INPUT_CACHE_MAX_CONFIGS,
  evict: (ix) => tf.dispose([ix.positions, ix.tokens]),
});
registerTensorCache("idxBlToVarInput tensors", () => {
  const entries: object[] = [...matrices.values(), ...indices.values()];
  return entries.reduce(
    (n, e) => n + Object.values(e).filter((v) => v instanceof tf.Tensor).length,
    0,
  );
});

/** A 1-D resampling matrix per scale, zero-padded to `[S, rows, cols]`. */
function stacked(mats: number[][][], rows: number, cols: number): Float32Array {
  const out = new Float32Array(mats.length * rows * cols);
  mats.forEach((m, s) =>
    m.forEach((row, i) => row.forEach((w, j) => (out[(s * rows + i) * cols + j] = w)))
  );
  return out;
}

/** Sides: S scales used, H the largest, P the largest used, Q the largest next one. */
function sides(patchNums: readonly number[]) {
  const sn = patchNums.length - 1;
  const used = patchNums.slice(0, sn), next = patchNums.slice(1);
  return { sn, h: patchNums[sn], used, next, p: Math.max(...used), q: Math.max(...next) };
}

function matricesFor(patchNums: readonly number[]): Matrices {
  const key = patchNums.join(",");
  let m = matrices.get(key);
  if (!m) {
    const { sn, h, used, next, p, q } = sides(patchNums);
    const up = stacked(used.map((pn) => interpolationMatrix(pn, h, "bicubic")), h, p);
    const down = stacked(next.map((pn) => interpolationMatrix(h, pn, "area")), q, h);
    const running = new Float32Array(sn * sn);
    for (let s = 0; s < sn; s++) for (let j = 0; j <= s; j++) running[s * sn + j] = 1;
    m = {
      upRows: tf.tensor(up, [sn, 1, h, p]),
      upCols: tf.tensor(up, [sn, 1, 1, h, p]),
      running: tf.tensor2d(running, [sn, sn]),
      downRows: tf.tensor(down, [sn, 1, q, h]),
      downCols: tf.tensor(down, [sn, 1, 1, q, h]),
    };
    Object.values(m).forEach((t) => tf.keep(t)); // they outlive the caller's tidy
    matrices.set(key, m);
  }
  return m;
}

function indicesFor(patchNums: readonly number[], b: number): Indices {
  const key = patchNums.join(",");
  const cached = indices.get(key);
  if (cached?.b === b) return cached;
  const { sn, used, next, p, q } = sides(patchNums);
  const total = used.reduce((a, pn) => a + pn * pn, 0);
  const positions = new Int32Array(sn * b * p * p);
  let offset = 0;
  used.forEach((pn, s) => {
    for (let bi = 0; bi < b; bi++) {
      for (let i = 0; i < pn; i++) {
        for (let j = 0; j < pn; j++) {
          positions[((s * b + bi) * p + i) * p + j] = bi * total + offset + i * pn + j;
        }
      }
    }
    offset += pn * pn;
  });
  const lOut = next.reduce((a, pn) => a + pn * pn, 0);
  const tokens = new Int32Array(b * lOut);
  for (let bi = 0; bi < b; bi++) {
    let t = 0;
    next.forEach((pn, s) => {
      for (let i = 0; i < pn; i++) {
        for (let j = 0; j < pn; j++) tokens[bi * lOut + t++] = ((s * b + bi) * q + i) * q + j;
      }
    });
  }
  const ix: Indices = {
    b,
    positions: tf.keep(tf.tensor4d(positions, [sn, b, p, p], "int32")),
    tokens: tf.keep(tf.tensor2d(tokens, [b, lOut], "int32")),
  };
  indices.set(key, ix);
  return ix;
}

/**
 * VAR's teacher-forcing input `[B, L − pn₁², C]` from the token maps of scales 0..SN−2
 * (`idxBl`, int32 `[B, pn²]` each, already checked), the codebook `[V, C]` and the φ serving
 * of those scales (`scalesPerPhi[k]`: how many of them, consecutive, `folded[k]` serves; `folded`
 * empty: φ is the identity).
 * Call inside `tf.tidy`.
 */
export function batchedVarInput(
  idxBl: tf.Tensor2D[],
  codebook: tf.Tensor2D,
  patchNums: readonly number[],
  folded: FoldedPhi[],
  scalesPerPhi: number[],
): tf.Tensor3D {
  const b = idxBl[0].shape[0], c = codebook.shape[1];
  const { sn, h, p, q } = sides(patchNums);
  const m = matricesFor(patchNums), ix = indicesFor(patchNums, b);
  const flatIdx = (sn === 1 ? idxBl[0] : tf.concat(idxBl.slice(0, sn), 1)).reshape([-1]);
  const codes = tf.gather(codebook, tf.gather(flatIdx, ix.positions)); // [S, B, P, P, C]
  const rows = tf.matMul(m.upRows, codes.reshape([sn, b, p, p * c])); // [S, B, H, P·C]
  const up = tf.matMul(m.upCols, rows.reshape([sn, b, h, p, c])); // [S, B, H, H, C]
  const y = phiByGroup(up.reshape([sn * b, h, h, c]) as tf.Tensor4D, b, folded, scalesPerPhi);
  const fHats = tf.matMul(m.running, y.reshape([sn, -1])); // f̂ after each scale
  const downRows = tf.matMul(m.downRows, fHats.reshape([sn, b, h, h * c])); // [S, B, Q, H·C]
  const down = tf.matMul(m.downCols, downRows.reshape([sn, b, q, h, c])); // [S, B, Q, Q, C]
  return tf.gather(down.reshape([-1, c]), ix.tokens) as tf.Tensor3D;
}

/** φ (convolution and bias) applied to `[S·B, H, H, C]` maps, one call per φ on the scales it serves. */
function phiByGroup(
  maps: tf.Tensor4D,
  b: number,
  folded: FoldedPhi[],
  scalesPerPhi: number[],
): tf.Tensor4D {
  if (folded.length === 0) return maps;
  const runs = scalesPerPhi.flatMap((n, k) => n > 0 ? [{ k, n }] : []);
  const parts = runs.length === 1 ? [maps] : tf.split(maps, runs.map(({ n }) => n * b));
  const out = parts.map((part, i) => {
    const { kernel, bias } = folded[runs[i].k];
    return conv2dWithBias(part as tf.Tensor4D, kernel, bias, 1, "same");
  });
  return out.length === 1 ? out[0] : tf.concat(out, 0) as tf.Tensor4D;
}
