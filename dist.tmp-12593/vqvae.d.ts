/**
 * VQ-VAE models, channels-last:
 *
 * - `SimpleVQVAE`: the seed's architecture — two stride-2 convolutions, a quantizer, two
 *   transposed convolutions — whose `imgToIdxBl` / `idxBlToVarInput` now do the real thing;
 * - `VQVAE`: a stronger model — a stem convolution, `downsample` stride-2 convolutions,
 *   residual blocks, optional `quantConv` / `postQuantConv` (1×1, as VAR has) — with either the
 *   single-scale `VectorQuantizer` or VAR's `MultiScaleQuantizer`.
 *
 * Images are `xBhwc` (`[B, H, W, C]`, pixels in [0, 1]); features `fBhwc` (`[B, h, w, Cvae]`,
 * h = H / 2^downsample); token maps `idxBl` (`int32 [B, pn²]` per scale).
 */
import { tf } from "./backend.ts";
import { MultiScaleQuantizer } from "./multiscale.ts";
import { VectorQuantizer } from "./quantizer.ts";
export type QuantizerKind = "single" | "multiscale";
export interface VQVAEConfig {
    /** `simple` (the seed's model) or `vqvae` (residual blocks). */
    model: "simple" | "vqvae";
    imageSize: number;
    inChannels: number;
    /** Width of the convolutions. */
    channels: number;
    /** Number of stride-2 convolutions (latents are imageSize / 2^downsample). */
    downsample: number;
    /** Residual blocks in the encoder and in the decoder (vqvae only). */
    resBlocks: number;
    /** Channels of the quantized features, Cvae. */
    latentChannels: number;
    vocabSize: number;
    quantizer: QuantizerKind;
    /** Multi-scale only: token-map sizes, the last equal to the latent size. */
    patchNums?: number[];
    beta: number;
    quantResi: number;
    shareQuantResi: number;
    /** Multi-scale only: choose codes by cosine similarity (VAR's `using_znorm`). */
    usingZnorm: boolean;
    /** 3×3 convolutions right before and after the quantizer, as VAR has (vqvae only). */
    quantConv: boolean;
    /**
     * The decoder's last activation: `sigmoid` for pixels in [0, 1] (trains much faster on
     * Fashion-MNIST: 22.8 dB instead of 19.9 dB after 450 steps of a plain autoencoder) or
     * `linear`.
     */
    output: "sigmoid" | "linear";
    seed: number;
}
/** Defaults of `VQVAE`: the notebooks' Fashion-MNIST tokenizer (28×28×1 → 7×7×32, V = 512). */
export declare const DEFAULT_CONFIG: VQVAEConfig;
export interface QuantizeResult {
    /** `[B, h, w, Cvae]` quantized features with the straight-through gradient. */
    fHat: tf.Tensor4D;
    loss: tf.Scalar;
}
export interface TrainForward {
    /** `[B, H, W, C]` reconstruction. */
    xHat: tf.Tensor4D;
    /** Reconstruction MSE + quantizer loss. */
    loss: tf.Scalar;
    reconstruction: tf.Scalar;
    vq: tf.Scalar;
}
/** Encoder, quantizer and decoder; subclasses build the encoder and decoder. */
export declare abstract class VQModel {
    readonly config: VQVAEConfig;
    readonly quantizer: VectorQuantizer | MultiScaleQuantizer;
    constructor(config: Partial<VQVAEConfig>, defaults: VQVAEConfig);
    /** Latent side h = w. */
    get latentSize(): number;
    /** Encoder without the quantizer: `[B, H, W, C]` → `[B, h, w, Cvae]`. */
    abstract encode(xBhwc: tf.Tensor4D): tf.Tensor4D;
    /** Decoder: `[B, h, w, Cvae]` → `[B, H, W, C]`. */
    abstract decode(fBhwc: tf.Tensor4D): tf.Tensor4D;
    /** The encoder's and decoder's variables by name. */
    protected abstract networkVariables(): Map<string, tf.Variable>;
    protected abstract disposeNetworks(): void;
    /** The decoder's output activation. */
    protected activate(logits: tf.Tensor4D): tf.Tensor4D;
    protected checkImages(xBhwc: tf.Tensor4D): void;
    /** Quantizes features (training updates the quantizer's statistics). */
    quantize(fBhwc: tf.Tensor4D, training?: boolean): QuantizeResult;
    /** One training forward: reconstruction and losses. Call inside `optimizer.minimize`. */
    trainForward(xBhwc: tf.Tensor4D): TrainForward;
    /** Encode, quantize, decode (no training statistics): `[B, H, W, C]`. */
    reconstruct(xBhwc: tf.Tensor4D): tf.Tensor4D;
    /** Token maps of images: `int32 [B, pn²]` per scale (one map for the single-scale quantizer). */
    imgToIdxBl(xBhwc: tf.Tensor4D): tf.Tensor2D[];
    /** VAR's teacher-forcing input of token maps (multi-scale quantizer only). */
    idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D;
    /** Images from token maps: after every scale, or the last only. */
    idxBlToImg(idxBl: tf.Tensor2D[], { lastOnly }?: {
        lastOnly?: boolean | undefined;
    }): tf.Tensor4D[];
    /** Decodes quantized features f̂ into images. */
    fhatToImg(fHat: tf.Tensor4D): tf.Tensor4D;
    /** Every variable of the model by a stable name (for checkpoints). */
    variables(): Map<string, tf.Variable>;
    /** The variables an optimizer trains (the codebook too, unless it is updated by EMA). */
    get trainableVariables(): tf.Variable[];
    /** Dead-code restart in the quantizer; returns how many codes moved. */
    restartDeadCodes(minCount?: number): number;
    dispose(): void;
}
/** The seed's model: conv k4 s2 → ReLU → conv k4 s2 → quantizer → convT ×2. */
export declare class SimpleVQVAE extends VQModel {
    private readonly enc1;
    private readonly enc2;
    private readonly dec1;
    private readonly dec2;
    constructor(config?: Partial<VQVAEConfig>);
    encode(xBhwc: tf.Tensor4D): tf.Tensor4D;
    decode(fBhwc: tf.Tensor4D): tf.Tensor4D;
    protected networkVariables(): Map<string, tf.Variable>;
    protected disposeNetworks(): void;
}
/**
 * The stronger model, shaped like Sonnet's VQ-VAE example. Encoder: `downsample` convolutions
 * k4 s2 with ReLU (widths ch/2, then ch), a conv3×3, `resBlocks` residual blocks, ReLU, a 1×1
 * convolution to Cvae, and an optional 3×3 `quantConv`. The decoder mirrors it: optional
 * `postQuantConv`, conv3×3 to ch, residual blocks, ReLU, transposed convolutions k4 s2 (the
 * last one straight to the image channels).
 */
export declare class VQVAE extends VQModel {
    private readonly down;
    private readonly stem;
    private readonly encBlocks;
    private readonly toLatent;
    private readonly quantConv?;
    private readonly postQuantConv?;
    private readonly fromLatent;
    private readonly decBlocks;
    private readonly up;
    constructor(config?: Partial<VQVAEConfig>);
    encode(xBhwc: tf.Tensor4D): tf.Tensor4D;
    decode(fBhwc: tf.Tensor4D): tf.Tensor4D;
    protected networkVariables(): Map<string, tf.Variable>;
    protected disposeNetworks(): void;
}
/** Builds the model a config describes (as stored in checkpoints). */
export declare function createModel(config: Partial<VQVAEConfig>): VQModel;
