var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/multiscale.ts
var multiscale_exports = {};
__export(multiscale_exports, {
  MultiScaleQuantizer: () => MultiScaleQuantizer,
  checkPatchNums: () => checkPatchNums
});
module.exports = __toCommonJS(multiscale_exports);
var import_backend = require("./backend.js");
var import_grad = require("./grad.js");
var import_nearest = require("./nearest.js");
var import_dead_codes = require("./dead_codes.js");
var import_phi = require("./phi.js");
var import_random = require("./random.js");
var import_resize = require("./resize.js");
var import_validate = require("./validate.js");
var MultiScaleQuantizer = class {
  vocabSize;
  cvae;
  patchNums;
  beta;
  quantResi;
  shareQuantResi;
  usingZnorm;
  checkInputs;
  /** `[V, C]` code vectors. */
  codebook;
  /** φ in VAR's module order; empty when φ is the identity (quantResi = 0). */
  phis;
  /** Per scale and code, an EMA of hit counts (`[SN, V]`), as VAR's `ema_vocab_hit_SV`. */
  emaHits;
  /** Code hits over all scales and recent residuals, for dead-code restarts. */
  deadCodes;
  recordedSteps = 0;
  constructor(options) {
    const {
      vocabSize,
      cvae,
      patchNums,
      beta = 0.25,
      quantResi = 0.5,
      shareQuantResi = 4,
      usingZnorm = false,
      seed = 0
    } = options;
    (0, import_validate.checkPositiveInt)(vocabSize, "vocabSize");
    (0, import_validate.checkPositiveInt)(cvae, "cvae");
    checkPatchNums(patchNums);
    if (!Number.isInteger(shareQuantResi) || shareQuantResi < 0) {
      throw new Error(`shareQuantResi must be an integer >= 0, got ${shareQuantResi}`);
    }
    this.vocabSize = vocabSize;
    this.cvae = cvae;
    this.patchNums = [...patchNums];
    this.beta = beta;
    this.quantResi = quantResi;
    this.shareQuantResi = shareQuantResi;
    this.usingZnorm = usingZnorm;
    this.checkInputs = options.checkInputs ?? true;
    this.codebook = import_backend.tf.tidy(
      () => import_backend.tf.variable(
        import_backend.tf.randomUniform([vocabSize, cvae], -1 / vocabSize, 1 / vocabSize, "float32", seed)
      )
    );
    const count = (0, import_phi.phiCount)(shareQuantResi, patchNums.length);
    this.phis = Math.abs(quantResi) > 1e-6 ? Array.from(
      { length: count },
      (_, k) => new import_phi.Phi(cvae, Math.abs(quantResi), seed + 2 * k + 1)
    ) : [];
    this.emaHits = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([patchNums.length, vocabSize]), false));
    this.deadCodes = new import_dead_codes.DeadCodeTracker(
      vocabSize,
      cvae,
      options.recentSize ?? 4096,
      (0, import_random.seededRandom)(seed + 7919)
    );
  }
  /**
   * Moves codes that no scale chose since the last restart onto recent residuals (the
   * vectors the quantizer was asked to match, at every scale). Returns how many moved.
   */
  restartDeadCodes(options = {}) {
    return this.deadCodes.restart(this.codebook, options);
  }
  /** Number of scales `SN`. */
  get scales() {
    return this.patchNums.length;
  }
  /** Side of the largest token map, which is the feature map's H and W. */
  get maxPatch() {
    return this.patchNums[this.patchNums.length - 1];
  }
  /** Total tokens per image over all scales, `L = Σ pn²`. */
  get tokensPerImage() {
    return this.patchNums.reduce((a, p) => a + p * p, 0);
  }
  /** The trainable variables: codebook and φ kernels and biases. */
  get trainableVariables() {
    return [this.codebook, ...this.phis.flatMap((p) => [p.kernel, p.bias])];
  }
  /** Sets the codebook and φ weights (φ in VAR's module order). */
  setWeights({ embedding, phi = [] }) {
    (0, import_validate.checkTensor)(embedding, "embedding", 2, `[vocabSize=${this.vocabSize}, cvae=${this.cvae}]`);
    if (embedding.shape[0] !== this.vocabSize || embedding.shape[1] !== this.cvae) {
      throw new Error(
        `embedding must be [${this.vocabSize}, ${this.cvae}], got [${embedding.shape}]`
      );
    }
    if (phi.length !== this.phis.length) {
      throw new Error(
        `phi must hold ${this.phis.length} kernels for this configuration, got ${phi.length}`
      );
    }
    this.codebook.assign(embedding);
    phi.forEach((w, k) => this.phis[k].setWeights(w));
  }
  /** φ of scale `si`, applied to `hBhwc` (identity when quantResi = 0). */
  phi(si, hBhwc) {
    if (this.phis.length === 0) return hBhwc;
    return this.phis[(0, import_phi.phiIndexForScale)(si, this.scales, this.phis.length)].apply(hBhwc);
  }
  /** Nearest codes of `zNc` (`[N, C]`) by L2, or by cosine with `usingZnorm`. */
  nearest(zNc) {
    const distance = this.usingZnorm ? "cosine" : "l2";
    return (0, import_nearest.nearestCode)(zNc, this.codebook, distance);
  }
  /** Codes of a token map `idx` (`[B, pn²]`) as an image `[B, pn, pn, C]`. */
  embed(idxBl, pn) {
    const b = idxBl.shape[0];
    return import_backend.tf.tidy(
      () => (0, import_grad.gatherCodes)(this.codebook, idxBl).reshape([b, pn, pn, this.cvae])
    );
  }
  /** Bicubic upsampling of `hBhwc` to the largest scale (identity at the largest scale). */
  toMax(hBhwc) {
    const hw = this.maxPatch;
    return hBhwc.shape[1] === hw ? hBhwc : (0, import_resize.resize)(hBhwc, [hw, hw], "bicubic");
  }
  checkFeatureMap(f, what = "f") {
    const hw = this.maxPatch;
    const layout = `[B, H=${hw}, W=${hw}, C=${this.cvae}]`;
    (0, import_validate.checkTensor)(f, what, 4, layout);
    if (f.shape[1] !== hw || f.shape[2] !== hw) {
      throw new Error(
        `${what} must be ${layout}: its H, W must equal the last patch number ${hw}, got [${f.shape}]`
      );
    }
    if (f.shape[3] !== this.cvae) throw new Error(`${what} must be ${layout}, got [${f.shape}]`);
    if (this.checkInputs) (0, import_validate.checkFinite)(f, what);
  }
  checkIdxBl(idxBl, minScales) {
    if (!Array.isArray(idxBl) || idxBl.length < minScales || idxBl.length > this.scales) {
      throw new Error(
        `idxBl must be a list of ${minScales}..${this.scales} token maps [B, pn\xB2], got ${Array.isArray(idxBl) ? idxBl.length : typeof idxBl}`
      );
    }
    const b = idxBl[0]?.shape?.[0];
    idxBl.forEach((idx, si) => {
      const pn = this.patchNums[si];
      (0, import_validate.checkTensor)(idx, `idxBl[${si}]`, 2, `[B, ${pn * pn}]`, "int32");
      if (idx.shape[0] !== b || idx.shape[1] !== pn * pn) {
        throw new Error(`idxBl[${si}] must be [B=${b}, ${pn * pn}], got [${idx.shape}]`);
      }
      if (this.checkInputs) (0, import_validate.checkIndexRange)(idx, `idxBl[${si}]`, this.vocabSize);
    });
  }
  /**
   * The residual loop shared by `fToIdxBl`, `fToFhats` and `forward` (`f_to_idxBl_or_fhat`).
   * Calls `visit` with each scale's indices and f̂ after that scale.
   */
  residualQuantize(f, visit, { differentiable = false } = {}) {
    const sn = this.scales;
    const [b, , , c] = f.shape;
    const codes = (0, import_nearest.prepareCodebook)(this.codebook, this.usingZnorm ? "cosine" : "l2");
    const phis = this.phiKernels();
    let fRest = f;
    let fHat;
    this.patchNums.forEach((pn, si) => {
      const last = si === sn - 1;
      const rest = last ? fRest : (0, import_resize.resize)(fRest, [pn, pn], "area");
      const restNc = rest.reshape([-1, c]);
      const idxN = codes.search(restNc);
      const codesBhwc = (differentiable ? (0, import_grad.gatherCodes)(this.codebook, idxN) : import_backend.tf.gather(this.codebook, idxN)).reshape([b, pn, pn, c]);
      const h = this.applyPhi(phis, si, this.toMax(codesBhwc));
      fHat = fHat ? fHat.add(h) : h;
      fRest = fRest.sub(h);
      visit(si, idxN, fHat, restNc);
    });
  }
  /**
   * φ as one convolution: `(1 − r)·h + r·(conv(h, K) + b) = conv(h, r·K + (1 − r)·δ) + r·b`,
   * with δ the identity kernel (1 at the centre tap, per channel). One conv + bias per scale
   * instead of five ops; the kernels are built once per call.
   */
  phiKernels() {
    if (this.phis.length === 0) return [];
    const c = this.cvae;
    const r = Math.abs(this.quantResi);
    const identity = import_backend.tf.buffer([3, 3, c, c]);
    for (let i = 0; i < c; i++) identity.set(1 - r, 1, 1, i, i);
    const delta = identity.toTensor();
    return this.phis.map((p) => ({
      kernel: p.kernel.mul(r).add(delta),
      bias: p.bias.mul(r)
    }));
  }
  applyPhi(phis, si, hBhwc) {
    if (phis.length === 0) return hBhwc;
    const { kernel, bias } = phis[(0, import_phi.phiIndexForScale)(si, this.scales, phis.length)];
    return import_backend.tf.fused.conv2d({ x: hBhwc, filter: kernel, strides: 1, pad: "same", bias });
  }
  /** Token maps of `f` (`[B, H, W, C]`): `int32 [B, pn²]` per scale (`f_to_idxBl_or_fhat`). */
  fToIdxBl(f) {
    this.checkFeatureMap(f);
    return import_backend.tf.tidy(() => {
      const out = [];
      this.residualQuantize((0, import_grad.stopGradient)(f), (si, idxN) => {
        const pn = this.patchNums[si];
        out.push(idxN.reshape([f.shape[0], pn * pn]));
      });
      return out;
    });
  }
  /** f̂ after each scale (`[B, H, W, C]` each): `f_to_idxBl_or_fhat(to_fhat=True)`. */
  fToFhats(f) {
    this.checkFeatureMap(f);
    return import_backend.tf.tidy(() => {
      const out = [];
      this.residualQuantize((0, import_grad.stopGradient)(f), (_si, _idx, fHat) => out.push(fHat));
      return out;
    });
  }
  /**
   * VAR's teacher-forcing input from token maps (`idx_Bl_to_var_input`): for scales 1..SN−1,
   * f̂ after that scale area-downsampled to the next scale's size, flattened and
   * concatenated: `[B, L − pn₁², C]`. Only the first SN−1 token maps are read.
   */
  idxBlToVarInput(idxBl) {
    this.checkIdxBl(idxBl, this.scales - 1);
    return import_backend.tf.tidy(() => {
      const b = idxBl[0].shape[0];
      const c = this.cvae;
      const hw = this.maxPatch;
      let fHat = import_backend.tf.zeros([b, hw, hw, c]);
      const nextScales = [];
      for (let si = 0; si < this.scales - 1; si++) {
        const h = this.toMax(this.embed(idxBl[si], this.patchNums[si]));
        fHat = fHat.add(this.phi(si, h));
        const pnNext = this.patchNums[si + 1];
        nextScales.push((0, import_resize.resize)(fHat, [pnNext, pnNext], "area").reshape([b, pnNext * pnNext, c]));
      }
      return nextScales.length ? import_backend.tf.concat(nextScales, 1) : import_backend.tf.zeros([b, 0, c]);
    });
  }
  /**
   * f̂ after each scale from per-scale code maps `msH[si]` (`[B, pn, pn, C]`): VAR's
   * `embed_to_fhat(all_to_max_scale=True)`. With `lastOnly`, a one-element list.
   */
  embedToFhat(msH, { lastOnly = false } = {}) {
    if (!Array.isArray(msH) || msH.length !== this.scales) {
      throw new Error(`msH must be a list of ${this.scales} code maps [B, pn, pn, C]`);
    }
    msH.forEach((h, si) => {
      const pn = this.patchNums[si];
      (0, import_validate.checkTensor)(h, `msH[${si}]`, 4, `[B, ${pn}, ${pn}, ${this.cvae}]`);
      if (h.shape[1] !== pn || h.shape[2] !== pn || h.shape[3] !== this.cvae) {
        throw new Error(`msH[${si}] must be [B, ${pn}, ${pn}, ${this.cvae}], got [${h.shape}]`);
      }
    });
    return import_backend.tf.tidy(() => {
      let fHat;
      const out = [];
      msH.forEach((h, si) => {
        const refined = this.phi(si, this.toMax(h));
        fHat = fHat ? fHat.add(refined) : refined;
        if (!lastOnly || si === this.scales - 1) out.push(fHat);
      });
      return out;
    });
  }
  /** f̂ after each scale (or the last only) from token maps. */
  idxBlToFhat(idxBl, options = {}) {
    this.checkIdxBl(idxBl, this.scales);
    return import_backend.tf.tidy(
      () => this.embedToFhat(idxBl.map((idx, si) => this.embed(idx, this.patchNums[si])), options)
    );
  }
  /**
   * One generation step (VAR's `get_next_autoregressive_input`): adds scale `si`'s code map
   * `hBhwc` (`[B, pn, pn, C]`) to `fHat` and returns the new f̂ and the next scale's input
   * (f̂ area-downsampled to `pn_{si+1}`; f̂ itself after the last scale). The caller owns and
   * disposes the old `fHat`.
   */
  nextAutoregressiveInput(si, fHat, hBhwc) {
    if (!Number.isInteger(si) || si < 0 || si >= this.scales) {
      throw new Error(`si must be an integer in [0, ${this.scales - 1}], got ${si}`);
    }
    this.checkFeatureMap(fHat, "fHat");
    const pn = this.patchNums[si];
    (0, import_validate.checkTensor)(hBhwc, "hBhwc", 4, `[B, ${pn}, ${pn}, ${this.cvae}]`);
    return import_backend.tf.tidy(() => {
      const newFhat = fHat.add(this.phi(si, this.toMax(hBhwc)));
      if (si === this.scales - 1) return [newFhat, newFhat.clone()];
      const pnNext = this.patchNums[si + 1];
      return [newFhat, (0, import_resize.resize)(newFhat, [pnNext, pnNext], "area")];
    });
  }
  /**
   * The training forward (VAR's `forward`): f̂ with the straight-through gradient
   * `(f̂ − sg(f)) + f`, the VQ loss averaged over scales, and per-scale codebook usage.
   * With `training` (default), per-scale hit counts update the EMA behind `usage`.
   */
  forward(f, { training = true } = {}) {
    this.checkFeatureMap(f);
    const sn = this.scales;
    const out = import_backend.tf.tidy(() => {
      const fNoGrad = (0, import_grad.stopGradient)(f);
      const fHats = [];
      const hits = [];
      const noWeights = import_backend.tf.tensor1d([], "float32");
      const recordAt = this.recordedSteps % sn;
      this.residualQuantize(fNoGrad, (si, idxN, fHat, restNc) => {
        hits.push(import_backend.tf.bincount(idxN, noWeights, this.vocabSize));
        if (training && si === recordAt) this.deadCodes.remember((0, import_grad.stopGradient)(restNc));
        fHats.push(fHat);
      }, { differentiable: true });
      const loss = (0, import_grad.vqLoss)(import_backend.tf.stack(fHats), f, this.beta);
      const fHatFinal = fHats[sn - 1];
      if (training) {
        const hitsSv = import_backend.tf.stack(hits);
        this.deadCodes.addHits(hitsSv.sum(0));
        this.recordHits(hitsSv);
      }
      return { fHat: (0, import_grad.straightThrough)(f, fHatFinal), loss };
    });
    const [b, h, w] = f.shape;
    return { ...out, usage: this.usagePerScale(b * h * w) };
  }
  /** VAR's EMA of per-scale hits: copy first, then 0.9/0.1 for 100 steps, then 0.99/0.01. */
  recordHits(hitsSv) {
    const n = this.recordedSteps++;
    const keep = n === 0 ? 0 : n < 100 ? 0.9 : 0.99;
    this.emaHits.assign(this.emaHits.mul(keep).add(hitsSv.mul(1 - keep)));
  }
  /**
   * Per scale, the percentage of codes whose EMA hit count is at least VAR's margin
   * `0.08 · (B·H·W) / V` for batches of `positions = B·H·W` feature positions.
   */
  usagePerScale(positions) {
    const margin = positions / this.vocabSize * 0.08;
    const u = import_backend.tf.tidy(() => this.emaHits.greaterEqual(margin).toFloat().mean(1).mul(100));
    const values = Array.from(u.dataSync());
    u.dispose();
    return values;
  }
  dispose() {
    this.deadCodes.dispose();
    import_backend.tf.dispose([this.codebook, this.emaHits]);
    this.phis.forEach((p) => p.dispose());
  }
};
function checkPatchNums(patchNums) {
  if (!Array.isArray(patchNums) || patchNums.length === 0) {
    throw new Error(`patchNums must be a non-empty list of integers, got ${String(patchNums)}`);
  }
  patchNums.forEach((pn, i) => {
    if (typeof pn !== "number" || !Number.isInteger(pn) || pn < 1) {
      throw new Error(`patchNums[${i}] must be a positive integer, got ${String(pn)}`);
    }
    if (i > 0 && pn <= patchNums[i - 1]) {
      throw new Error(
        `patchNums must be strictly increasing, got ${patchNums[i - 1]} then ${pn} at index ${i}`
      );
    }
  });
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  MultiScaleQuantizer,
  checkPatchNums
});
//# sourceMappingURL=multiscale.js.map
