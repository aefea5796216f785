/**
 * VQ-VAE models, channels-last:
 *
 * - `SimpleVQVAE`: the seed's architecture — two stride-2 convolutions, a quantizer, two
 *   transposed convolutions — whose `imgToIdxBl` / `idxBlToVarInput` now do the real thing;
 * - `VQVAE`: a stronger model — a stem convolution, `downsample` stride-2 convolutions,
 *   residual blocks, optional `quantConv` / `postQuantConv` (3×3, as VAR has) — with either the
 *   single-scale `VectorQuantizer` or VAR's `MultiScaleQuantizer`.
 *
 * Images are `xBhwc` (`[B, H, W, C]`, pixels in [0, 1]); features `fBhwc` (`[B, h, w, Cvae]`,
 * h = H / 2^downsample); token maps `idxBl` (`int32 [B, pn²]` per scale).
 */
import { tf } from "../core/backend.ts";
import { meanSquaredError, relu, sigmoid } from "./ops.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
import { Conv2D, ResBlock, UpConv2D } from "./nn.ts";
import type { Quantizer, QuantizerForward, QuantizerStepInputs } from "../quant/quantizer.ts";
import { VectorQuantizer, type VectorQuantizerOptions } from "../quant/vector_quantizer.ts";
import { checkTensor } from "../core/validate.ts";
import { InputError } from "../core/errors.ts";

/** Which quantizer a VQ model has: `VectorQuantizer` or VAR's `MultiScaleQuantizer`. */
export type QuantizerKind = "single" | "multiscale";

/** Configuration of a VQ model (`VQVAE`, `SimpleVQVAE`), saved in its checkpoints. */
export interface VQVAEConfig {
  /** `simple` (the seed's model) or `vqvae` (residual blocks). */
  model: "simple" | "vqvae";
  /** Image side H = W. */
  imageSize: number;
  /** Image channels (1 grey, 3 RGB). */
  inChannels: number;
  /** Width of the convolutions. */
  channels: number;
  /** Number of stride-2 convolutions (latents are imageSize / 2^downsample). */
  downsample: number;
  /** Residual blocks in the encoder and in the decoder (vqvae only). */
  resBlocks: number;
  /** Channels of the quantized features, Cvae. */
  latentChannels: number;
  /** Codes in the codebook `V`. */
  vocabSize: number;
  /** Single- or multi-scale quantizer. */
  quantizer: QuantizerKind;
  /** Multi-scale only: token-map sizes, the last equal to the latent size. */
  patchNums?: number[];
  /** Commitment weight β. */
  beta: number;
  /** Multi-scale only: φ's blend ratio (VAR: `quant_resi`). */
  quantResi: number;
  /** Multi-scale only: shared φ count (VAR: `share_quant_resi`). */
  shareQuantResi: number;
  /** Multi-scale only: choose codes by cosine similarity (VAR's `using_znorm`). */
  usingZnorm: boolean;
  /**
   * Single-scale only: the quantizer's own options, passed through to `VectorQuantizer` (as
   * vector-quantize-pytorch passes its keyword arguments): `distance` (`"l2"` or `"cosine"`),
   * `ema` (the codebook follows exponential moving averages instead of the codebook loss),
   * `recentSize` (the pool dead codes restart from).
   */
  quantizerOptions?: Pick<VectorQuantizerOptions, "distance" | "ema" | "recentSize">;
  /** 3×3 convolutions right before and after the quantizer, as VAR has (vqvae only). */
  quantConv: boolean;
  /**
   * The decoder's last activation: `sigmoid` for pixels in [0, 1] (trains much faster on
   * Fashion-MNIST: 22.8 dB instead of 19.9 dB after 450 steps of a plain autoencoder) or
   * `linear`.
   */
  output: "sigmoid" | "linear";
  /** Seed of the initial weights. */
  seed: number;
}

/** Defaults of `VQVAE`: the notebooks' Fashion-MNIST tokenizer (28×28×1 → 7×7×32, V = 512). */
export const DEFAULT_CONFIG: VQVAEConfig = {
  model: "vqvae",
  imageSize: 28,
  inChannels: 1,
  channels: 64,
  downsample: 2,
  resBlocks: 2,
  latentChannels: 32,
  vocabSize: 512,
  quantizer: "multiscale",
  patchNums: [1, 2, 3, 4, 5, 7],
  beta: 0.25,
  quantResi: 0.5,
  shareQuantResi: 4,
  usingZnorm: false,
  quantConv: false,
  output: "sigmoid",
  seed: 0,
};

function latentOf(c: VQVAEConfig): number {
  return c.imageSize / 2 ** c.downsample;
}

/**
 * Token-map sides for a latent of side `latent`: the notebooks' `1,2,3,4,5,7` for 7, else VAR's
 * schedule `1,2,3,4,5,6,8,10,13,16` cut below `latent`, then `latent`.
 *
 * @example
 * ```ts
 * import { patchNumsFor } from "vqvar";
 * patchNumsFor(8); // [1, 2, 3, 4, 5, 6, 8]
 * ```
 */
export function patchNumsFor(latent: number): number[] {
  if (latent === 7) return [1, 2, 3, 4, 5, 7];
  return [...[1, 2, 3, 4, 5, 6, 8, 10, 13, 16].filter((p) => p < latent), latent];
}

/** One training forward's outputs. */
export interface TrainForward {
  /** `[B, H, W, C]` reconstruction. */
  xHat: tf.Tensor4D;
  /** Reconstruction MSE + quantizer loss. */
  loss: tf.Scalar;
  /** Reconstruction MSE. */
  reconstruction: tf.Scalar;
  /** The quantizer's loss. */
  vq: tf.Scalar;
}

/** Encoder, quantizer and decoder; subclasses build the encoder and decoder. */
export abstract class VQModel {
  /** The configuration it was built with. */
  readonly config: VQVAEConfig;
  /** The quantizer between encoder and decoder (single- or multi-scale, one interface). */
  readonly quantizer: Quantizer;

  /** Builds the quantizer from `config` over `defaults` (subclasses build the networks). */
  constructor(config: Partial<VQVAEConfig>, defaults: VQVAEConfig) {
    const c: VQVAEConfig = { ...defaults, ...config };
    const fits = (p?: number[]) => p?.[p.length - 1] === latentOf(c);
    const latent = c.imageSize / 2 ** c.downsample;
    if (!Number.isInteger(latent) || latent < 1) {
      throw new InputError(
        `imageSize ${c.imageSize} is not divisible by 2^downsample = ${2 ** c.downsample}`,
      );
    }
    if (c.quantizer === "multiscale" && c.quantizerOptions !== undefined) {
      throw new InputError(
        `quantizerOptions (${
          Object.entries(c.quantizerOptions).filter(([, v]) => v !== undefined).map(([k]) => k)
            .join(", ")
        }) are the single-scale quantizer's; the multi-scale one takes quantResi, shareQuantResi, usingZnorm`,
      );
    }
    if (c.quantizer === "multiscale") {
      // Not given: the defaults' scales if they end at the latent size, else ones that do.
      if (config.patchNums === undefined && !fits(c.patchNums)) c.patchNums = patchNumsFor(latent);
      c.patchNums = c.patchNums ?? [latent];
      if (c.patchNums[c.patchNums.length - 1] !== latent) {
        throw new InputError(
          `the last of patchNums [${c.patchNums}] must equal the latent size ${latent}`,
        );
      }
      this.quantizer = new MultiScaleQuantizer({
        vocabSize: c.vocabSize,
        cvae: c.latentChannels,
        patchNums: c.patchNums,
        beta: c.beta,
        quantResi: c.quantResi,
        shareQuantResi: c.shareQuantResi,
        usingZnorm: c.usingZnorm,
        seed: c.seed + 101,
        checkInputs: false, // the encoder's output, not user input
      });
    } else {
      c.patchNums = undefined;
      this.quantizer = new VectorQuantizer({
        ...c.quantizerOptions,
        vocabSize: c.vocabSize,
        cvae: c.latentChannels,
        beta: c.beta,
        seed: c.seed + 101,
        checkInputs: false,
      });
    }
    this.config = c;
  }

  /** Latent side h = w. */
  get latentSize(): number {
    return this.config.imageSize / 2 ** this.config.downsample;
  }

  /**
   * Tokens one image becomes: h·w for a single-scale quantizer, Σ pn² over the scales for VAR's
   * multi-scale one (104 for scales 1, 2, 3, 4, 5, 7). Counted by tokenizing a zero feature map.
   */
  get tokensPerImage(): number {
    const side = this.latentSize;
    return tf.tidy(() => {
      const idxBl = this.quantizer.fToIdxBl(tf.zeros([1, side, side, this.config.latentChannels]));
      return idxBl.reduce((n, t) => n + t.shape[1], 0);
    });
  }

  /** Encoder without the quantizer: `[B, H, W, C]` → `[B, h, w, Cvae]`. */
  abstract encode(xBhwc: tf.Tensor4D): tf.Tensor4D;
  /** Decoder: `[B, h, w, Cvae]` → `[B, H, W, C]`. */
  abstract decode(fBhwc: tf.Tensor4D): tf.Tensor4D;
  /** The encoder's and decoder's variables by name. */
  protected abstract networkVariables(): Map<string, tf.Variable>;
  /** Frees the encoder and decoder. */
  protected abstract disposeNetworks(): void;

  /** The decoder's output activation. */
  protected activate(logits: tf.Tensor4D): tf.Tensor4D {
    return this.config.output === "sigmoid" ? sigmoid(logits) : logits;
  }

  /** Throws unless `xBhwc` is `[B, imageSize, imageSize, inChannels]`. */
  protected checkImages(xBhwc: tf.Tensor4D): void {
    const { imageSize: s, inChannels: c } = this.config;
    checkTensor(xBhwc, "x", 4, `[B, ${s}, ${s}, ${c}]`);
    if (xBhwc.shape[1] !== s || xBhwc.shape[2] !== s || xBhwc.shape[3] !== c) {
      throw new InputError(`x must be [B, ${s}, ${s}, ${c}], got [${xBhwc.shape}]`);
    }
  }

  /**
   * Quantizes features (training updates the quantizer's statistics; `step`: the training
   * step's numbers, `Quantizer.beginTrainingStep`).
   */
  quantize(fBhwc: tf.Tensor4D, training = false, step?: QuantizerStepInputs): QuantizerForward {
    return tf.tidy(() => {
      const { fHat, loss } = this.quantizer.forward(fBhwc, { training, step });
      return { fHat, loss };
    });
  }

  /**
   * One training forward: reconstruction and losses. Call inside `optimizer.minimize`. `step`:
   * the quantizer's numbers for this step (`Quantizer.beginTrainingStep`; drawn when absent).
   */
  trainForward(xBhwc: tf.Tensor4D, step?: QuantizerStepInputs): TrainForward {
    this.checkImages(xBhwc);
    const { fHat, loss: vq } = this.quantize(this.encode(xBhwc), true, step);
    const xHat = this.decode(fHat);
    // mean((x̂ − x)²), gradient written out (tf.losses.meanSquaredError: a dozen kernels more)
    const reconstruction = meanSquaredError(xHat, xBhwc);
    return { xHat, loss: reconstruction.add(vq), reconstruction, vq };
  }

  /** Encode, quantize, decode (no training statistics): `[B, H, W, C]`. */
  reconstruct(xBhwc: tf.Tensor4D): tf.Tensor4D {
    this.checkImages(xBhwc);
    return tf.tidy(() => {
      const { fHat } = this.quantize(this.encode(xBhwc), false);
      return this.decode(fHat);
    });
  }

  /** Token maps of images: `int32 [B, pn²]` per scale (one map for the single-scale quantizer). */
  imgToIdxBl(xBhwc: tf.Tensor4D): tf.Tensor2D[] {
    this.checkImages(xBhwc);
    return tf.tidy(() => this.quantizer.fToIdxBl(this.encode(xBhwc)));
  }

  /**
   * VAR's teacher-forcing input of token maps (`[B, L − pn₁², Cvae]`; empty for a
   * single-scale quantizer).
   */
  idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D {
    return this.quantizer.idxBlToVarInput(idxBl);
  }

  /** Images from token maps: after every scale, or the last only. */
  idxBlToImg(idxBl: tf.Tensor2D[], { lastOnly = false } = {}): tf.Tensor4D[] {
    return tf.tidy(() =>
      this.quantizer.idxBlToFhat(idxBl, { lastOnly }).map((f) => this.fhatToImg(f))
    );
  }

  /** Decodes quantized features f̂ into images. */
  fhatToImg(fHat: tf.Tensor4D): tf.Tensor4D {
    return this.decode(fHat);
  }

  /** Every variable of the model by a stable name (for checkpoints). */
  variables(): Map<string, tf.Variable> {
    const vars = new Map(this.networkVariables());
    for (const [name, v] of this.quantizer.variables()) vars.set(`quantizer.${name}`, v);
    return vars;
  }

  /** The variables an optimizer trains (the codebook too, unless it is updated by EMA). */
  get trainableVariables(): tf.Variable[] {
    return [...this.variables().values()].filter((v) => v.trainable);
  }

  /** Number of trainable numbers (encoder, decoder, codebook, φ). */
  get parameterCount(): number {
    return this.trainableVariables.reduce((n, v) => n + v.size, 0);
  }

  /** Dead-code restart in the quantizer; returns how many codes moved. */
  restartDeadCodes(minCount = 1): number {
    return this.quantizer.restartDeadCodes({ minCount });
  }

  /** Frees networks and quantizer. */
  dispose(): void {
    this.disposeNetworks();
    this.quantizer.dispose();
  }
}

/**
 * The seed's architecture: conv k4 s2 → ReLU → conv k4 s2 → quantizer → convT k4 s2 → ReLU →
 * convT k4 s2. It departs from the seed's `SimpleVQVAE` (notebook 01 runs a faithful port) where
 * that one is wrong for images: any `Quantizer` (default VAR's multi-scale one, V = 512) instead
 * of one `VectorQuantizer2(16, 64)`; widths 128 → Cvae 64 instead of 64 → 64; no ReLU after the
 * encoder's last convolution (the seed's makes every feature ≥ 0); a sigmoid output, pixels in
 * [0, 1] (the seed's is linear).
 *
 * @example
 * ```ts
 * import { SimpleVQVAE, tf } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const model = new SimpleVQVAE(); // the seed's model: 64×64×3 images, 16×16 latents
 * const x = tf.randomUniform([2, 64, 64, 3]) as tf.Tensor4D;
 * const idxBl = model.imgToIdxBl(x); // one token map per scale
 * assertEquals(idxBl.at(-1)!.shape, [2, 16 * 16]);
 * tf.dispose([x, ...idxBl]);
 * model.dispose();
 * ```
 */
export class SimpleVQVAE extends VQModel {
  private readonly enc1: Conv2D;
  private readonly enc2: Conv2D;
  private readonly dec1: UpConv2D;
  private readonly dec2: UpConv2D;

  /** The seed's model with its defaults (64×64×3 images, 16×16 latents). */
  constructor(config: Partial<VQVAEConfig> = {}) {
    super({ ...config, model: "simple", downsample: 2 }, {
      ...DEFAULT_CONFIG,
      model: "simple",
      imageSize: 64,
      inChannels: 3,
      channels: 128,
      latentChannels: 64,
      resBlocks: 0,
      quantizer: "multiscale",
      patchNums: [1, 2, 4, 8, 16],
      quantConv: false,
    });
    const { inChannels, channels, latentChannels, seed } = this.config;
    this.enc1 = new Conv2D(inChannels, channels, 4, 2, "same", seed + 1);
    this.enc2 = new Conv2D(channels, latentChannels, 4, 2, "same", seed + 2);
    this.dec1 = new UpConv2D(latentChannels, channels, seed + 3);
    this.dec2 = new UpConv2D(channels, inChannels, seed + 4);
  }

  /** `[B, H, W, C]` → `[B, h, w, Cvae]`. */
  encode(xBhwc: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.enc2.apply(this.enc1.applyRelu(xBhwc)));
  }

  /** `[B, h, w, Cvae]` → `[B, H, W, C]`. */
  decode(fBhwc: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => this.activate(this.dec2.apply(relu(this.dec1.apply(fBhwc)))));
  }

  /** Encoder and decoder variables by name. */
  protected networkVariables(): Map<string, tf.Variable> {
    return new Map([
      ...this.enc1.variables("encoder.conv1"),
      ...this.enc2.variables("encoder.conv2"),
      ...this.dec1.variables("decoder.upconv1"),
      ...this.dec2.variables("decoder.upconv2"),
    ]);
  }

  /** Frees encoder and decoder. */
  protected disposeNetworks(): void {
    [this.enc1, this.enc2, this.dec1, this.dec2].forEach((m) => m.dispose());
  }
}

/**
 * The stronger model, shaped like Sonnet's VQ-VAE example. Encoder: `downsample` convolutions
 * k4 s2 with ReLU (widths ch/2, then ch), a conv3×3, `resBlocks` residual blocks, ReLU, a 1×1
 * convolution to Cvae, and an optional 3×3 `quantConv`. The decoder mirrors it: optional
 * `postQuantConv`, conv3×3 to ch, residual blocks, ReLU, transposed convolutions k4 s2 (the
 * last one straight to the image channels).
 */
export class VQVAE extends VQModel {
  private readonly down: Conv2D[];
  private readonly stem: Conv2D;
  private readonly encBlocks: ResBlock[];
  private readonly toLatent: Conv2D;
  private readonly quantConv?: Conv2D;
  private readonly postQuantConv?: Conv2D;
  private readonly fromLatent: Conv2D;
  private readonly decBlocks: ResBlock[];
  private readonly up: UpConv2D[];

  /** A VQ-VAE with residual blocks; unset fields take `DEFAULT_CONFIG`. */
  constructor(config: Partial<VQVAEConfig> = {}) {
    super({ ...config, model: "vqvae" }, DEFAULT_CONFIG);
    const { inChannels: ci, channels: ch, latentChannels: cv, downsample, resBlocks, seed } =
      this.config;
    if (downsample < 1) throw new InputError(`downsample must be >= 1, got ${downsample}`);
    const half = Math.max(1, ch >> 1);
    // Widths along the encoder: ci -> ch/2 -> ch -> ... -> ch.
    const widths = [
      ci,
      ...Array.from({ length: downsample }, (_, i) => (i === 0 && downsample > 1 ? half : ch)),
    ];
    let s = seed * 1000;
    this.down = widths.slice(1).map((w, i) => new Conv2D(widths[i], w, 4, 2, "same", ++s));
    this.stem = new Conv2D(ch, ch, 3, 1, "same", ++s);
    this.encBlocks = Array.from({ length: resBlocks }, () => new ResBlock(ch, half, s += 2));
    this.toLatent = new Conv2D(ch, cv, 1, 1, "same", ++s);
    if (this.config.quantConv) {
      this.quantConv = new Conv2D(cv, cv, 3, 1, "same", ++s);
      this.postQuantConv = new Conv2D(cv, cv, 3, 1, "same", ++s);
    }
    this.fromLatent = new Conv2D(cv, ch, 3, 1, "same", ++s);
    this.decBlocks = Array.from({ length: resBlocks }, () => new ResBlock(ch, half, s += 2));
    const back = [...widths].reverse(); // ch ... ch/2, ci
    this.up = back.slice(1).map((w, i) => new UpConv2D(back[i], w, ++s));
  }

  /** `[B, H, W, C]` → `[B, h, w, Cvae]`. */
  encode(xBhwc: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = xBhwc;
      for (const d of this.down) h = d.applyRelu(h);
      h = this.stem.apply(h);
      for (const b of this.encBlocks) h = b.apply(h);
      const f = this.toLatent.apply(relu(h));
      return this.quantConv ? this.quantConv.apply(f) : f;
    });
  }

  /** `[B, h, w, Cvae]` → `[B, H, W, C]`. */
  decode(fBhwc: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = this.fromLatent.apply(this.postQuantConv ? this.postQuantConv.apply(fBhwc) : fBhwc);
      for (const b of this.decBlocks) h = b.apply(h);
      for (const u of this.up) h = u.apply(relu(h));
      return this.activate(h);
    });
  }

  /** Encoder and decoder variables by name. */
  protected networkVariables(): Map<string, tf.Variable> {
    const vars = new Map<string, tf.Variable>();
    const add = (m: Map<string, tf.Variable>) => m.forEach((v, k) => vars.set(k, v));
    this.down.forEach((m, i) => add(m.variables(`encoder.down.${i}`)));
    add(this.stem.variables("encoder.conv"));
    this.encBlocks.forEach((m, i) => add(m.variables(`encoder.res.${i}`)));
    add(this.toLatent.variables("encoder.out"));
    if (this.quantConv) add(this.quantConv.variables("quantConv"));
    if (this.postQuantConv) add(this.postQuantConv.variables("postQuantConv"));
    add(this.fromLatent.variables("decoder.in"));
    this.decBlocks.forEach((m, i) => add(m.variables(`decoder.res.${i}`)));
    this.up.forEach((m, i) => add(m.variables(`decoder.up.${i}`)));
    return vars;
  }

  /** Frees encoder and decoder. */
  protected disposeNetworks(): void {
    [
      ...this.down,
      this.stem,
      ...this.encBlocks,
      this.toLatent,
      ...(this.quantConv ? [this.quantConv, this.postQuantConv!] : []),
      this.fromLatent,
      ...this.decBlocks,
      ...this.up,
    ].forEach((m) => m.dispose());
  }
}

/** Builds the model a config describes (as stored in checkpoints). */
export function createModel(config: Partial<VQVAEConfig>): VQModel {
  return config.model === "simple" ? new SimpleVQVAE(config) : new VQVAE(config);
}
