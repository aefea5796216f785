/**
 * VAR's multi-scale residual quantizer (FoundationVision/VAR, models/quant.py,
 * `VectorQuantizer2`), channels-last.
 *
 * A feature map `f` (`[B, H, W, C]`, H = W = last patch number) is described by K token maps
 * of growing size `pn₁ < … < pn_K`. At scale k the residual `f − f̂` is area-downsampled to
 * `pn_k × pn_k`, each position takes its nearest code, the code map is bicubic-upsampled back
 * to `H × W`, refined by φ, and added to `f̂`:
 *
 *   r_k = area(f − f̂_{k−1}, pn_k),  idx_k = nearest(r_k),
 *   f̂_k = f̂_{k−1} + φ_k(bicubic(e[idx_k], H)).
 *
 * Names follow VAR: `idxBl` is the list of token maps `[B, pn²]`; `fHat` is `f̂` (`[B, H, W, C]`);
 * `hBhwc` is one scale's code map; the VAR input is `[B, L − pn₁², C]` with `L = Σ pn²`.
 */
import { tf } from "./backend.ts";
import { DeadCodeTracker, type RestartOptions } from "./dead_codes.ts";
import { Phi, type PhiWeights } from "./phi.ts";
export interface MultiScaleQuantizerOptions {
    vocabSize: number;
    /** Channels of the feature map (VAR's `Cvae`). */
    cvae: number;
    /** Token-map sizes from small to large; the last equals the feature map's H = W. */
    patchNums: number[];
    /** Commitment weight β. */
    beta?: number;
    /** φ's blend ratio r (|quantResi|); 0 makes φ the identity. */
    quantResi?: number;
    /** K ≥ 2: K shared φ; 1: one φ; 0: one φ per scale. */
    shareQuantResi?: number;
    /** Choose codes by cosine similarity of L2-normalised vectors (VAR's `using_znorm`). */
    usingZnorm?: boolean;
    seed?: number;
    /** How many recent residual vectors to keep for dead-code restarts (default 4096). */
    recentSize?: number;
    /** Check inputs for NaN/Infinity and index ranges (one read-back each; default true). */
    checkInputs?: boolean;
}
export interface MultiScaleForward {
    /** `[B, H, W, C]`: f̂ with the straight-through gradient to `f`. */
    fHat: tf.Tensor4D;
    /** VQ loss averaged over scales: mean over k of `β·mse(sg(f̂_k), f) + mse(f̂_k, sg(f))`. */
    loss: tf.Scalar;
    /** Per scale, the percentage of codes whose EMA hit count reaches VAR's margin. */
    usage: number[];
}
export declare class MultiScaleQuantizer {
    readonly vocabSize: number;
    readonly cvae: number;
    readonly patchNums: readonly number[];
    readonly beta: number;
    readonly quantResi: number;
    readonly shareQuantResi: number;
    readonly usingZnorm: boolean;
    readonly checkInputs: boolean;
    /** `[V, C]` code vectors. */
    readonly codebook: tf.Variable<tf.Rank.R2>;
    /** φ in VAR's module order; empty when φ is the identity (quantResi = 0). */
    readonly phis: Phi[];
    /** Per scale and code, an EMA of hit counts (`[SN, V]`), as VAR's `ema_vocab_hit_SV`. */
    readonly emaHits: tf.Variable<tf.Rank.R2>;
    /** Code hits over all scales and recent residuals, for dead-code restarts. */
    readonly deadCodes: DeadCodeTracker;
    private recordedSteps;
    constructor(options: MultiScaleQuantizerOptions);
    /**
     * Moves codes that no scale chose since the last restart onto recent residuals (the
     * vectors the quantizer was asked to match, at every scale). Returns how many moved.
     */
    restartDeadCodes(options?: RestartOptions): number;
    /** Number of scales `SN`. */
    get scales(): number;
    /** Side of the largest token map, which is the feature map's H and W. */
    get maxPatch(): number;
    /** Total tokens per image over all scales, `L = Σ pn²`. */
    get tokensPerImage(): number;
    /** The trainable variables: codebook and φ kernels and biases. */
    get trainableVariables(): tf.Variable[];
    /** Sets the codebook and φ weights (φ in VAR's module order). */
    setWeights({ embedding, phi }: {
        embedding: tf.Tensor2D;
        phi?: PhiWeights[];
    }): void;
    /** φ of scale `si`, applied to `hBhwc` (identity when quantResi = 0). */
    phi(si: number, hBhwc: tf.Tensor4D): tf.Tensor4D;
    /** Nearest codes of `zNc` (`[N, C]`) by L2, or by cosine with `usingZnorm`. */
    nearest(zNc: tf.Tensor2D): tf.Tensor1D;
    /** Codes of a token map `idx` (`[B, pn²]`) as an image `[B, pn, pn, C]`. */
    embed(idxBl: tf.Tensor, pn: number): tf.Tensor4D;
    /** Bicubic upsampling of `hBhwc` to the largest scale (identity at the largest scale). */
    private toMax;
    private checkFeatureMap;
    private checkIdxBl;
    /**
     * The residual loop shared by `fToIdxBl`, `fToFhats` and `forward` (`f_to_idxBl_or_fhat`).
     * Calls `visit` with each scale's indices and f̂ after that scale.
     */
    private residualQuantize;
    /**
     * φ as one convolution: `(1 − r)·h + r·(conv(h, K) + b) = conv(h, r·K + (1 − r)·δ) + r·b`,
     * with δ the identity kernel (1 at the centre tap, per channel). One conv + bias per scale
     * instead of five ops; the kernels are built once per call.
     */
    private phiKernels;
    private applyPhi;
    /** Token maps of `f` (`[B, H, W, C]`): `int32 [B, pn²]` per scale (`f_to_idxBl_or_fhat`). */
    fToIdxBl(f: tf.Tensor4D): tf.Tensor2D[];
    /** f̂ after each scale (`[B, H, W, C]` each): `f_to_idxBl_or_fhat(to_fhat=True)`. */
    fToFhats(f: tf.Tensor4D): tf.Tensor4D[];
    /**
     * VAR's teacher-forcing input from token maps (`idx_Bl_to_var_input`): for scales 1..SN−1,
     * f̂ after that scale area-downsampled to the next scale's size, flattened and
     * concatenated: `[B, L − pn₁², C]`. Only the first SN−1 token maps are read.
     */
    idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D;
    /**
     * f̂ after each scale from per-scale code maps `msH[si]` (`[B, pn, pn, C]`): VAR's
     * `embed_to_fhat(all_to_max_scale=True)`. With `lastOnly`, a one-element list.
     */
    embedToFhat(msH: tf.Tensor4D[], { lastOnly }?: {
        lastOnly?: boolean | undefined;
    }): tf.Tensor4D[];
    /** f̂ after each scale (or the last only) from token maps. */
    idxBlToFhat(idxBl: tf.Tensor2D[], options?: {
        lastOnly?: boolean;
    }): tf.Tensor4D[];
    /**
     * One generation step (VAR's `get_next_autoregressive_input`): adds scale `si`'s code map
     * `hBhwc` (`[B, pn, pn, C]`) to `fHat` and returns the new f̂ and the next scale's input
     * (f̂ area-downsampled to `pn_{si+1}`; f̂ itself after the last scale). The caller owns and
     * disposes the old `fHat`.
     */
    nextAutoregressiveInput(si: number, fHat: tf.Tensor4D, hBhwc: tf.Tensor4D): [fHat: tf.Tensor4D, next: tf.Tensor4D];
    /**
     * The training forward (VAR's `forward`): f̂ with the straight-through gradient
     * `(f̂ − sg(f)) + f`, the VQ loss averaged over scales, and per-scale codebook usage.
     * With `training` (default), per-scale hit counts update the EMA behind `usage`.
     */
    forward(f: tf.Tensor4D, { training }?: {
        training?: boolean | undefined;
    }): MultiScaleForward;
    /** VAR's EMA of per-scale hits: copy first, then 0.9/0.1 for 100 steps, then 0.99/0.01. */
    private recordHits;
    /**
     * Per scale, the percentage of codes whose EMA hit count is at least VAR's margin
     * `0.08 · (B·H·W) / V` for batches of `positions = B·H·W` feature positions.
     */
    usagePerScale(positions: number): number[];
    dispose(): void;
}
/** Throws unless `patchNums` is a non-empty, strictly increasing list of positive integers. */
export declare function checkPatchNums(patchNums: unknown): asserts patchNums is number[];
