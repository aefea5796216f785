var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/data.ts
var data_exports = {};
__export(data_exports, {
  DummyDataset: () => DummyDataset,
  FASHION_MNIST_CLASSES: () => FASHION_MNIST_CLASSES,
  ImageDataset: () => ImageDataset,
  loadFashionMnist: () => loadFashionMnist,
  loadTwemoji: () => loadTwemoji
});
module.exports = __toCommonJS(data_exports);
var import_promises = require("node:fs/promises");
var import_node_url = require("node:url");
var import_backend = require("./backend.js");
var import_idx = require("./idx.js");
var import_random = require("./random.js");
var ImageDataset = class _ImageDataset {
  constructor(name, pixels, labels, height, width, channels, classNames) {
    this.name = name;
    this.pixels = pixels;
    this.labels = labels;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.classNames = classNames;
    const per = height * width * channels;
    if (pixels.length % per !== 0 || pixels.length / per !== labels.length) {
      throw new Error(
        `${name}: ${pixels.length} pixel bytes do not make ${labels.length} images of ${height}x${width}x${channels}`
      );
    }
  }
  name;
  pixels;
  labels;
  height;
  width;
  channels;
  classNames;
  get length() {
    return this.labels.length;
  }
  /** `[H, W, C]` of one image. */
  get imageShape() {
    return [this.height, this.width, this.channels];
  }
  /** The images at `indices` as a batch. */
  batch(indices, range = "01") {
    const per = this.height * this.width * this.channels;
    const n = indices.length;
    const x = new Float32Array(n * per);
    const y = new Int32Array(n);
    const [scale, shift] = range === "01" ? [1 / 255, 0] : [2 / 255, -1];
    for (let i = 0; i < n; i++) {
      const k = indices[i];
      if (!(k >= 0 && k < this.length)) {
        throw new RangeError(`${this.name}: index ${k} outside [0, ${this.length - 1}]`);
      }
      const src = this.pixels.subarray(k * per, (k + 1) * per);
      const off = i * per;
      for (let j = 0; j < per; j++) x[off + j] = src[j] * scale + shift;
      y[i] = this.labels[k];
    }
    return {
      xBhwc: import_backend.tf.tensor4d(x, [n, this.height, this.width, this.channels]),
      labels: import_backend.tf.tensor1d(y, "int32")
    };
  }
  /**
   * Index batches over one epoch: shuffled with `seed` (in order without), the last partial
   * batch kept unless `dropLast`.
   */
  *batchIndices(batchSize, { seed, dropLast = false } = {}) {
    const order = seed === void 0 ? Int32Array.from({ length: this.length }, (_, i) => i) : (0, import_random.shuffledIndices)(this.length, (0, import_random.seededRandom)(seed));
    for (let start = 0; start < this.length; start += batchSize) {
      const end = Math.min(start + batchSize, this.length);
      if (dropLast && end - start < batchSize) break;
      yield order.subarray(start, end);
    }
  }
  /** Batches over one epoch (the caller disposes each batch's tensors). */
  *batches(batchSize, options = {}) {
    for (const idx of this.batchIndices(batchSize, options)) {
      yield this.batch(idx, options.range);
    }
  }
  /** The first `n` images (or all) as a new dataset sharing no memory with this one. */
  take(n) {
    const k = Math.min(n, this.length);
    const per = this.height * this.width * this.channels;
    return new _ImageDataset(
      `${this.name}[:${k}]`,
      this.pixels.slice(0, k * per),
      this.labels.slice(0, k),
      this.height,
      this.width,
      this.channels,
      this.classNames
    );
  }
  /** The images at `indices`, in that order, as a new dataset. */
  subset(indices, name = `${this.name}[subset]`) {
    const per = this.height * this.width * this.channels;
    const pixels = new Uint8Array(indices.length * per);
    const labels = new Uint8Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i];
      if (!(Number.isInteger(k) && k >= 0 && k < this.length)) {
        throw new RangeError(`${this.name}: index ${k} outside [0, ${this.length - 1}]`);
      }
      pixels.set(this.pixels.subarray(k * per, (k + 1) * per), i * per);
      labels[i] = this.labels[k];
    }
    return new _ImageDataset(
      name,
      pixels,
      labels,
      this.height,
      this.width,
      this.channels,
      this.classNames
    );
  }
  /** A seeded random split into `[train, test]` with `testShare` of the images in test. */
  split(testShare, seed = 0) {
    if (!(testShare > 0 && testShare < 1)) {
      throw new RangeError(`split: testShare must be in (0, 1), got ${testShare}`);
    }
    const order = (0, import_random.shuffledIndices)(this.length, (0, import_random.seededRandom)(seed));
    const nTest = Math.max(1, Math.round(this.length * testShare));
    return [
      this.subset(order.subarray(nTest), `${this.name}-train`),
      this.subset(order.subarray(0, nTest), `${this.name}-test`)
    ];
  }
};
var FASHION_MNIST_CLASSES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot"
];
var DATA_DIR = new URL("../data/", __vqvarModuleUrl);
function folderUrl(dir) {
  if (typeof dir === "string" && !dir.startsWith("file:")) {
    return (0, import_node_url.pathToFileURL)(dir.replace(/\/?$/, "/"));
  }
  return new URL(String(dir).replace(/\/?$/, "/"));
}
async function loadFashionMnist(split, dir = new URL("fashion-mnist/", DATA_DIR)) {
  const base = folderUrl(dir);
  const prefix = split === "train" ? "train" : "t10k";
  const url = (kind) => new URL(`${prefix}-${kind}-idx${kind === "images" ? 3 : 1}-ubyte.gz`, base);
  const [images, labels] = await Promise.all([(0, import_idx.readIdx)(url("images")), (0, import_idx.readIdx)(url("labels"))]);
  if (images.shape.length !== 3 || labels.shape.length !== 1) {
    throw new Error(
      `fashion-mnist ${split}: expected images [N, 28, 28] and labels [N], got [${images.shape}] and [${labels.shape}]`
    );
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `fashion-mnist ${split}: ${images.shape[0]} images but ${labels.shape[0]} labels`
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
    FASHION_MNIST_CLASSES
  );
}
async function loadTwemoji(dir = new URL("twemoji/", DATA_DIR)) {
  const base = folderUrl(dir);
  const [images, labels, meta] = await Promise.all([
    (0, import_idx.readIdx)(new URL("twemoji-32-images-idx4-ubyte.gz", base)),
    (0, import_idx.readIdx)(new URL("twemoji-32-labels-idx1-ubyte.gz", base)),
    (0, import_promises.readFile)(new URL("twemoji-32.json", base), "utf8").then((t) => JSON.parse(t))
  ]);
  if (images.shape.length !== 4 || images.shape[3] !== 3 || labels.shape[0] !== images.shape[0]) {
    throw new Error(
      `twemoji: expected images [N, 32, 32, 3] and labels [N], got [${images.shape}] and [${labels.shape}]`
    );
  }
  const [, h, w, c] = images.shape;
  return new ImageDataset("twemoji-32", images.data, labels.data, h, w, c, meta.categories);
}
var DummyDataset = class extends ImageDataset {
  constructor({
    length = 256,
    height = 28,
    width = 28,
    channels = 1,
    classes = 10,
    seed = 0
  } = {}) {
    const rand = (0, import_random.seededRandom)(seed);
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
      Array.from({ length: classes }, (_, k) => `class ${k}`)
    );
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  DummyDataset,
  FASHION_MNIST_CLASSES,
  ImageDataset,
  loadFashionMnist,
  loadTwemoji
});
//# sourceMappingURL=data.js.map
