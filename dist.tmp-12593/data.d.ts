import { tf } from "./backend.ts";
export type PixelRange = "01" | "-11";
export interface Batch {
    /** `[B, H, W, C]` float32 pixels in the requested range. */
    xBhwc: tf.Tensor4D;
    /** `int32 [B]` class labels. */
    labels: tf.Tensor1D;
}
export declare class ImageDataset {
    readonly name: string;
    /** `N·H·W·C` bytes, NHWC. */
    readonly pixels: Uint8Array;
    readonly labels: Uint8Array;
    readonly height: number;
    readonly width: number;
    readonly channels: number;
    readonly classNames: readonly string[];
    constructor(name: string, 
    /** `N·H·W·C` bytes, NHWC. */
    pixels: Uint8Array, labels: Uint8Array, height: number, width: number, channels: number, classNames: readonly string[]);
    get length(): number;
    /** `[H, W, C]` of one image. */
    get imageShape(): [number, number, number];
    /** The images at `indices` as a batch. */
    batch(indices: ArrayLike<number>, range?: PixelRange): Batch;
    /**
     * Index batches over one epoch: shuffled with `seed` (in order without), the last partial
     * batch kept unless `dropLast`.
     */
    batchIndices(batchSize: number, { seed, dropLast }?: {
        seed?: number;
        dropLast?: boolean;
    }): Generator<Int32Array>;
    /** Batches over one epoch (the caller disposes each batch's tensors). */
    batches(batchSize: number, options?: {
        seed?: number;
        dropLast?: boolean;
        range?: PixelRange;
    }): Generator<Batch>;
    /** The first `n` images (or all) as a new dataset sharing no memory with this one. */
    take(n: number): ImageDataset;
    /** The images at `indices`, in that order, as a new dataset. */
    subset(indices: ArrayLike<number>, name?: string): ImageDataset;
    /** A seeded random split into `[train, test]` with `testShare` of the images in test. */
    split(testShare: number, seed?: number): [ImageDataset, ImageDataset];
}
export declare const FASHION_MNIST_CLASSES: readonly ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
/** Fashion-MNIST (Zalando, MIT licence) from data/fashion-mnist: 60k train or 10k test. */
export declare function loadFashionMnist(split: "train" | "test", dir?: URL | string): Promise<ImageDataset>;
/**
 * Twemoji at 32×32 RGB (graphics © Twitter, Inc and other contributors, CC-BY 4.0), from
 * data/twemoji (built by scripts/build_twemoji.ts): 1,906 emoji composited onto white, with
 * their emoji category (9 classes) as label.
 */
export declare function loadTwemoji(dir?: URL | string): Promise<ImageDataset>;
/**
 * The seed's dummy data, made reproducible: `length` images of `[H, W, C]` with seeded
 * smooth random blobs (not pure noise, so a model can learn something) and labels.
 */
export declare class DummyDataset extends ImageDataset {
    constructor({ length, height, width, channels, classes, seed, }?: {
        length?: number;
        height?: number;
        width?: number;
        channels?: number;
        classes?: number;
        seed?: number;
    });
}
