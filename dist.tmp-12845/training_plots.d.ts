import type { ImageDataset } from "./data.ts";
import { type Figure } from "./plot.ts";
import type { MetricsRecord } from "./train.ts";
import type { VQModel } from "./vqvae.ts";
/**
 * Four panels from a training history: training loss (and its reconstruction part), test
 * PSNR, codebook perplexity, and codebook usage (all scales, and each scale when there are
 * several).
 */
export declare function trainingFigure(history: readonly MetricsRecord[], title?: string): Figure;
/**
 * Live training curves: pass `live.onMetrics` to `train` and they redraw in place as metrics
 * arrive; `await live.close()` draws the final state.
 */
export declare class LiveTrainingCurves {
    readonly title?: string | undefined;
    readonly history: MetricsRecord[];
    private readonly figure;
    private started;
    constructor(title?: string | undefined, minIntervalMs?: number);
    /** The callback for `train({ onMetrics })`. */
    readonly onMetrics: (m: MetricsRecord) => Promise<void>;
    /** Draws the last state. */
    close(): Promise<void>;
}
/**
 * Originals (top row of each pair) above their reconstructions, for the images at `indices`
 * of `data` (pixels in [0, 1]).
 */
export declare function reconstructionFigure(model: VQModel, data: ImageDataset, indices: number[], o?: {
    title?: string;
    cols?: number;
}): Figure;
