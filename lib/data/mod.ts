/**
 * Datasets: the IDX reader, Fashion-MNIST and Twemoji shipped in data/, any folder of images, a seeded dummy set.
 *
 * @module
 */
export { encodeIdx, parseIdx, readIdx } from "./idx.ts";
export type { IdxArray } from "./idx.ts";
export { IMAGE_EXTENSIONS, loadImageFolder } from "./folder.ts";
export { loadImage } from "./image.ts";
export type { LoadImageOptions } from "./image.ts";
export { centreSquare } from "./square.ts";
export type { ImageFolderOptions } from "./folder.ts";
export {
  DummyDataset,
  FASHION_MNIST_CLASSES,
  ImageDataset,
  loadFashionMnist,
  loadTwemoji,
} from "./datasets.ts";
export type { Batch, PixelRange } from "./datasets.ts";
