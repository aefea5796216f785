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
import { gatherCodes, stopGradient, straightThrough, vqLoss } from "./grad.ts";
import { type Distance, nearestCode, prepareCodebook } from "./nearest.ts";
import { DeadCodeTracker, type RestartOptions } from "./dead_codes.ts";
import { type FoldedPhi, Phi, phiCount, phiIndexForScale, type PhiWeights } from "./phi.ts";
import { assignCodebook } from "./codebook.ts";
import type { Quantizer, QuantizerForward, QuantizerRunState } from "./quantizer.ts";
import { seededRandom } from "../core/random.ts";
import { InputError } from "../core/errors.ts";
import { resize } from "./resize.ts";
import {
  checkFinite,
  checkIndexRange,
  checkPatchNums,
  checkPositiveInt,
  checkRange,
  checkTensor,
} from "../core/validate.ts";

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
  /** φ's blend ratio r (VAR: `quant_resi`, |r| used); 0 makes φ the identity. */
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
  /** φ's blend ratio (VAR: `quant_resi`). */
  readonly quantResi: number;
  /** How many φ are shared across scales (VAR: `share_quant_resi`). */
  readonly shareQuantResi: number;
  /** Codes chosen by cosine similarity (VAR: `using_znorm`). */
  readonly usingZnorm: boolean;
  /** Whether inputs are checked for NaN/Infinity and index ranges. */
  readonly checkInputs: boolean;
  /** `[V, C]` code vectors. */
  readonly codebook: tf.Variable<tf.Rank.R2>;
  /** φ in VAR's module order; empty when φ is the identity (quantResi = 0). */
  readonly phis: Phi[];
  /** Per scale and code, an EMA of hit counts (`[SN, V]`), as VAR's `ema_vocab_hit_SV`. */
  readonly emaHits: tf.Variable<tf.Rank.R2>;
  /** Code hits over all scales and recent residuals, for dead-code restarts. */
  readonly deadCodes: DeadCodeTracker;
  private recordedSteps = 0;

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
    checkRange(quantResi, "quantResi", 0, 1);
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
    if (this.phis.length === 0) return hBhwc;
    const k = phiIndexForScale(si, this.scales, this.phis.length);
    return this.phis[k].apply(hBhwc, folded?.[k]);
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
      if (this.checkInputs) checkIndexRange(idx, `idxBl[${si}]`, this.vocabSize);
    });
  }

  /**
   * The residual loop shared by `fToIdxBl`, `fToFhats` and `forward` (`f_to_idxBl_or_fhat`).
   * Calls `visit` with each scale's indices and f̂ after that scale.
   */
  private residualQuantize(
    f: tf.Tensor4D,
    visit: (si: number, idxN: tf.Tensor1D, fHat: tf.Tensor4D, restNc: tf.Tensor2D) => void,
    { differentiable = false } = {},
  ): void {
    const sn = this.scales;
    const [b, , , c] = f.shape;
    const codes = prepareCodebook(this.codebook, this.usingZnorm ? "cosine" : "l2");
    const folded = this.phis.map((p) => p.folded()); // built once, used at every scale
    let fRest: tf.Tensor4D = f;
    let fHat: tf.Tensor4D | undefined;
    this.patchNums.forEach((pn, si) => {
      const last = si === sn - 1;
      const rest = last ? fRest : resize(fRest, [pn, pn], "area");
      const restNc = rest.reshape([-1, c]) as tf.Tensor2D;
      const idxN = codes.search(restNc);
      // Without gradients a plain gather is enough (and cheaper than gatherCodes).
      const codesBhwc =
        (differentiable ? gatherCodes(this.codebook, idxN) : tf.gather(this.codebook, idxN))
          .reshape([b, pn, pn, c]) as tf.Tensor4D;
      const h = this.phi(si, this.toMax(codesBhwc), folded);
      fHat = fHat ? fHat.add(h) : h;
      fRest = fRest.sub(h);
      visit(si, idxN, fHat, restNc);
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
      this.residualQuantize(stopGradient(f), (_si, _idx, fHat) => out.push(fHat));
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
      const b = idxBl[0].shape[0];
      const c = this.cvae;
      const folded = this.phis.map((p) => p.folded()); // built once, used at every scale
      let fHat: tf.Tensor4D | undefined;
      const nextScales: tf.Tensor[] = [];
      for (let si = 0; si < this.scales - 1; si++) {
        // No gradient flows into the quantizer here: a plain gather is enough.
        const pn = this.patchNums[si];
        const codes = tf.gather(this.codebook, idxBl[si]).reshape([b, pn, pn, c]) as tf.Tensor4D;
        const h = this.phi(si, this.toMax(codes), folded);
        fHat = fHat ? fHat.add(h) : h;
        const pnNext = this.patchNums[si + 1];
        nextScales.push(resize(fHat, [pnNext, pnNext], "area").reshape([b, pnNext * pnNext, c]));
      }
      return (nextScales.length ? tf.concat(nextScales, 1) : tf.zeros([b, 0, c])) as tf.Tensor3D;
    });
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
      let fHat: tf.Tensor4D | undefined;
      const out: tf.Tensor4D[] = [];
      msH.forEach((h, si) => {
        const refined = this.phi(si, this.toMax(h), folded);
        fHat = fHat ? fHat.add(refined) : refined;
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
   * disposes the old `fHat`.
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
      const newFhat = fHat.add(this.phi(si, this.toMax(hBhwc))) as tf.Tensor4D;
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
  forward(f: tf.Tensor4D, { training = false } = {}): QuantizerForward {
    this.checkFeatureMap(f);
    const sn = this.scales;
    const out = tf.tidy(() => {
      const fNoGrad = stopGradient(f);
      const fHats: tf.Tensor4D[] = [];
      const hits: tf.Tensor1D[] = [];
      const noWeights = tf.tensor1d([], "float32");
      const recordAt = this.recordedSteps % sn; // one scale's residuals a step, in turn
      this.residualQuantize(fNoGrad, (si, idxN, fHat, restNc) => {
        hits.push(tf.bincount(idxN, noWeights, this.vocabSize));
        if (training && si === recordAt) this.deadCodes.remember(stopGradient(restNc));
        fHats.push(fHat);
      }, { differentiable: true });
      // mean over scales k of β·mse(sg(f̂_k), f) + mse(f̂_k, sg(f)), as one op
      const loss = vqLoss(tf.stack(fHats), f, this.beta);
      const fHatFinal = fHats[sn - 1];
      if (training) {
        const hitsSv = tf.stack(hits) as tf.Tensor2D;
        this.deadCodes.addHits(hitsSv.sum(0));
        this.recordHits(hitsSv);
      }
      return { fHat: straightThrough(f, fHatFinal), loss };
    });
    return out;
  }

  /** VAR's EMA of per-scale hits: copy first, then 0.9/0.1 for 100 steps, then 0.99/0.01. */
  private recordHits(hitsSv: tf.Tensor2D): void {
    const n = this.recordedSteps++;
    const keep = n === 0 ? 0 : n < 100 ? 0.9 : 0.99;
    this.emaHits.assign(this.emaHits.mul(keep).add(hitsSv.mul(1 - keep)));
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
    tf.dispose([this.codebook, this.emaHits]);
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
