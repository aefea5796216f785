/**
 * Training VAR on token maps: tokenize a dataset once with a trained VQ-VAE, then train the
 * next-scale transformer on batches of (tokens, labels) with teacher forcing.
 */
import { tf } from "./backend.ts";
import type { ImageDataset } from "./data.ts";
import { MultiScaleQuantizer } from "./multiscale.ts";
import type { VAR } from "./var.ts";
import type { VQModel } from "./vqvae.ts";
/** A dataset's token maps: `tokens` is `[N, L]` (all scales concatenated), row-major. */
export interface TokenSet {
    tokens: Int32Array;
    labels: Uint8Array;
    L: number;
    patchNums: number[];
    get length(): number;
}
/** Tokenizes every image of `data` with `model.imgToIdxBl` (multi-scale quantizer only). */
export declare function tokenize(model: VQModel, data: ImageDataset, batchSize?: number): TokenSet;
/** The rows `indices` of a token set: `tokBL` `[B, L]` int32, `idxBl` per scale, labels. */
export declare function tokenBatch(set: TokenSet, indices: ArrayLike<number>): {
    tokBL: tf.Tensor2D;
    idxBl: tf.Tensor2D[];
    labels: tf.Tensor1D;
};
export interface VARTrainOptions {
    steps?: number;
    minutes?: number;
    batchSize?: number;
    lr?: number;
    warmupSteps?: number;
    /** Test loss every this many steps (on `evalSamples` test rows). */
    evalEvery?: number;
    evalSamples?: number;
    seed?: number;
    onMetrics?: (m: VARMetrics) => void | Promise<void>;
    log?: ((line: string) => void) | null;
}
export interface VARMetrics {
    step: number;
    seconds: number;
    lr: number;
    /** Mean training loss since the previous record. */
    trainLoss: number;
    /** Mean training loss per scale since the previous record. */
    trainLossPerScale: number[];
    testLoss: number;
    /** Top-1 accuracy of the next-scale predictions on the test rows. */
    testAccuracy: number;
    samplesPerSecond: number;
}
/** Test loss and top-1 token accuracy (teacher forcing, no class dropout) on `set`. */
export declare function evaluateVAR(model: VAR, quantizer: MultiScaleQuantizer, set: TokenSet, limit?: number, batchSize?: number): {
    loss: number;
    accuracy: number;
};
/** Trains `model` on `train` token maps (teacher forcing) for a step or time budget. */
export declare function trainVAR(model: VAR, quantizer: MultiScaleQuantizer, train: TokenSet, test: TokenSet, options?: VARTrainOptions): Promise<{
    steps: number;
    seconds: number;
    history: VARMetrics[];
}>;
