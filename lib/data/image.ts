/**
 * One image file as a model's input: decoded in JavaScript (PNG by `fast-png`, JPEG by
 * `jpeg-js`: no native decoder, so nothing is printed on the process's stderr and any backend
 * works), centre-cropped to a square, resized with this library's `resize` (area averaging to
 * shrink, bicubic to enlarge), composited onto white where transparent, and made grey or RGB.
 * `loadImageFolder` reads every file of a folder the same way.
 */
import { readFile } from "node:fs/promises";
import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from "fast-png";
import { decode as decodeJpeg } from "jpeg-js";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { centreSquare } from "./square.ts";

/** Options of {@link loadImage}. */
export interface LoadImageOptions {
  /** Side of the square image (default 28, Fashion-MNIST's). */
  size?: number;
  /** 1 (grey, default) or 3 (RGB). */
  channels?: 1 | 3;
  /**
   * Light on dark, as Fashion-MNIST draws its objects: `"auto"` (default) inverts an image
   * whose border is mostly light (a photo on a white background); `true` always inverts, `false`
   * never.
   */
  invert?: boolean | "auto";
}

/** The most pixels an image may have (100 megapixels; jpeg-js's own bound too). */
const MAX_PIXELS = 100e6;

/** The bad input of an image over {@link MAX_PIXELS}. */
const tooLarge = (name: string, size: string) =>
  new InputError(
    `${name}: ${size}, more than the ${MAX_PIXELS / 1e6} megapixels an image may have`,
  );

/**
 * PNG or JPEG bytes as `[h, w, c]` 0…255 values, `c` 1 to 4 as stored (palettes expanded).
 * An image over {@link MAX_PIXELS} is an `InputError` naming `name`, before it is decoded.
 */
function decodeBytes(bytes: Uint8Array, name: string): tf.Tensor3D {
  if (hasPngSignature(bytes)) {
    // The header chunk (IHDR) comes first: width and height, big-endian, at bytes 16 and 20.
    const header = new DataView(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 24));
    if (header.byteLength === 24) {
      const [w, h] = [header.getUint32(16), header.getUint32(20)];
      if (w * h > MAX_PIXELS) throw tooLarge(name, `${w}×${h} pixels`);
    }
    let png = decodePng(bytes);
    if (png.palette) {
      png = { ...png, data: convertIndexedToRgb(png), channels: png.palette[0].length };
    }
    const { width, height, channels, depth } = png;
    const data = depth === 16
      ? Float32Array.from(png.data, (v) => v / 257)
      : depth < 8 && !png.palette
      ? Float32Array.from(png.data, (v) => (v * 255) / (2 ** depth - 1))
      : Float32Array.from(png.data);
    return tf.tensor3d(data, [height, width, channels]);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let jpeg;
    try {
      jpeg = decodeJpeg(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_PIXELS / 1e6,
      });
    } catch (err) {
      // jpeg-js checks the size from the frame header before it decodes.
      if (/maxResolutionInMP/.test(String(err))) throw tooLarge(name, "a JPEG");
      throw err;
    }
    const { width, height, data } = jpeg;
    return tf.tensor3d(Float32Array.from(data), [height, width, 3]);
  }
  throw new Error("neither PNG nor JPEG");
}

/**
 * One encoded image (PNG or JPEG bytes) decoded, centre-cropped and resized: `[size, size, 4]`
 * RGBA floats in 0…255. `name` names it in the error for bytes that do not decode.
 */
export function decodeSquare(bytes: Uint8Array, name: string, size: number): tf.Tensor3D {
  let decoded: tf.Tensor3D;
  try {
    decoded = decodeBytes(bytes, name); // as stored: 1 (grey), 2 (grey + alpha), 3 or 4 channels
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${name}: not a decodable PNG or JPEG image (corrupt or another format)`);
  }
  try {
    return centreSquare(decoded, size);
  } finally {
    decoded.dispose();
  }
}

/**
 * RGBA pixels (0…255 floats, 4 per pixel) as 8-bit grey (`channels` 1) or RGB (3), composited
 * onto white where transparent.
 */
export function rgbaToPixels(rgba: ArrayLike<number>, channels: 1 | 3): Uint8Array {
  const n = rgba.length / 4;
  const pixels = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const a = rgba[4 * p + 3] / 255; // over white
    const rgb = [0, 1, 2].map((k) => rgba[4 * p + k] * a + 255 * (1 - a));
    if (channels === 1) pixels[p] = Math.round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
    else for (let k = 0; k < 3; k++) pixels[3 * p + k] = Math.round(rgb[k]);
  }
  return pixels;
}

/**
 * One image file (a path, or its bytes) as a batch of one, `[1, size, size, channels]` in 0…1,
 * ready for a model trained on images of that size (e.g. `tokenizer.imgToIdxBl(x)`). A file that
 * is not a decodable PNG or JPEG, or has more than 100 megapixels, is an `InputError` naming it.
 *
 * @example
 * ```ts
 * import { loadCheckpoint, loadImage } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const { model } = await loadCheckpoint("fashion-mnist-vqvae-multiscale");
 * const x = await loadImage("data/samples/ankle-boot.png", { size: 28 });
 * const idxBl = model.imgToIdxBl(x); // one [1, pn²] token map per scale
 * assertEquals(idxBl.map((t) => t.shape[1]), [1, 4, 9, 16, 25, 49]);
 * idxBl.forEach((t) => t.dispose());
 * x.dispose();
 * model.dispose();
 * ```
 */
export async function loadImage(
  source: string | Uint8Array,
  { size = 28, channels = 1, invert = "auto" }: LoadImageOptions = {},
): Promise<tf.Tensor4D> {
  if (!(Number.isInteger(size) && size >= 1)) {
    throw new InputError(`size must be a positive integer, got ${size}`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new InputError(`channels must be 1 or 3, got ${channels}`);
  }
  if (![true, false, "auto"].includes(invert)) {
    throw new InputError(`invert must be true, false or "auto", got ${invert}`);
  }
  const name = typeof source === "string" ? source : "the image bytes";
  let bytes: Uint8Array;
  try {
    bytes = typeof source === "string" ? new Uint8Array(await readFile(source)) : source;
  } catch {
    throw new InputError(`${source}: no such file`);
  }
  const square = decodeSquare(bytes, name, size);
  const rgba = square.dataSync();
  square.dispose();
  const pixels = rgbaToPixels(rgba, channels);
  const light = (i: number) => pixels[i * channels] > 127 ? 1 : 0;
  let border = 0;
  for (let i = 0; i < size; i++) {
    border += light(i) + light((size - 1) * size + i) + light(i * size) +
      light(i * size + size - 1);
  }
  const flip = invert === "auto" ? border > 2 * size : invert;
  return tf.tidy(() => {
    const x = tf.tensor4d(pixels, [1, size, size, channels], "float32").div(255);
    return (flip ? tf.scalar(1).sub(x) : x) as tf.Tensor4D;
  });
}
