/**
 * A small class-conditional VAR (next-scale prediction, FoundationVision/VAR `models/var.py`):
 *
 * - the sequence is every scale's token map flattened and concatenated (`L = Σ pn²`);
 * - position 0.. of scale 1 hold the class embedding (the start token), the other positions the
 *   teacher-forcing input `idxBlToVarInput` through `wordEmbed` (Linear Cvae → D);
 * - level and position embeddings are added; blocks attend block-causally (a position sees its
 *   own and coarser scales) and are modulated by the class through adaptive layer norm
 *   (`adaLN: false` gives plain pre-LN blocks);
 * - the head predicts every position's code: cross-entropy over all scales at once;
 * - class dropout (label → the "null" class) trains the unconditional model that
 *   classifier-free guidance needs.
 *
 * Generation runs one forward per scale with a KV cache, guidance weight ramped over scales as
 * VAR does, seeded top-k / top-p sampling, and the quantizer's `nextAutoregressiveInput` between
 * scales. Tensors: `xBLD` is `[batch, positions, width]`, `idxBl[si]` is `int32 [B, pn²]`.
 */
import { tf } from "./backend.ts";
import type { MultiScaleQuantizer } from "./multiscale.ts";
export interface VARConfig {
    vocabSize: number;
    cvae: number;
    patchNums: number[];
    numClasses: number;
    /** Transformer blocks. */
    depth: number;
    /** Model width D. */
    width: number;
    heads: number;
    mlpRatio: number;
    /** Share of labels replaced by the null class in training (for guidance). */
    condDropRate: number;
    /** Adaptive layer norm conditioned on the class (VAR), or plain layer norm. */
    adaLN: boolean;
    seed: number;
}
export declare const DEFAULT_VAR_CONFIG: VARConfig;
export interface GenerateOptions {
    /** Guidance weight at the last scale (VAR ramps it linearly from 0 at the first). 0: off. */
    cfg?: number;
    /** Keep the k most likely codes (0: all). */
    topK?: number;
    /** Keep the smallest set of codes with this much probability (1: all). */
    topP?: number;
    seed?: number;
    /** Use the KV cache (default); `false` recomputes the whole prefix each scale. */
    useCache?: boolean;
}
export declare class VAR {
    readonly config: VARConfig;
    readonly L: number;
    private readonly vars;
    private readonly blocks;
    private readonly lvl;
    /** Additive block-causal attention bias `[L, L]` (0 or −∞). */
    private readonly maskBias;
    private seedCounter;
    constructor(config?: Partial<VARConfig>);
    private param;
    /** Bias of an adaLN linear: `gammas` chunks of ones (gates), the rest zeros. */
    private adaBias;
    private v;
    /** Every variable by a stable name. */
    variables(): Map<string, tf.Variable>;
    get trainableVariables(): tf.Variable[];
    /** Number of trainable numbers. */
    get parameterCount(): number;
    /** Level + position embedding of positions `[start, start + n)`: `[n, D]`. */
    private lvlPosOf;
    /** The start tokens of scale 1: class embedding + posStart + level/position: `[B, pn₁², D]`. */
    private startTokens;
    /** `wordEmbed` of a teacher-forcing / next-scale input `[B, n, Cvae]` placed at `start`. */
    private wordTokens;
    /** adaLN parameters of a block for the class embeddings: six `[B, 1, D]`. */
    private modulation;
    /**
     * One block on `xBLD`; `kv` (when given) holds this block's cached keys/values of earlier
     * positions and receives the new ones. `bias` is the additive mask for these queries.
     */
    private block;
    /**
     * All blocks on new positions `xBnD` with each block's KV cache: the new keys/values are
     * appended (and kept past the caller's tidy), the old ones freed. No mask is needed: new
     * positions may see every cached one and each other.
     */
    private cachedBlocks;
    /** Head: (adaptive) layer norm, then Linear D → V: logits `[B, n, V]`. */
    private head;
    private classEmbedding;
    private checkLabels;
    /**
     * Teacher-forcing forward: logits `[B, L, V]` for every position, from the quantizer's
     * `idxBlToVarInput` (`xBLC`, `[B, L − pn₁², Cvae]`) and class labels (`numClasses` = null).
     */
    forward(xBLC: tf.Tensor3D, labels: tf.Tensor1D): tf.Tensor3D;
    /**
     * The training loss: cross-entropy of every position's code, averaged over all positions;
     * labels are replaced by the null class with probability `condDropRate` (`rand` draws).
     * Also returns the mean loss per scale (`[scales]`, without gradient).
     */
    loss(xBLC: tf.Tensor3D, idxBL: tf.Tensor2D, labels: tf.Tensor1D, rand?: () => number): {
        loss: tf.Scalar;
        perScale: tf.Tensor1D;
    };
    /**
     * Generates token maps for `labels` (class indices), one forward per scale. Returns
     * `idxBl` and f̂ after the last scale (decode it with the tokenizer's `fhatToImg`).
     */
    generate(quantizer: MultiScaleQuantizer, labels: number[], { cfg, topK, topP, seed, useCache }?: GenerateOptions): {
        idxBl: tf.Tensor2D[];
        fHat: tf.Tensor4D;
    };
    /**
     * The raster-order baseline for timing: the same network generating the same `L` tokens one
     * at a time (a causal next-token model with a KV cache), each token's code fed back through
     * `wordEmbed`. `L` forwards instead of one per scale. Returns `[B, L]` tokens (meaningful only
     * for a model trained that way; this class is trained for next-scale prediction).
     */
    generateRaster(quantizer: MultiScaleQuantizer, labels: number[], { topK, topP, seed }?: Omit<GenerateOptions, "cfg" | "useCache">): tf.Tensor2D;
    dispose(): void;
}
/**
 * Samples one code per row of `logits` (`[N, V]`): top-k, then top-p (nucleus), then a draw
 * from the renormalised probabilities with `rand`.
 */
export declare function sampleTokens(logits: tf.Tensor2D, topK: number, topP: number, rand: () => number): Int32Array;
