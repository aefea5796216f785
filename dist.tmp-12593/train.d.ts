import type { ImageDataset } from "./data.ts";
import { type TestMetrics } from "./metrics.ts";
import type { VQModel } from "./vqvae.ts";
export interface TrainOptions {
    /** Stop after this many steps. */
    steps?: number;
    /** Stop after this many minutes of training (evaluation time not counted). */
    minutes?: number;
    batchSize?: number;
    /**
     * Peak learning rate (default 7e-3). Measured on the Fashion-MNIST VQVAE with the
     * multi-scale quantizer, 3 minutes: 2e-3 → 21.8 dB, 5e-3 → 22.4 dB, 7e-3 → 22.7–22.8 dB.
     */
    lr?: number;
    warmupSteps?: number;
    /** The learning rate decays (cosine) to `lr · finalLrRatio` at the end of the budget. */
    finalLrRatio?: number;
    /**
     * Dead-code restart every this many steps (0: never); also at the steps of `earlyRestarts`,
     * which place the codes onto real encoder outputs while the codebook is still young.
     */
    restartEvery?: number;
    earlyRestarts?: number[];
    /** Metrics every this many steps (0: only at the end). */
    evalEvery?: number;
    /** Images of the test set used by the periodic metrics (the final one uses all). */
    evalImages?: number;
    seed?: number;
    /** Called with every metrics record (for live plots). */
    onMetrics?: (m: MetricsRecord) => void | Promise<void>;
    /** Progress lines (default: console.log; `null` for silence). */
    log?: ((line: string) => void) | null;
}
export interface MetricsRecord {
    step: number;
    seconds: number;
    lr: number;
    /** Training loss and its parts, averaged since the previous record. */
    loss: number;
    reconstruction: number;
    vq: number;
    imagesPerSecond: number;
    restarted: number;
    test?: TestMetrics;
}
export interface TrainResult {
    steps: number;
    /** Seconds spent in training steps (without evaluation). */
    seconds: number;
    imagesPerSecond: number;
    history: MetricsRecord[];
    test: TestMetrics;
    trainLoss: number;
}
/** Learning rate at `progress` ∈ [0, 1] of the budget and `step`. */
export declare function learningRate(step: number, progress: number, { lr, warmupSteps, finalLrRatio }: TrainOptions): number;
export declare function train(model: VQModel, trainSet: ImageDataset, testSet: ImageDataset, options?: TrainOptions): Promise<TrainResult>;
