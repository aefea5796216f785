/**
 * An image of any size and channel count as a square RGBA image of a given side: the centre
 * square is cut out and resized with this library's `resize` (area averaging to shrink,
 * bicubic to enlarge). The folder loader and the web page's image drop both use it.
 */
import { tf } from "../core/backend.ts";
import { resize } from "../core/resize.ts";
import { InputError } from "../core/errors.ts";

/**
 * `hwc` (`[H, W, C]`, values 0…255, C = 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA) → its centre
 * square resized to `[size, size, 4]` RGBA floats in 0…255 (opaque where it had no alpha).
 *
 * @example
 * ```ts
 * import { centreSquare, tf } from "vqvar";
 * const wide = tf.zeros([20, 40, 3]) as tf.Tensor3D;
 * centreSquare(wide, 8).shape; // [8, 8, 4]: columns 10…29 of the original
 * ```
 */
export function centreSquare(hwc: tf.Tensor3D, size: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [h, w, c] = hwc.shape;
    if (![1, 2, 3, 4].includes(c)) throw new InputError(`centreSquare: 1 to 4 channels, got ${c}`);
    const side = Math.min(h, w);
    const top = Math.floor((h - side) / 2);
    const left = Math.floor((w - side) / 2);
    const crop = hwc.slice([top, left, 0], [side, side, c]).toFloat();
    const alpha = c === 2 || c === 4
      ? crop.slice([0, 0, c - 1], [side, side, 1])
      : tf.fill([side, side, 1], 255);
    const colour = c <= 2
      ? crop.slice([0, 0, 0], [side, side, 1]).tile([1, 1, 3])
      : crop.slice([0, 0, 0], [side, side, 3]);
    const rgba = tf.concat([colour, alpha], 2).expandDims(0) as tf.Tensor4D;
    const mode = side > size ? "area" : "bicubic";
    return resize(rgba, [size, size], mode).clipByValue(0, 255).squeeze([0]) as tf.Tensor3D;
  });
}
