/**
 * `torch.nn.functional.interpolate(x, size, mode, align_corners=False)` for NHWC tensors,
 * number for number, and differentiable. TensorFlow.js has no bicubic or area resize, and its
 * bilinear/nearest use other conventions, so every mode here is written the same way: each
 * spatial axis gets an interpolation matrix `M` of shape `[out, in]` (row i holds the weights
 * of the input pixels that make output pixel i) and the resize is two matMuls,
 * `y = M_h · x · M_wᵀ`, applied per image and channel.
 */
import { tf } from "./backend.ts";
import { InputError } from "./errors.ts";
import { registerTensorCache } from "./tensor_caches.ts";
import { LruCache } from "./lru.ts";

/** PyTorch `F.interpolate` modes this module reproduces (`align_corners=False`). */
export type ResizeMode = "bicubic" | "area" | "bilinear" | "nearest";
/** Every {@link ResizeMode}. */
export const RESIZE_MODES: readonly ResizeMode[] = ["bicubic", "area", "bilinear", "nearest"];

/** PyTorch's cubic convolution constant. */
const A = -0.75;

/** Cubic convolution weights for taps at offsets -1, 0, 1, 2 from floor(src), `t` in [0, 1). */
function cubicWeights(t: number): [number, number, number, number] {
  const near = (x: number) => ((A + 2) * x - (A + 3)) * x * x + 1; // |x| <= 1
  const far = (x: number) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; // 1 < |x| < 2
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/**
 * The interpolation matrix `[out, in]` (row-major, float64) of one axis, as PyTorch computes it
 * for `align_corners=False` when the output size (not a scale factor) is given.
 */
export function interpolationMatrix(inSize: number, outSize: number, mode: ResizeMode): number[][] {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new InputError(`resize: sizes must be positive integers, got ${inSize} -> ${outSize}`);
  }
  const m = Array.from({ length: outSize }, () => new Array<number>(inSize).fill(0));
  const scale = inSize / outSize;
  const clamp = (i: number) => Math.min(Math.max(i, 0), inSize - 1);
  for (let i = 0; i < outSize; i++) {
    const row = m[i];
    switch (mode) {
      case "bicubic": {
        const src = scale * (i + 0.5) - 0.5; // not clamped for cubic
        const x0 = Math.floor(src);
        const w = cubicWeights(src - x0);
        for (let k = 0; k < 4; k++) row[clamp(x0 - 1 + k)] += w[k];
        break;
      }
      case "bilinear": {
        const src = Math.max(scale * (i + 0.5) - 0.5, 0);
        const x0 = Math.min(Math.floor(src), inSize - 1);
        const x1 = Math.min(x0 + 1, inSize - 1);
        const t = src - x0;
        row[x0] += 1 - t;
        row[x1] += t;
        break;
      }
      case "area": { // adaptive average pooling windows
        const start = Math.floor((i * inSize) / outSize);
        const end = Math.ceil(((i + 1) * inSize) / outSize);
        for (let j = start; j < end; j++) row[j] = 1 / (end - start);
        break;
      }
      case "nearest":
        row[Math.min(Math.floor(i * scale), inSize - 1)] = 1;
        break;
      default:
        throw new InputError(`resize: mode must be one of ${RESIZE_MODES.join(", ")}, got ${mode}`);
    }
  }
  return m;
}

/** The most resampling matrices kept at once ({@link RESIZE_CACHE_MAX_BYTES} too). */
export const RESIZE_CACHE_MAX_ENTRIES = 64;
/** The most bytes of resampling matrices kept at once: 32 MB. */
export const RESIZE_CACHE_MAX_BYTES = 32 * 2 ** 20;

// Matrices are small and reused every step: keep one tensor per (mode, sizes), shaped
// `[1, out, in]` so that matMul broadcasts it over the batch; the least recently used are
// disposed past the bounds (a training step uses a few dozen; resizing photos of many sizes
// would otherwise keep one per size for good).
const cache = new LruCache<tf.Tensor3D>({
  maxEntries: RESIZE_CACHE_MAX_ENTRIES,
  maxBytes: RESIZE_CACHE_MAX_BYTES,
  evict: (m) => m.dispose(),
});
registerTensorCache("resize matrices", () => cache.size);
function cached(key: string, make: () => number[][]): tf.Tensor3D {
  let m = cache.get(key);
  if (!m) {
    const rows = make();
    m = tf.keep(tf.tensor3d([rows], [1, rows.length, rows[0].length]));
    cache.set(key, m, m.size * 4);
  }
  return m;
}

/** Both axes in one matrix, `kron(M_h, M_w)`: `[oh·ow, h·w]`. */
function kronecker(a: number[][], b: number[][]): number[][] {
  return a.flatMap((ra) => b.map((rb) => ra.flatMap((va) => rb.map((vb) => va * vb))));
}

/** The cached `[1, oh·ow, h·w]` matrix of a resize from `[h, w]` to `[oh, ow]`, both axes at once. */
function kroneckerMatrix(mode: ResizeMode, [h, w]: number[], [oh, ow]: number[]): tf.Tensor3D {
  return cached(
    `${mode}:${h}x${w}:${oh}x${ow}`,
    () => kronecker(interpolationMatrix(h, oh, mode), interpolationMatrix(w, ow, mode)),
  );
}

/** Up to this many entries, a resize is one matMul with the Kronecker matrix. */
const KRONECKER_MAX = 1 << 20;

/**
 * Resizes `xBhwc` (`[B, H, W, C]`, float32) to `[B, size[0], size[1], C]` exactly as
 * `F.interpolate(x, size, mode, align_corners=False)` does on the NCHW equivalent.
 *
 * @example
 * ```ts
 * import { resize, tf } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
 * const down = resize(x, [1, 1], "area"); // PyTorch's F.interpolate(mode="area")
 * assertEquals(Array.from(down.dataSync()), [2.5]);
 * tf.dispose([x, down]);
 * ```
 */
export function resize(
  xBhwc: tf.Tensor4D,
  size: [number, number],
  mode: ResizeMode,
): tf.Tensor4D {
  if (!(xBhwc instanceof tf.Tensor) || xBhwc.rank !== 4) {
    throw new InputError(
      `resize: x must be a rank-4 NHWC tensor [B, H, W, C], got ${
        xBhwc instanceof tf.Tensor ? `shape [${xBhwc.shape}]` : typeof xBhwc
      }`,
    );
  }
  if (xBhwc.dtype !== "float32") {
    throw new InputError(`resize: x must be float32, got ${xBhwc.dtype}`);
  }
  if (!RESIZE_MODES.includes(mode)) {
    throw new InputError(`resize: mode must be one of ${RESIZE_MODES.join(", ")}, got ${mode}`);
  }
  const [b, h, w, c] = xBhwc.shape;
  const [oh, ow] = size;
  if (oh === h && ow === w) return xBhwc.clone();
  const mh = () => interpolationMatrix(h, oh, mode);
  const mw = () => interpolationMatrix(w, ow, mode);
  return tf.tidy(() => {
    if (h * w * oh * ow <= KRONECKER_MAX) {
      // Small maps (all of VAR's): [1, oh*ow, h*w] x [B, h*w, C] -> [B, oh*ow, C]
      const k = kroneckerMatrix(mode, [h, w], [oh, ow]);
      return tf.matMul(k, xBhwc.reshape([b, h * w, c])).reshape([b, oh, ow, c]) as tf.Tensor4D;
    }
    // Height: [1, oh, h] x [B, h, W*C] -> [B, oh, W*C]
    let y: tf.Tensor = h === oh ? xBhwc : tf.matMul(
      cached(`${mode}:${h}:${oh}`, mh),
      xBhwc.reshape([b, h, w * c]),
    ).reshape([b, oh, w, c]);
    // Width: [1, ow, w] x [B*oh, w, C] -> [B*oh, ow, C]
    if (w !== ow) {
      y = tf.matMul(cached(`${mode}:${w}:${ow}`, mw), y.reshape([b * oh, w, c]))
        .reshape([b, oh, ow, c]);
    }
    return y as tf.Tensor4D;
  });
}

/**
 * {@link resize} for square maps kept flat, as token sequences: `xBlc` is `[B, side², C]`
 * (row-major positions), the result `[B, outSide², C]`. One matMul with the Kronecker matrix
 * for the small sizes of VAR's scales, without the reshapes around it.
 */
export function resizeTokens(
  xBlc: tf.Tensor3D,
  side: number,
  outSide: number,
  mode: ResizeMode,
): tf.Tensor3D {
  const [b, , c] = xBlc.shape;
  if (side === outSide) return xBlc.clone();
  if (side * side * outSide * outSide > KRONECKER_MAX) {
    return tf.tidy(() =>
      resize(xBlc.reshape([b, side, side, c]) as tf.Tensor4D, [outSide, outSide], mode)
        .reshape([b, outSide * outSide, c]) as tf.Tensor3D
    );
  }
  const k = kroneckerMatrix(mode, [side, side], [outSide, outSide]);
  return tf.matMul(k, xBlc) as tf.Tensor3D;
}

/**
 * The adjoint (transpose) of {@link resize}: for `dyBhwc` shaped like the output of resizing a
 * `[B, size[0], size[1], C]` map, returns `Mᵀ·dy`, `[B, size[0], size[1], C]` — the gradient of
 * that resize with respect to its input, for gradients written by hand.
 */
export function resizeAdjoint(
  dyBhwc: tf.Tensor4D,
  size: [number, number],
  mode: ResizeMode,
): tf.Tensor4D {
  const [b, oh, ow, c] = dyBhwc.shape;
  const [h, w] = size;
  if (oh === h && ow === w) return dyBhwc.clone();
  const mh = () => interpolationMatrix(h, oh, mode);
  const mw = () => interpolationMatrix(w, ow, mode);
  return tf.tidy(() => {
    if (h * w * oh * ow <= KRONECKER_MAX) {
      const k = kroneckerMatrix(mode, [h, w], [oh, ow]);
      return tf.matMul(k, dyBhwc.reshape([b, oh * ow, c]), true, false)
        .reshape([b, h, w, c]) as tf.Tensor4D;
    }
    let y: tf.Tensor = dyBhwc;
    if (w !== ow) {
      y = tf.matMul(cached(`${mode}:${w}:${ow}`, mw), y.reshape([b * oh, ow, c]), true, false)
        .reshape([b, oh, w, c]);
    }
    if (h !== oh) {
      y = tf.matMul(cached(`${mode}:${h}:${oh}`, mh), y.reshape([b, oh, w * c]), true, false)
        .reshape([b, h, w, c]);
    }
    return y as tf.Tensor4D;
  });
}
