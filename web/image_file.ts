/// <reference lib="dom" />
/**
 * An image file → a 28 × 28 grey input the tokenizer expects (Fashion-MNIST style: a light
 * object on black). The browser decodes the file and crops its centre square; a large square is
 * first shrunk by the browser's own image scaler (to 4 × 28 px), so a photo of any size costs
 * the same small tensor; then `lib`'s `centreSquare` resizes it to 28 × 28 (area or bicubic).
 */
import { tf } from "../lib/core/backend.ts";
import { centreSquare } from "../lib/data/square.ts";

/** A file made ready for the tokenizer. */
export interface FileImage {
  /** side × side grey values in 0…1, light object on black. */
  grey: Float32Array;
  /** The file's own size, in pixels. */
  width: number;
  height: number;
  /** What was done to it, in words (for the page). */
  steps: string;
}

/** Side of the square the browser shrinks large images to, before lib's resize. */
const PRESHRINK = 4;

/**
 * Decodes `file` and makes it a `side` × `side` grey image. Rejects with a plain-words
 * `Error` (naming the file) when the browser cannot decode it.
 */
export async function fileToGrey(file: File, side: number): Promise<FileImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new Error(
      file.type.startsWith("image/")
        ? `${file.name}: this browser could not decode it (damaged, or too large to decode)`
        : `${file.name}: not an image this browser can decode (PNG, JPEG, GIF, WebP and BMP are)`,
    );
  }
  const { width, height } = bitmap;
  const s = Math.min(width, height);
  const left = Math.floor((width - s) / 2), top = Math.floor((height - s) / 2);
  const target = Math.min(s, PRESHRINK * side);
  let square: ImageBitmap;
  try {
    square = await createImageBitmap(bitmap, left, top, s, s, {
      resizeWidth: target,
      resizeHeight: target,
      resizeQuality: "high",
    });
  } finally {
    bitmap.close();
  }
  const canvas = new OffscreenCanvas(target, target);
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(square, 0, 0);
  square.close();
  const rgba = ctx.getImageData(0, 0, target, target);
  const grey = tf.tidy(() => {
    const hwc = tf.tensor3d(Int32Array.from(rgba.data), [target, target, 4], "int32");
    const sq = centreSquare(hwc, side).div(255); // RGBA in 0…1
    const [rgb, a] = tf.split(sq, [3, 1], 2);
    // Over black (Fashion-MNIST's background), then grey.
    const g = rgb.mul(a).mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(-1);
    // A light background (most photos): invert, so the object is light on dark.
    const border = tf.concat([g.slice([0, 0], [1, side]), g.slice([side - 1, 0], [1, side])]);
    return border.mean().dataSync()[0] > 0.5 ? tf.scalar(1).sub(g) : g;
  });
  const pixels = grey.dataSync() as Float32Array;
  grey.dispose();
  const shrunk = target < s ? `, shrunk to ${target}×${target} by the browser` : "";
  return {
    grey: pixels,
    width,
    height,
    steps: `${width}×${height}: centre square ${s}×${s}${shrunk}, resized to ${side}×${side}`,
  };
}
