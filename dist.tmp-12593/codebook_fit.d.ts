/**
 * Fitting a codebook alone to fixed vectors (no encoder): the smallest experiment that shows
 * how codes move, which ones die, and what dead-code restarts, EMA updates and k-means
 * initialisation do about it. Notebook 01 runs it on 2-D data.
 */
import { tf } from "./backend.ts";
import type { VectorQuantizer } from "./quantizer.ts";
export interface FitCodebookOptions {
    steps: number;
    /** Adam's learning rate for the codebook (ignored with EMA, which moves codes itself). */
    lr?: number;
    /** Restart dead codes every this many steps (0: never). */
    restartEvery?: number;
    /** Keep a copy of the codebook every this many steps (0: never; the last one is always kept). */
    snapshotEvery?: number;
}
/** One step's health, measured on all the vectors. */
export interface FitRecord {
    step: number;
    /** The quantizer's loss (codebook + β·commitment; β·commitment alone with EMA). */
    loss: number;
    /** Share of codes that some vector chooses. */
    usage: number;
    /** exp(entropy) of the code frequencies: the number of codes "effectively" in use. */
    perplexity: number;
    /** Codes restarted at this step. */
    restarted: number;
}
export interface FitResult {
    history: FitRecord[];
    snapshots: {
        step: number;
        codebook: number[][];
    }[];
}
/**
 * Fits `quantizer.codebook` to the vectors `zNc` (`[N, C]`) for `steps` full-batch steps.
 * Without EMA the codebook learns by gradient descent on the quantizer loss; with EMA the
 * forward pass moves it. Every step is recorded (`history`).
 */
export declare function fitCodebook(quantizer: VectorQuantizer, zNc: tf.Tensor2D, { steps, lr, restartEvery, snapshotEvery }: FitCodebookOptions): FitResult;
