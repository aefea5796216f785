/**
 * Any folder of images as a dataset: PNG and JPEG files of any sizes, colour or grey, each read
 * as `loadImage` reads one (`image.ts`: decoded in JavaScript, centre square, this library's
 * `resize` to `size × size`, transparent pixels composited onto white). Images in subfolders are labelled by the
 * subfolder's name (one class per subfolder, as torchvision's `ImageFolder`); images directly in
 * the folder form one class named after it.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { InputError } from "../core/errors.ts";
import { ImageDataset } from "./datasets.ts";
import { decodeSquare, rgbaToPixels } from "./image.ts";

/** File name endings read as images (case-insensitive); other files are skipped. */
export const IMAGE_EXTENSIONS: readonly string[] = [".png", ".jpg", ".jpeg"];

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** Side of the square images (default 32). */
  size?: number;
  /**
   * 1 (grey) or 3 (RGB); `auto` (default): 1 when every image is grey (one channel, or equal
   * R, G and B), else 3.
   */
  channels?: 1 | 3 | "auto";
}

/** Every image file under `dir` (sorted, for a stable order), recursively. */
async function imageFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (IMAGE_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/**
 * Loads every PNG/JPEG image under `dir` as a dataset of `size × size` images. An empty folder,
 * or a file that does not decode, is an `InputError` naming it.
 *
 * @example
 * ```ts
 * import { loadImageFolder } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * // Your own photos: loadImageFolder("my-photos", { size: 32 }), then .split(0.1) for a test set.
 * const samples = await loadImageFolder("data/samples", { size: 28 });
 * assertEquals([samples.length, samples.channels], [1, 1]); // one grey image
 * assertEquals(samples.classNames, ["samples"]); // images directly in the folder: one class
 * ```
 */
export async function loadImageFolder(
  dir: string,
  { size = 32, channels = "auto" }: ImageFolderOptions = {},
): Promise<ImageDataset> {
  if (!(Number.isInteger(size) && size >= 1)) {
    throw new InputError(`image size must be a positive integer, got ${size}`);
  }
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(`${dir}: no such folder`);
  const files = await imageFiles(dir);
  if (files.length === 0) {
    throw new InputError(
      `${dir}: no images (looked for ${
        IMAGE_EXTENSIONS.join(", ")
      } files in it and its subfolders)`,
    );
  }
  const classOf = (file: string) => {
    const parts = relative(dir, file).split(sep);
    return parts.length > 1 ? parts[0] : basename(dir);
  };
  const classNames = [...new Set(files.map(classOf))].sort();
  if (classNames.length > 256) {
    throw new InputError(`${dir}: ${classNames.length} subfolders (classes); at most 256`);
  }
  const per = size * size;
  const rgba = new Float32Array(files.length * per * 4);
  const labels = new Uint8Array(files.length);
  let grey = true;
  for (let i = 0; i < files.length; i++) {
    const img = decodeSquare(await readFile(files[i]), files[i], size);
    const px = img.dataSync();
    img.dispose();
    rgba.set(px, i * per * 4);
    for (let k = 0; grey && k < px.length; k += 4) {
      grey = Math.abs(px[k] - px[k + 1]) < 0.5 && Math.abs(px[k] - px[k + 2]) < 0.5;
    }
    labels[i] = classNames.indexOf(classOf(files[i]));
  }
  const c = channels === "auto" ? (grey ? 1 : 3) : channels;
  if (c !== 1 && c !== 3) throw new InputError(`channels must be 1, 3 or auto, got ${channels}`);
  const pixels = rgbaToPixels(rgba, c);
  return new ImageDataset(
    `folder:${basename(dir)}-${size}`,
    pixels,
    labels,
    size,
    size,
    c,
    classNames,
  );
}
