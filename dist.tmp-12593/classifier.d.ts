/**
 * A small CNN that tells the ten Fashion-MNIST classes apart: the judge of generated samples
 * (does a VAR sample of class "Sneaker" look like a sneaker?). conv 3×3 (32) → ReLU → stride-2
 * conv (32) → ReLU → conv 3×3 (64) → ReLU → stride-2 conv (64) → ReLU → mean over space → dense
 * → 10 logits. Images `[B, 28, 28, 1]` in [0, 1].
 */
import { tf } from "./backend.ts";
import type { ImageDataset } from "./data.ts";
export interface ClassifierConfig {
    classes: number;
    channels: number;
    seed: number;
}
export declare class Classifier {
    readonly config: ClassifierConfig;
    private readonly convs;
    private readonly dense;
    constructor(config?: Partial<ClassifierConfig>);
    /** Class logits `[B, classes]` of images `[B, H, W, 1]` in [0, 1]. */
    logits(xBhwc: tf.Tensor4D): tf.Tensor2D;
    /** Predicted class of each image. */
    predict(xBhwc: tf.Tensor4D): Int32Array;
    /** Share of `data` classified correctly. */
    accuracy(data: ImageDataset, batchSize?: number): number;
    variables(): Map<string, tf.Variable>;
    /** Trains with Adam (warm-up, cosine decay) for `steps` or `minutes`, whichever comes first. */
    train(data: ImageDataset, { steps, minutes, batchSize, lr, seed }?: {
        steps?: number | undefined;
        minutes?: number | undefined;
        batchSize?: number | undefined;
        lr?: number | undefined;
        seed?: number | undefined;
    }): {
        steps: number;
        seconds: number;
        loss: number;
    };
    dispose(): void;
}
