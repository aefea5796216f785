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
import { tf } from "../core/backend.ts";
import { gatherCodes, stopGradient, straightThrough } from "./grad.ts";
import { convKernelGradient } from "../core/native_ops.ts";
import { type Distance, nearestCode, prepareCodebook } from "./nearest.ts";
import { DeadCodeTracker, type RestartOptions } from "./dead_codes.ts";
import {
  type FoldedPhi,
  Phi,
  phiCount,
  phiIndexForScale,
  type PhiWeights,
  scalesPerPhi,
} from "./phi.ts";
import { assignCodebook } from "./codebook.ts";
import type {
  Quantizer,
  QuantizerForward,
  QuantizerRunState,
  QuantizerStepInputs,
} from "./quantizer.ts";
import { seededRandom } from "../core/random.ts";
import { InputError } from "../core/errors.ts";
import { resize, resizeAdjoint } from "../core/resize.ts";
import { batchedVarInput } from "./var_input.ts";
import { GraphFunction } from "../core/graph/graph_function.ts";
import {
  checkFinite,
  checkIndexRange,
  checkPatchNums,
  checkPositiveInt,
  checkRange,
  checkTensor,
} from "../core/validate.ts";

/**
 * A running f̂ = φ₁(h₁) + … + φ_k(h_k): each scale's φ output, its convolution plus its bias
 * (`conv + b′`, see `phiConv`), added to f̂ in scale order. Every path that makes f̂ adds through
 * this: the forward pass (`residualQuantize`), decoding tokens (`embedToFhat`, `idxBlToFhat`)
 * and generation (`nextAutoregressiveInput`, resuming from the f̂ it is given), so that all three
 * give bit for bit the same f̂ for the same tokens. (`idxBlToVarInput`, which needs f̂ only
 * downsampled, sums the convolutions alone and adds φ's biases per token: equal up to rounding.)
 */
class PhiSum {
  /** f̂ so far: none before the first scale, or the f̂ that generation resumes from. */
  constructor(public fHat?: tf.Tensor4D) {}

  /** Adds one scale's φ output, `conv + bias` (no bias while φ is the identity); returns f̂. */
  add(conv: tf.Tensor4D, bias?: tf.Tensor1D): tf.Tensor4D {
    const out = bias ? conv.add(bias) as tf.Tensor4D : conv;
    this.fHat = this.fHat ? this.fHat.add(out) as tf.Tensor4D : out;
    return this.fHat;
  }
}

/** Options of a {@link MultiScaleQuantizer} (VAR's `VectorQuantizer2` arguments). */
export interface MultiScaleQuantizerOptions {
  /** Number of codes `V` (VAR: `vocab_size`). */
  vocabSize: number;
  /** Channels of the feature map (VAR's `Cvae`). */
  cvae: number;
  /** Token-map sizes from small to large; the last equals the feature map's H = W (VAR: `v_patch_nums`). */
  patchNums: number[];
  /** Commitment weight β. */
  beta?: number;
  /**
   * φ's blend ratio (VAR: `quant_resi`, default 0.5): any finite number, used as
   * r = |quantResi| in `φ(h) = (1 − r)·h + r·(conv3×3(h) + b)`, as VAR's `Phi` takes
   * `abs(quant_resi)`; |quantResi| ≤ 1e-6 makes φ the identity (no φ weights). NaN and ±Infinity
   * are an `InputError`.
   */
  quantResi?: number;
  /** K ≥ 2: K shared φ; 1: one φ; 0: one φ per scale (VAR: `share_quant_resi`). */
  shareQuantResi?: number;
  /** Choose codes by cosine similarity of L2-normalised vectors (VAR's `using_znorm`). */
  usingZnorm?: boolean;
  /** Seed of the codebook and φ initialisation and of restarts. */
  seed?: number;
  /** How many recent residual vectors to keep for dead-code restarts (default 4096). */
  recentSize?: number;
  /** Check inputs for NaN/Infinity and index ranges (one read-back each; default true). */
  checkInputs?: boolean;
}

/**
 * VAR's multi-scale residual quantizer (`VectorQuantizer2` of VAR's `models/quant.py`):
 * token maps of growing size, each quantizing what the smaller ones left, with φ refinement.
 *
 * @example
 * ```ts
 * import { MultiScaleQuantizer, tf } from "vqvar";
 * const q = new MultiScaleQuantizer({ vocabSize: 64, cvae: 8, patchNums: [1, 2, 4] });
 * const f = tf.randomNormal([2, 4, 4, 8]) as tf.Tensor4D; // [B, H, W, Cvae], H = W = 4
 * const idxBl = q.fToIdxBl(f); // int32 [2, 1], [2, 4], [2, 16]
 * const [fHat] = q.idxBlToFhat(idxBl, { lastOnly: true }); // [2, 4, 4, 8]
 * const varInput = q.idxBlToVarInput(idxBl); // [2, 4 + 16, 8]
 * tf.dispose([f, fHat, varInput, ...idxBl]);
 * q.dispose();
 * ```
 */
export class MultiScaleQuantizer implements Quantizer {
  readonly vocabSize: number;
  readonly cvae: number;
  /** Token-map sizes from small to large (VAR: `v_patch_nums`). */
  readonly patchNums: readonly number[];
  readonly beta: number;
  /** φ's blend ratio as given (VAR: `quant_resi`); φ blends with |quantResi|. */
  readonly quantResi: number;
  /** How many φ are shared across scales (VAR: `share_quant_resi`). */
  readonly shareQuantResi: number;
  /** Codes chosen by cosine similarity (VAR: `using_znorm`). */
  readonly usingZnorm: boolean;
  /** Whether inputs are checked for NaN/Infinity and index ranges. */
  readonly checkInputs: boolean;
  /** `[V, C]` code vectors. */
  readonly codebook: tf.Variable<tf.Rank.R2>;
  /** φ in VAR's module order; empty when φ is the identity (|quantResi| ≤ 1e-6). */
  readonly phis: Phi[];
  /** Per scale and code, an EMA of hit counts (`[SN, V]`), as VAR's `ema_vocab_hit_SV`. */
  readonly emaHits: tf.Variable<tf.Rank.R2>;
  /** Code hits over all scales and recent residuals, for dead-code restarts. */
  readonly deadCodes: DeadCodeTracker;
  private recordedSteps = 0;
  /** `[K, K]` with ones on and above the diagonal: row j sums g_k for k ≥ j. */
  private readonly suffixSums: tf.Tensor2D;

  /** A quantizer with a fresh codebook and φ (VAR's initialisation). */
  constructor(options: MultiScaleQuantizerOptions) {
    const {
      vocabSize,
      cvae,
      patchNums,
      beta = 0.25,
      quantResi = 0.5,
      shareQuantResi = 4,
      usingZnorm = false,
      seed = 0,
    } = options;
    checkPositiveInt(vocabSize, "vocabSize");
    checkPositiveInt(cvae, "cvae");
    checkPatchNums(patchNums);
    checkRange(beta, "beta", 0, Infinity);
    if (typeof quantResi !== "number" || !Number.isFinite(quantResi)) {
      throw new InputError(
        `quantResi (VAR's quant_resi) must be a finite number, of which φ uses |quantResi|, got ${
          String(quantResi)
        }`,
      );
    }
    if (!Number.isInteger(shareQuantResi) || shareQuantResi < 0) {
      throw new InputError(`shareQuantResi must be an integer >= 0, got ${shareQuantResi}`);
    }
    this.vocabSize = vocabSize;
    this.cvae = cvae;
    this.patchNums = [...patchNums];
    this.beta = beta;
    this.quantResi = quantResi;
    this.shareQuantResi = shareQuantResi;
    this.usingZnorm = usingZnorm;
    this.checkInputs = options.checkInputs ?? true;
    this.codebook = tf.tidy(() =>
      tf.variable(
        tf.randomUniform([vocabSize, cvae], -1 / vocabSize, 1 / vocabSize, "float32", seed),
      )
    );
    const count = phiCount(shareQuantResi, patchNums.length);
    this.phis = Math.abs(quantResi) > 1e-6
      ? Array.from(
        { length: count },
        (_, k) => new Phi(cvae, Math.abs(quantResi), seed + 2 * k + 1),
      )
      : [];
    this.emaHits = tf.tidy(() => tf.variable(tf.zeros([patchNums.length, vocabSize]), false));
    const n = patchNums.length;
    this.suffixSums = tf.tidy(() => tf.linalg.bandPart(tf.ones([n, n]), 0, -1) as tf.Tensor2D);
    this.deadCodes = new DeadCodeTracker(
      vocabSize,
      cvae,
      options.recentSize ?? 4096,
      seededRandom(seed + 7919),
    );
  }

  /**
   * Moves codes that no scale chose since the last restart onto recent residuals (the
   * vectors the quantizer was asked to match, at every scale). Returns how many moved.
   */
  restartDeadCodes(options: RestartOptions = {}): number {
    return this.deadCodes.restart(this.codebook, options);
  }

  /** Number of scales `SN`. */
  get scales(): number {
    return this.patchNums.length;
  }

  /** Side of the largest token map, which is the feature map's H and W. */
  get maxPatch(): number {
    return this.patchNums[this.patchNums.length - 1];
  }

  /** Total tokens per image over all scales, `L = Σ pn²`. */
  get tokensPerImage(): number {
    return this.patchNums.reduce((a, p) => a + p * p, 0);
  }

  /** The trainable variables: codebook and φ kernels and biases. */
  get trainableVariables(): tf.Variable[] {
    return [...this.variables().values()];
  }

  /** `codebook`, then `phi.K.kernel` and `phi.K.bias` for each φ in VAR's module order. */
  variables(): Map<string, tf.Variable> {
    const vars = new Map<string, tf.Variable>([["codebook", this.codebook]]);
    this.phis.forEach((p, k) => {
      vars.set(`phi.${k}.kernel`, p.kernel);
      vars.set(`phi.${k}.bias`, p.bias);
    });
    return vars;
  }

  /** Dead-code buffers, the EMA of per-scale hits and the step counter behind it. */
  runState(): QuantizerRunState {
    const { variables, numbers } = this.deadCodes.runState();
    variables.set("emaHits", this.emaHits);
    return { variables, numbers: { ...numbers, recordedSteps: this.recordedSteps } };
  }

  /** Restores the numbers of {@link MultiScaleQuantizer.runState}. */
  restoreRunState(numbers: Record<string, number>): void {
    this.deadCodes.restoreRunState(numbers);
    this.recordedSteps = numbers.recordedSteps;
  }

  /** Replaces the codebook (`[V, Cvae]`). */
  setCodebook(embedding: tf.Tensor2D): void {
    assignCodebook(this, embedding);
  }

  /** Replaces every φ's weights (in VAR's module order). */
  setPhi(phi: PhiWeights[]): void {
    if (phi.length !== this.phis.length) {
      throw new InputError(
        `phi must hold ${this.phis.length} kernels for this configuration, got ${phi.length}`,
      );
    }
    phi.forEach((w, k) => this.phis[k].setWeights(w));
  }

  /**
   * φ of scale `si` applied to `hBhwc` (identity when quantResi = 0); `folded` holds every φ's
   * `folded()` when the caller applies several scales.
   */
  phi(si: number, hBhwc: tf.Tensor4D, folded?: FoldedPhi[]): tf.Tensor4D {
    return tf.tidy(() => {
      const { conv, bias } = this.phiConv(si, hBhwc, folded);
      return bias ? conv.add(bias) : conv;
    });
  }

  /** Nearest codes of `zNc` (`[N, C]`) by L2, or by cosine with `usingZnorm`. */
  nearest(zNc: tf.Tensor2D): tf.Tensor1D {
    const distance: Distance = this.usingZnorm ? "cosine" : "l2";
    return nearestCode(zNc, this.codebook, distance);
  }

  /** Code vectors of indices: `[...indices.shape, Cvae]`. */
  lookup(indices: tf.Tensor): tf.Tensor {
    return tf.tidy(() => gatherCodes(this.codebook, indices.toInt()));
  }

  /** Codes of a token map `idx` (`[B, pn²]`) as a map `[B, pn, pn, Cvae]`. */
  embed(idxBl: tf.Tensor, pn: number): tf.Tensor4D {
    const b = idxBl.shape[0];
    return tf.tidy(() =>
      gatherCodes(this.codebook, idxBl).reshape([b, pn, pn, this.cvae]) as tf.Tensor4D
    );
  }

  /** Bicubic upsampling of `hBhwc` to the largest scale (identity at the largest scale). */
  private toMax(hBhwc: tf.Tensor4D): tf.Tensor4D {
    const hw = this.maxPatch;
    return hBhwc.shape[1] === hw ? hBhwc : resize(hBhwc, [hw, hw], "bicubic");
  }

  /** Throws unless `f` is `[B, H, W, Cvae]` with H = W = the last patch number. */
  private checkFeatureMap(f: tf.Tensor4D, what = "f"): void {
    const hw = this.maxPatch;
    const layout = `[B, H=${hw}, W=${hw}, C=${this.cvae}]`;
    checkTensor(f, what, 4, layout);
    if (f.shape[1] !== hw || f.shape[2] !== hw) {
      throw new InputError(
        `${what} must be ${layout}: its H, W must equal the last patch number ${hw}, got [${f.shape}]`,
      );
    }
    if (f.shape[3] !== this.cvae) {
      throw new InputError(`${what} must be ${layout}, got [${f.shape}]`);
    }
    if (this.checkInputs) checkFinite(f, what);
  }

  /** Throws unless `idxBl` holds int32 token maps `[B, pn²]` of the first scales. */
  private checkIdxBl(idxBl: tf.Tensor[], minScales: number): void {
    if (!Array.isArray(idxBl) || idxBl.length < minScales || idxBl.length > this.scales) {
      throw new InputError(
        `idxBl must be a list of ${minScales}..${this.scales} token maps [B, pn²], got ${
          Array.isArray(idxBl) ? idxBl.length : typeof idxBl
        }`,
      );
    }
    const b = idxBl[0]?.shape?.[0];
    idxBl.forEach((idx, si) => {
      const pn = this.patchNums[si];
      checkTensor(idx, `idxBl[${si}]`, 2, `[B, ${pn * pn}]`, "int32");
      if (idx.shape[0] !== b || idx.shape[1] !== pn * pn) {
        throw new InputError(`idxBl[${si}] must be [B=${b}, ${pn * pn}], got [${idx.shape}]`);
      }
    });
    if (!this.checkInputs) return;
    // One read-back for all maps (they share B); only a failure looks map by map, to name it.
    const [lo, hi] = tf.tidy(() => {
      const all = tf.concat(idxBl, 1);
      return Array.from(tf.stack([all.min(), all.max()]).dataSync());
    });
    if (lo < 0 || hi >= this.vocabSize) {
      idxBl.forEach((idx, si) => checkIndexRange(idx, `idxBl[${si}]`, this.vocabSize));
    }
  }

  /**
   * φ of scale `si` split into its convolution and its bias: `φ(h) = conv(h, K') + b'` with the
   * blend folded in (`folded`, one per φ). The bias is left apart so that callers add the sum of
   * the biases of several scales once, to a small map, instead of once per scale to a full one.
   * Identity φ (quantResi = 0): `h` itself and no bias. Without `folded`, folds the one φ needed.
   */
  private phiConv(
    si: number,
    hBhwc: tf.Tensor4D,
    folded?: FoldedPhi[],
  ): { conv: tf.Tensor4D; bias?: tf.Tensor1D } {
    if (this.phis.length === 0) return { conv: hBhwc };
    const k = phiIndexForScale(si, this.scales, this.phis.length);
    const { kernel, bias } = folded?.[k] ?? this.phis[k].folded();
    return { conv: tf.conv2d(hBhwc, kernel, 1, "same"), bias };
  }

  /**
   * The residual loop shared by `fToIdxBl`, `fToFhats` and `forward` (`f_to_idxBl_or_fhat`),
   * without gradients. Calls `visit` with each scale's indices, the residual it quantized
   * (`[N, C]`), its code map upsampled to H × W before φ (`hBhwc`) and, with `fHats`, f̂ after it.
   *
   * φ's biases are kept apart as one running sum `c` (`[C]`): f − f̂ = (f − Σ conv) − c, and
   * since area weights sum to 1, the residual at a smaller scale is area(f − Σ conv) − c.
   */
  private residualQuantize(
    f: tf.Tensor4D,
    visit: (
      si: number,
      idxN: tf.Tensor1D,
      restNc: tf.Tensor2D,
      hBhwc: tf.Tensor4D,
      fHat?: tf.Tensor4D,
    ) => void,
    { fHats = false } = {},
  ): void {
    const sn = this.scales;
    const [b, , , c] = f.shape;
    const codes = prepareCodebook(this.codebook, this.usingZnorm ? "cosine" : "l2");
    const folded = this.phis.map((p) => p.folded()); // built once, used at every scale
    let fRest: tf.Tensor4D = f; // f − Σ conv
    let biasSum: tf.Tensor1D | undefined; // Σ b′
    const sum = new PhiSum();
    this.patchNums.forEach((pn, si) => {
      const last = si === sn - 1;
      let rest: tf.Tensor4D = last ? fRest : resize(fRest, [pn, pn], "area");
      if (biasSum) rest = rest.sub(biasSum);
      const restNc = rest.reshape([-1, c]) as tf.Tensor2D;
      const idxN = codes.search(restNc);
      const hBhwc = this.toMax(tf.gather(this.codebook, idxN).reshape([b, pn, pn, c]));
      const { conv, bias } = this.phiConv(si, hBhwc, folded);
      if (!last) fRest = fRest.sub(conv);
      if (bias) biasSum = biasSum ? biasSum.add(bias) : bias;
      visit(si, idxN, restNc, hBhwc, fHats ? sum.add(conv, bias) : undefined);
    });
  }

  /** Token maps of `f` (`[B, H, W, C]`): `int32 [B, pn²]` per scale (`f_to_idxBl_or_fhat`). */
  fToIdxBl(f: tf.Tensor4D): tf.Tensor2D[] {
    this.checkFeatureMap(f);
    return tf.tidy(() => {
      const out: tf.Tensor2D[] = [];
      this.residualQuantize(stopGradient(f), (si, idxN) => {
        const pn = this.patchNums[si];
        out.push(idxN.reshape([f.shape[0], pn * pn]));
      });
      return out;
    });
  }

  /** f̂ after each scale (`[B, H, W, C]` each): `f_to_idxBl_or_fhat(to_fhat=True)`. */
  fToFhats(f: tf.Tensor4D): tf.Tensor4D[] {
    this.checkFeatureMap(f);
    return tf.tidy(() => {
      const out: tf.Tensor4D[] = [];
      const collect = (
        _si: number,
        _idx: tf.Tensor,
        _rest: tf.Tensor,
        _h: tf.Tensor,
        fHat?: tf.Tensor4D,
      ) => out.push(fHat!);
      this.residualQuantize(stopGradient(f), collect, { fHats: true });
      return out;
    });
  }

  /**
   * VAR's teacher-forcing input from token maps (`idx_Bl_to_var_input`): for scales 1..SN−1,
   * f̂ after that scale area-downsampled to the next scale's size, flattened and
   * concatenated: `[B, L − pn₁², C]`. Only the first SN−1 token maps are read.
   */
  idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D {
    this.checkIdxBl(idxBl, this.scales - 1);
    return tf.tidy(() => {
      if (this.scales === 1) return tf.zeros([idxBl[0].shape[0], 0, this.cvae]) as tf.Tensor3D;
      // The pass over all scales at once multiplies with batch dimensions broadcast as
      // TensorFlow's BatchMatMulV2 does; tfjs's cpu backend gets those products wrong, so on
      // tfjs's own backends (cpu, wasm, webgl) VAR's input is built scale by scale, as generation
      // builds it.
      if (tf.getBackend() !== "tensorflow") return this.varInputByScale(idxBl);
      // One TensorFlow graph per batch size (lib/core/graph): a few dozen ops in one call.
      return this.varInputGraph.call(idxBl.slice(0, this.scales - 1))[0] as tf.Tensor3D;
    });
  }

  /** {@link idxBlToVarInput} on the `tensorflow` backend: every scale at once, as a graph. */
  private readonly varInputGraph = new GraphFunction((idxBl) =>
    tf.tidy(() => {
      const folded = this.phis.map((p) => p.folded()); // built once, used at every scale
      const served = scalesPerPhi(this.scales, folded.length, this.scales - 1);
      return [
        batchedVarInput(idxBl as tf.Tensor2D[], this.codebook, this.patchNums, folded, served),
      ];
    })
  );

  /** {@link idxBlToVarInput} one scale at a time, with {@link nextAutoregressiveInput}. */
  private varInputByScale(idxBl: tf.Tensor2D[]): tf.Tensor3D {
    const b = idxBl[0].shape[0], hw = this.maxPatch, c = this.cvae;
    let fHat = tf.zeros([b, hw, hw, c]) as tf.Tensor4D;
    const inputs: tf.Tensor[] = [];
    for (let si = 0; si < this.scales - 1; si++) {
      const h = this.embed(idxBl[si], this.patchNums[si]);
      const [next, input] = this.nextAutoregressiveInput(si, fHat, h);
      fHat = next;
      const pn = this.patchNums[si + 1];
      inputs.push(input.reshape([b, pn * pn, c]));
    }
    return tf.concat(inputs, 1) as tf.Tensor3D;
  }

  /**
   * f̂ after each scale from per-scale code maps `msH[si]` (`[B, pn, pn, C]`): VAR's
   * `embed_to_fhat(all_to_max_scale=True)`. With `lastOnly`, a one-element list.
   */
  embedToFhat(msH: tf.Tensor4D[], { lastOnly = false } = {}): tf.Tensor4D[] {
    if (!Array.isArray(msH) || msH.length !== this.scales) {
      throw new InputError(`msH must be a list of ${this.scales} code maps [B, pn, pn, C]`);
    }
    msH.forEach((h, si) => {
      const pn = this.patchNums[si];
      checkTensor(h, `msH[${si}]`, 4, `[B, ${pn}, ${pn}, ${this.cvae}]`);
      if (h.shape[1] !== pn || h.shape[2] !== pn || h.shape[3] !== this.cvae) {
        throw new InputError(
          `msH[${si}] must be [B, ${pn}, ${pn}, ${this.cvae}], got [${h.shape}]`,
        );
      }
    });
    return tf.tidy(() => {
      const folded = this.phis.map((p) => p.folded());
      // Summed as residualQuantize and generation sum them, so that decoding the tokens gives
      // exactly the f̂ of the forward pass that chose them, or of the generation that sampled them.
      const sum = new PhiSum();
      const out: tf.Tensor4D[] = [];
      msH.forEach((h, si) => {
        const { conv, bias } = this.phiConv(si, this.toMax(h), folded);
        const fHat = sum.add(conv, bias);
        if (!lastOnly || si === this.scales - 1) out.push(fHat);
      });
      return out;
    });
  }

  /** f̂ after each scale (or the last only) from token maps. */
  idxBlToFhat(idxBl: tf.Tensor2D[], options: { lastOnly?: boolean } = {}): tf.Tensor4D[] {
    this.checkIdxBl(idxBl, this.scales);
    return tf.tidy(() =>
      this.embedToFhat(idxBl.map((idx, si) => this.embed(idx, this.patchNums[si])), options)
    );
  }

  /**
   * One generation step (VAR's `get_next_autoregressive_input`): adds scale `si`'s code map
   * `hBhwc` (`[B, pn, pn, C]`) to `fHat` and returns the new f̂ and the next scale's input
   * (f̂ area-downsampled to `pn_{si+1}`; f̂ itself after the last scale). The caller owns and
   * disposes the old `fHat`. φ's output is added as `idxBlToFhat` adds it (see `PhiSum`): from
   * `fHat` = zeros, the f̂ after the last scale is `idxBlToFhat`'s for the same tokens, bit for bit.
   */
  nextAutoregressiveInput(
    si: number,
    fHat: tf.Tensor4D,
    hBhwc: tf.Tensor4D,
  ): [fHat: tf.Tensor4D, next: tf.Tensor4D] {
    if (!Number.isInteger(si) || si < 0 || si >= this.scales) {
      throw new InputError(`si must be an integer in [0, ${this.scales - 1}], got ${si}`);
    }
    this.checkFeatureMap(fHat, "fHat");
    const pn = this.patchNums[si];
    checkTensor(hBhwc, "hBhwc", 4, `[B, ${pn}, ${pn}, ${this.cvae}]`);
    return tf.tidy(() => {
      const { conv, bias } = this.phiConv(si, this.toMax(hBhwc));
      const newFhat = new PhiSum(fHat).add(conv, bias);
      if (si === this.scales - 1) return [newFhat, newFhat.clone()];
      const pnNext = this.patchNums[si + 1];
      return [newFhat, resize(newFhat, [pnNext, pnNext], "area")];
    });
  }

  /**
   * The training forward (VAR's `forward`): f̂ with the straight-through gradient
   * `(f̂ − sg(f)) + f` and the VQ loss averaged over scales, mean over k of
   * `β·mse(sg(f̂_k), f) + mse(f̂_k, sg(f))`. With `training`, per-scale hit counts update the
   * EMA behind `usagePerScale` and the dead-code statistics.
   */
  forward(
    f: tf.Tensor4D,
    { training = false, step }: { training?: boolean; step?: QuantizerStepInputs } = {},
  ): QuantizerForward {
    this.checkFeatureMap(f);
    const sn = this.scales;
    const own = training && !step ? this.beginTrainingStep(f.shape[0]) : undefined;
    const inputs = step ?? own;
    // This step's numbers: which scale's residuals are kept, the EMA's weight, the rows kept.
    const recordAt = inputs ? Number(inputs.key.split(" ")[0]) : -1;
    const [weights, pick] = inputs?.tensors ?? [];
    const out = tf.tidy(() => {
      const hits: tf.Tensor1D[] = [];
      const noWeights = tf.tensor1d([], "float32");
      let fHatFinal: tf.Tensor4D | undefined;
      const loss = this.lossWithGradient((fIn) => {
        const hBhwc: tf.Tensor4D[] = [], idxN: tf.Tensor1D[] = [], fHats: tf.Tensor4D[] = [];
        this.residualQuantize(fIn, (si, idx, restNc, h, fHat) => {
          hits.push(tf.keep(tf.bincount(idx, noWeights, this.vocabSize)));
          if (si === recordAt) this.deadCodes.rememberRows(restNc, pick as tf.Tensor1D);
          hBhwc.push(h);
          idxN.push(idx);
          fHats.push(fHat!);
        }, { fHats: true });
        // The op's forward is a tidy scope of its own: keep what is used after it.
        fHatFinal = tf.keep(fHats[sn - 1]);
        return { hBhwc, idxN, fHats };
      }, f);
      if (training) {
        const hitsSv = tf.stack(hits) as tf.Tensor2D;
        this.deadCodes.addHits(hitsSv.sum(0));
        const [old, fresh] = tf.split(weights, 2); // the EMA's weights [keep, 1 − keep]
        this.emaHits.assign(this.emaHits.mul(old).add(hitsSv.mul(fresh)));
      }
      const fHat = straightThrough(f, fHatFinal!); // its value is a copy
      tf.dispose([...hits, fHatFinal!]);
      return { fHat, loss };
    });
    if (own) tf.dispose(own.tensors);
    return out;
  }

  /**
   * One training step's numbers ({@link QuantizerStepInputs}): the scale whose residuals the
   * dead-code buffer keeps (one a step, in turn: the key), VAR's EMA weights of the old hits and
   * the step's (copy first, then 0.9/0.1 for 100 steps, then 0.99/0.01) and the rows kept when
   * the batch has more than the buffer holds. Advances the step counter and the buffer's fill level.
   */
  beginTrainingStep(batch: number): QuantizerStepInputs {
    const n = this.recordedSteps++;
    const recordAt = n % this.scales;
    const keep = n === 0 ? 0 : n < 100 ? 0.9 : 0.99;
    const pn = this.patchNums[recordAt];
    const pick = this.deadCodes.drawRows(batch * pn * pn);
    return {
      key: `${recordAt} ${pick ? "pick" : "all"}`,
      tensors: [tf.tensor1d([keep, 1 - keep]), ...(pick ? [tf.tensor1d(pick, "int32")] : [])],
    };
  }

  /**
   * The VQ loss, mean over scales k of `β·mse(sg(f̂_k), f) + mse(f̂_k, sg(f))`, as one op whose
   * gradient is written out instead of taped scale by scale. `quantize(f)` runs the residual
   * loop (untaped) and returns each scale's upsampled code map `h_k`, indices and f̂_k.
   *
   * With `d_k = f̂_k − f` and `N = B·H·W·C`: ∂L/∂f̂_k = 2·d_k / (K·N) =: g_k, and
   * ∂L/∂f = −β·Σ_k g_k. Scale j's term `φ_j(h_j)` is in every f̂_k with k ≥ j, so it receives
   * `Σ_{k≥j} g_k` (a reverse cumulative sum), which flows through φ_j's convolution (to its
   * kernel, bias and input), back through the bicubic upsampling and into the codes chosen.
   * Scales that share a φ are consecutive, so each φ's two gradient convolutions run once over
   * its scales stacked on the batch axis.
   */
  private lossWithGradient(
    quantize: (f: tf.Tensor4D) => {
      hBhwc: tf.Tensor4D[];
      idxN: tf.Tensor1D[];
      fHats: tf.Tensor4D[];
    },
    f: tf.Tensor4D,
  ): tf.Scalar {
    const sn = this.scales, beta = this.beta;
    const phiVars = this.phis.flatMap((p) => [p.kernel, p.bias]);
    const op = tf.customGrad(
      ((...args: unknown[]) => {
        const save = args[args.length - 1] as tf.GradSaveFunc;
        const fIn = args[0] as tf.Tensor4D;
        const { hBhwc, idxN, fHats } = quantize(fIn);
        const d = tf.stack(fHats).sub(fIn); // [K, B, H, W, C]
        save([d, tf.concat(hBhwc), tf.concat(idxN)]);
        return {
          value: d.square().mean().mul(1 + beta),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const [dKbhwc, hAll, idxAll] = saved as [tf.Tensor, tf.Tensor4D, tf.Tensor1D];
            const g = dKbhwc.mul(dy.mul(2 / dKbhwc.size)); // g_k, with N·K = d's size
            const df = g.sum(0).mul(-beta);
            // Σ_{k≥j} g_k for every j: an upper-triangular matrix of ones times g (TensorFlow's
            // Cumsum is ten times slower here).
            const dh = tf.matMul(this.suffixSums, g.reshape([sn, -1])).reshape(
              hAll.shape,
            ) as tf.Tensor4D;
            const { dCodes, dPhi } = this.backThroughScales(dh, hAll);
            const dCodebook = tf.unsortedSegmentSum(dCodes, idxAll, this.vocabSize);
            return [df, dCodebook, ...dPhi];
          },
        };
      }) as Parameters<typeof tf.customGrad>[0],
    );
    return op(f, this.codebook, ...phiVars) as tf.Scalar;
  }

  /**
   * From the gradient `dh` of every scale's φ output (`[K·B, H, W, C]`, scales stacked on the
   * batch axis, as `hAll` = the φ inputs) to the gradients of the chosen codes (`[Σ B·pn², C]`,
   * in the order of the indices) and of φ's kernels and biases (VAR's module order).
   */
  private backThroughScales(
    dh: tf.Tensor4D,
    hAll: tf.Tensor4D,
  ): { dCodes: tf.Tensor2D; dPhi: tf.Tensor[] } {
    const b = hAll.shape[0] / this.scales, [, hw, , c] = hAll.shape;
    const r = this.phis[0]?.ratio ?? 0;
    const dPhi: tf.Tensor[] = [];
    const dInputs: tf.Tensor4D[] = [];
    const served = scalesPerPhi(this.scales, this.phis.length);
    let start = 0;
    this.phis.forEach((phi, k) => {
      const n = served[k]; // scales served by φ k, consecutive from `start`
      if (n === 0) {
        dPhi.push(tf.zerosLike(phi.kernel), tf.zerosLike(phi.bias));
        return;
      }
      const rows = (t: tf.Tensor4D) => t.slice([start * b, 0, 0, 0], [n * b, hw, hw, c]);
      const dOut = rows(dh), input = rows(hAll);
      const { kernel } = phi.folded();
      dPhi.push(
        convKernelGradient(input, dOut, [3, 3, c, c]).mul(r),
        dOut.sum([0, 1, 2]).mul(r),
      );
      dInputs.push(tf.conv2dTranspose(dOut, kernel, input.shape, 1, "same"));
      start += n;
    });
    const dIn = dInputs.length ? tf.concat(dInputs) : dh;
    const dCodes = this.patchNums.map((pn, si) => {
      const rows = dIn.slice([si * b, 0, 0, 0], [b, hw, hw, c]);
      return (pn === hw ? rows : resizeAdjoint(rows, [pn, pn], "bicubic")).reshape([-1, c]);
    });
    return { dCodes: tf.concat(dCodes) as tf.Tensor2D, dPhi };
  }

  /**
   * Per scale, the percentage of codes whose EMA hit count is at least VAR's margin
   * `0.08 · (B·H·W) / V` for batches of `positions = B·H·W` feature positions.
   */
  usagePerScale(positions: number): number[] {
    const margin = (positions / this.vocabSize) * 0.08;
    const u = tf.tidy(() => this.emaHits.greaterEqual(margin).toFloat().mean(1).mul(100));
    const values = Array.from(u.dataSync());
    u.dispose();
    return values;
  }

  /** Frees the quantizer's tensors. */
  dispose(): void {
    this.deadCodes.dispose();
    this.varInputGraph.dispose();
    tf.dispose([this.codebook, this.emaHits, this.suffixSums]);
    this.phis.forEach((p) => p.dispose());
  }
}

/**
 * `quantizer` as VAR's multi-scale quantizer, typed as one: what VAR, its trainer and its
 * samplers need from a tokenizer. A single-scale quantizer is an `InputError` saying so.
 *
 * @example
 * ```ts
 * import { asMultiScale, loadCheckpoint } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const { model: tokenizer } = await loadCheckpoint("fashion-mnist-vqvae-multiscale");
 * const q = asMultiScale(tokenizer.quantizer);
 * assertEquals(q.patchNums, [1, 2, 3, 4, 5, 7]);
 * tokenizer.dispose();
 * ```
 */
export function asMultiScale(quantizer: Quantizer): MultiScaleQuantizer {
  if (quantizer instanceof MultiScaleQuantizer) return quantizer;
  throw new InputError(
    "the tokenizer is a single-scale VQ-VAE; VAR needs a multi-scale one (quantizer: multiscale)",
  );
}
