/**
 * The single-scale vector quantizer of VQ-VAE (the seed's `VectorQuantizer2`), with the tools
 * that keep a codebook healthy.
 *
 * For encoder outputs `z` (`[B, H, W, C]`) and a codebook `e` (`[V, C]`):
 * - `k = argminⱼ ‖z − eⱼ‖²` (or the largest cosine similarity), `q = e_k`;
 * - `loss = mse(q, sg(z)) + β · mse(sg(q), z)`: the codebook term pulls codes to the encoder
 *   outputs, the commitment term keeps the encoder near its codes (`sg` = stop-gradient);
 * - `quantized = z + sg(q − z)`: the value of `q`, with the decoder's gradient copied to `z`
 *   (the straight-through estimator).
 *
 * Codebook health: EMA updates instead of the codebook loss (VQ-VAE paper, Sonnet's
 * `VectorQuantizerEMA`), dead-code restart from recent encoder outputs, and k-means++ /
 * k-means initialisation from data. Metrics: `lib/codebook_health.ts`.
 */
import { tf } from "./backend.ts";
import { DeadCodeTracker, type RestartOptions } from "./dead_codes.ts";
import { type Distance } from "./nearest.ts";
export interface EmaOptions {
    /** Weight of the past in the moving averages (Sonnet: 0.99). */
    decay: number;
    /** Laplace smoothing of cluster sizes (Sonnet: 1e-5). */
    epsilon?: number;
}
export interface VectorQuantizerOptions {
    vocabSize: number;
    dim: number;
    /** Commitment weight β (the seed uses 1, VQ-VAE 0.25). */
    beta?: number;
    distance?: Distance;
    /** Update the codebook by exponential moving averages instead of the codebook loss. */
    ema?: EmaOptions;
    /** How many recent encoder outputs to keep for dead-code restarts (default 4096). */
    recentSize?: number;
    /** Seed of the codebook initialisation and of restarts. */
    seed?: number;
    /** Check inputs for NaN/Infinity (one read-back per call; default true). */
    checkNumerics?: boolean;
}
export interface QuantizerOutput {
    /** `[B, H, W, C]`: codes, with the straight-through gradient to the input. */
    quantized: tf.Tensor4D;
    /** Codebook + β·commitment loss (commitment only with EMA). */
    loss: tf.Scalar;
    /** `int32 [B·H·W]`: the chosen codes in B, H, W order. */
    indices: tf.Tensor1D;
}
export type { RestartOptions };
export type InitMethod = "kmeans++" | "kmeans";
export declare class VectorQuantizer {
    readonly vocabSize: number;
    readonly dim: number;
    readonly beta: number;
    readonly distance: Distance;
    readonly ema?: Required<EmaOptions>;
    readonly checkNumerics: boolean;
    /** `[V, C]` code vectors. */
    readonly codebook: tf.Variable<tf.Rank.R2>;
    /** Code hits and recent encoder outputs, for dead-code restarts. */
    readonly deadCodes: DeadCodeTracker;
    private emaClusterSize?;
    private emaSums?;
    private emaSteps;
    private readonly rand;
    constructor(options: VectorQuantizerOptions);
    /** Replaces the codebook (`[V, C]`). */
    setCodebook(embedding: tf.Tensor2D): void;
    /** Nearest code of every row of `zNc` (`[N, C]`): `int32 [N]`. */
    nearest(zNc: tf.Tensor2D): tf.Tensor1D;
    /** Code vectors of indices: `[...idx.shape, C]`. */
    lookup(indices: tf.Tensor): tf.Tensor;
    /**
     * Quantizes `zBhwc` (`[B, H, W, C]`). With `training`, also records code hits and recent
     * encoder outputs (for restarts) and, in EMA mode, moves the codebook.
     */
    forward(zBhwc: tf.Tensor4D, { training }?: {
        training?: boolean | undefined;
    }): QuantizerOutput;
    /** Training bookkeeping: hit counts, the recent-outputs buffer, EMA codebook update. */
    private record;
    /**
     * Sonnet's `VectorQuantizerEMA`: debiased moving averages of cluster sizes `N` and of the sums
     * `m` of the vectors assigned to each code; `eᵢ = mᵢ / Ñᵢ` with Laplace-smoothed
     * `Ñᵢ = (Nᵢ + ε) / (n + V·ε) · n`.
     */
    private emaUpdate;
    /**
     * Re-initialises codes chosen fewer than `minCount` times since the last restart with
     * recent encoder outputs (chosen at random), then resets the hit counts. Returns how many
     * codes were restarted.
     */
    restartDeadCodes(options?: RestartOptions): number;
    /**
     * Initialises the codebook from data `zNc` (`[N, C]`, N ≥ V): k-means++ seeding, followed by
     * `iterations` rounds of Lloyd's k-means for `"kmeans"` (default 10).
     */
    initFromData(zNc: tf.Tensor2D, method?: InitMethod, iterations?: number): void;
    /** Frees the quantizer's variables. */
    dispose(): void;
}
/** k-means++ seeding: each next centre drawn with probability ∝ squared distance to the set. */
export declare function kmeansPlusPlus(zNc: tf.Tensor2D, k: number, rand: () => number): tf.Tensor2D;
