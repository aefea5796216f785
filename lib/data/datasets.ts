/**
 * Image datasets held as bytes in memory and turned into NHWC float batches on demand.
 *
 * - `loadFashionMnist(split)`: the Fashion-MNIST IDX files shipped in data/fashion-mnist;
 * - `DummyDataset`: seeded random images shaped like a real set (the seed's stand-in data).
 *
 * Pixels are stored as uint8 and scaled to [0, 1] (`range: "01"`) or [-1, 1] (`"-11"`) when a
 * batch is made, so a 60k-image set costs 47 MB, not 188 MB.
 */
import { InputError } from "../core/errors.ts";
import { checkPositiveInt } from "../core/validate.ts";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DATA_DIR, readText } from "../core/files.ts";
import { tf } from "../core/backend.ts";
import { readIdx } from "./idx.ts";
import { seededRandom, shuffledIndices } from "../core/random.ts";

/** Pixel range of batches: `"01"` for [0, 1], `"-11"` for [−1, 1]. */
export type PixelRange = "01" | "-11";

/** A batch of images and their labels (the caller disposes both). */
export interface Batch {
  /** `[B, H, W, C]` float32 pixels in the requested range. */
  xBhwc: tf.Tensor4D;
  /** `int32 [B]` class labels. */
  labels: tf.Tensor1D;
}

/** Images (`uint8`, NHWC, row-major) with labels and class names; batches come out as tensors. */
export class ImageDataset {
  /** A dataset over `pixels` (`[N, H, W, C]` bytes) and `labels` (`[N]`). */
  constructor(
    readonly name: string,
    /** `N·H·W·C` bytes, NHWC. */
    readonly pixels: Uint8Array,
    readonly labels: Uint8Array,
    readonly height: number,
    readonly width: number,
    readonly channels: number,
    readonly classNames: readonly string[],
  ) {
    const per = height * width * channels;
    if (pixels.length % per !== 0 || pixels.length / per !== labels.length) {
      throw new InputError(
        `${name}: ${pixels.length} pixel bytes do not make ${labels.length} images of ${height}x${width}x${channels}`,
      );
    }
  }

  /** Number of images. */
  get length(): number {
    return this.labels.length;
  }

  /** `[H, W, C]` of one image. */
  get imageShape(): [number, number, number] {
    return [this.height, this.width, this.channels];
  }

  /** The images at `indices` and their labels, as a batch (free both tensors). */
  batch(indices: ArrayLike<number>, range: PixelRange = "01"): Batch {
    const xBhwc = this.images(indices, range);
    const labels = tf.tensor1d(Int32Array.from(indices, (k) => this.labels[k]), "int32");
    return { xBhwc, labels };
  }

  /** The images at `indices` as one `[n, H, W, C]` tensor, without labels. */
  images(indices: ArrayLike<number>, range: PixelRange = "01"): tf.Tensor4D {
    if (range !== "01" && range !== "-11") {
      throw new InputError(`range must be "01" or "-11", got ${JSON.stringify(range)}`);
    }
    const per = this.height * this.width * this.channels;
    const n = indices.length;
    const x = new Float32Array(n * per);
    const [scale, shift] = range === "01" ? [1 / 255, 0] : [2 / 255, -1];
    for (let i = 0; i < n; i++) {
      const k = indices[i];
      this.checkIndex(k);
      const src = this.pixels.subarray(k * per, (k + 1) * per);
      const off = i * per;
      for (let j = 0; j < per; j++) x[off + j] = src[j] * scale + shift;
    }
    return tf.tensor4d(x, [n, this.height, this.width, this.channels]);
  }

  /** Throws an `InputError` unless `k` is the index of one of the images. */
  private checkIndex(k: number): void {
    if (!(Number.isInteger(k) && k >= 0 && k < this.length)) {
      throw new InputError(
        `${this.name}: no image at index ${k}; indices are integers in [0, ${this.length - 1}]`,
      );
    }
  }

  /**
   * Index batches over one epoch: shuffled with `seed` (in order without), the last partial
   * batch kept unless `dropLast`.
   */
  *batchIndices(
    batchSize: number,
    { seed, dropLast = false }: { seed?: number; dropLast?: boolean } = {},
  ): Generator<Int32Array> {
    checkPositiveInt(batchSize, "batchSize");
    const order = seed === undefined
      ? Int32Array.from({ length: this.length }, (_, i) => i)
      : shuffledIndices(this.length, seededRandom(seed));
    for (let start = 0; start < this.length; start += batchSize) {
      const end = Math.min(start + batchSize, this.length);
      if (dropLast && end - start < batchSize) break;
      yield order.subarray(start, end);
    }
  }

  /** Batches over one epoch (the caller disposes each batch's tensors). */
  *batches(
    batchSize: number,
    options: { seed?: number; dropLast?: boolean; range?: PixelRange } = {},
  ): Generator<Batch> {
    for (const idx of this.batchIndices(batchSize, options)) {
      yield this.batch(idx, options.range);
    }
  }

  /** The first `n` images (or all) as a new dataset sharing no memory with this one. */
  take(n: number): ImageDataset {
    checkPositiveInt(n, `${this.name}.take: n`);
    const k = Math.min(n, this.length);
    const per = this.height * this.width * this.channels;
    return new ImageDataset(
      `${this.name}[:${k}]`,
      this.pixels.slice(0, k * per),
      this.labels.slice(0, k),
      this.height,
      this.width,
      this.channels,
      this.classNames,
    );
  }

  /** The images at `indices`, in that order, as a new dataset. */
  subset(indices: ArrayLike<number>, name = `${this.name}[subset]`): ImageDataset {
    const per = this.height * this.width * this.channels;
    const pixels = new Uint8Array(indices.length * per);
    const labels = new Uint8Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i];
      this.checkIndex(k);
      pixels.set(this.pixels.subarray(k * per, (k + 1) * per), i * per);
      labels[i] = this.labels[k];
    }
    return new ImageDataset(
      name,
      pixels,
      labels,
      this.height,
      this.width,
      this.channels,
      this.classNames,
    );
  }

  /**
   * A seeded random split into `[train, test]` with `testShare` of the images in test (rounded;
   * each set gets at least one image, so the dataset needs at least two).
   */
  split(testShare: number, seed = 0): [ImageDataset, ImageDataset] {
    if (!(typeof testShare === "number" && testShare > 0 && testShare < 1)) {
      throw new InputError(`split: testShare must be a number in (0, 1), got ${testShare}`);
    }
    if (this.length < 2) {
      throw new InputError(
        `split: ${this.name} has ${this.length} image(s); a train and a test set need at least 2`,
      );
    }
    const order = shuffledIndices(this.length, seededRandom(seed));
    const nTest = Math.min(this.length - 1, Math.max(1, Math.round(this.length * testShare)));
    return [
      this.subset(order.subarray(nTest), `${this.name}-train`),
      this.subset(order.subarray(0, nTest), `${this.name}-test`),
    ];
  }
}

/** The ten Fashion-MNIST class names, by label. */
export const FASHION_MNIST_CLASSES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
] as const;

/** A folder (a path or a URL) as a URL ending in "/". */
function folderUrl(dir: URL | string): URL {
  if (typeof dir === "string" && !/^(file|https?):/.test(dir)) {
    return pathToFileURL(dir.replace(/\/?$/, "/"));
  }
  return new URL(String(dir).replace(/\/?$/, "/"));
}

/**
 * Fashion-MNIST (Zalando, MIT licence) from data/fashion-mnist: 60k train or 10k test.
 *
 * @example
 * ```ts
 * import { loadFashionMnist } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const test = await loadFashionMnist("test");
 * assertEquals([test.length, test.height, test.width, test.channels], [10000, 28, 28, 1]);
 * const { xBhwc, labels } = test.batch([0, 1]); // pixels in [0, 1]
 * assertEquals(xBhwc.shape, [2, 28, 28, 1]);
 * assertEquals(test.classNames[test.labels[0]], "Ankle boot");
 * xBhwc.dispose();
 * labels.dispose();
 * ```
 */
export async function loadFashionMnist(
  split: "train" | "test",
  dir: URL | string = new URL("fashion-mnist/", DATA_DIR),
): Promise<ImageDataset> {
  const base = folderUrl(dir);
  const prefix = split === "train" ? "train" : "t10k";
  const url = (kind: string) =>
    new URL(`${prefix}-${kind}-idx${kind === "images" ? 3 : 1}-ubyte.gz`, base);
  const [images, labels] = await Promise.all([readIdx(url("images")), readIdx(url("labels"))]);
  if (images.shape.length !== 3 || labels.shape.length !== 1) {
    throw new InputError(
      `fashion-mnist ${split}: expected images [N, 28, 28] and labels [N], got [${images.shape}] and [${labels.shape}]`,
    );
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new InputError(
      `fashion-mnist ${split}: ${images.shape[0]} images but ${labels.shape[0]} labels`,
    );
  }
  const [, h, w] = images.shape;
  return new ImageDataset(
    `fashion-mnist-${split}`,
    images.data,
    labels.data,
    h,
    w,
    1,
    FASHION_MNIST_CLASSES,
  );
}

/** A JSON file, with the same clear errors as the IDX files for a missing or corrupt one. */
async function readJson(url: URL): Promise<{ categories: string[] }> {
  const path = url.protocol === "file:" ? fileURLToPath(url) : url.href;
  let text: string;
  try {
    text = await readText(url);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") {
      throw new InputError(`${path}: file not found (the shipped datasets live in data/)`);
    }
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`${path}: not valid JSON (corrupt file)`);
  }
}

/**
 * Twemoji at 32×32 RGB (graphics © Twitter, Inc and other contributors, CC-BY 4.0), from
 * data/twemoji (built by scripts/build/build_twemoji.ts): 1,906 emoji composited onto white, with
 * their emoji category (9 classes) as label.
 */
export async function loadTwemoji(
  dir: URL | string = new URL("twemoji/", DATA_DIR),
): Promise<ImageDataset> {
  const base = folderUrl(dir);
  const [images, labels, meta] = await Promise.all([
    readIdx(new URL("twemoji-32-images-idx4-ubyte.gz", base)),
    readIdx(new URL("twemoji-32-labels-idx1-ubyte.gz", base)),
    readJson(new URL("twemoji-32.json", base)),
  ]);
  if (images.shape.length !== 4 || images.shape[3] !== 3 || labels.shape[0] !== images.shape[0]) {
    throw new InputError(
      `twemoji: expected images [N, 32, 32, 3] and labels [N], got [${images.shape}] and [${labels.shape}]`,
    );
  }
  const [, h, w, c] = images.shape;
  return new ImageDataset("twemoji-32", images.data, labels.data, h, w, c, meta.categories);
}

/**
 * The seed's dummy data, made reproducible: `length` images of `[H, W, C]` with seeded
 * smooth random blobs (not pure noise, so a model can learn something) and labels.
 *
 * @example
 * ```ts
 * import { DummyDataset } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const data = new DummyDataset({ length: 8, height: 16, width: 16, channels: 3 });
 * const again = new DummyDataset({ length: 8, height: 16, width: 16, channels: 3 });
 * assertEquals(data.pixels, again.pixels); // seeded: the same images every time
 * ```
 */
export class DummyDataset extends ImageDataset {
  /** `length` seeded images of soft discs (defaults: 256 of 28×28×1, 10 classes). */
  constructor(
    {
      length = 256,
      height = 28,
      width = 28,
      channels = 1,
      classes = 10,
      seed = 0,
    }: {
      length?: number;
      height?: number;
      width?: number;
      channels?: number;
      classes?: number;
      seed?: number;
    } = {},
  ) {
    for (const [v, name] of [[length, "length"], [height, "height"], [width, "width"]] as const) {
      checkPositiveInt(v, name);
    }
    if (channels !== 1 && channels !== 3) {
      throw new InputError(`channels must be 1 or 3, got ${channels}`);
    }
    if (!Number.isInteger(classes) || classes < 1 || classes > 256) {
      throw new InputError(`classes must be an integer in [1, 256], got ${classes}`);
    }
    const rand = seededRandom(seed);
    const per = height * width * channels;
    const pixels = new Uint8Array(length * per);
    const labels = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      labels[i] = Math.floor(rand() * classes);
      const cy = rand() * height;
      const cx = rand() * width;
      const r = (0.15 + 0.25 * rand()) * Math.min(height, width);
      const tint = Array.from({ length: channels }, () => 0.4 + 0.6 * rand());
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const d = Math.hypot(y - cy, x - cx) / r;
          const v = Math.max(0, 1 - d * d);
          for (let c = 0; c < channels; c++) {
            pixels[i * per + (y * width + x) * channels + c] = Math.round(255 * v * tint[c]);
          }
        }
      }
    }
    super(
      `dummy-${seed}`,
      pixels,
      labels,
      height,
      width,
      channels,
      Array.from({ length: classes }, (_, k) => `class ${k}`),
    );
  }
}
