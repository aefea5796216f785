import type { ImageDataset } from "./data.ts";
import type { VQModel } from "./vqvae.ts";
export interface TestMetrics {
    /** Mean squared error over all pixels, reconstructions clipped to [0, 1]. */
    mse: number;
    /** `10·log10(1 / mse)` dB. */
    psnr: number;
    /** Perplexity of the code histogram over all scales' tokens. */
    perplexity: number;
    /** Share of the codebook (0..1) used at least once over the set, all scales together. */
    usage: number;
    /** The same share per scale (one entry for a single-scale quantizer). */
    usagePerScale: number[];
    images: number;
}
/** `10·log10(1 / mse)` for pixels in [0, 1]. */
export declare function psnrFromMse(mse: number): number;
/** Evaluates `model` on `data` (or its first `limit` images) in batches of `batchSize`. */
export declare function evaluate(model: VQModel, data: ImageDataset, { batchSize, limit }?: {
    batchSize?: number;
    limit?: number;
}): TestMetrics;
