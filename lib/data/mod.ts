/**
 * Datasets shipped in data/: the IDX reader, Fashion-MNIST, Twemoji, a seeded dummy set.
 *
 * @module
 */
export { encodeIdx, parseIdx, readIdx } from "./idx.ts";
export type { IdxArray } from "./idx.ts";
export {
  DummyDataset,
  FASHION_MNIST_CLASSES,
  ImageDataset,
  loadFashionMnist,
  loadTwemoji,
} from "./datasets.ts";
export type { Batch, PixelRange } from "./datasets.ts";
