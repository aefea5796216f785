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

// lib/quantizer.ts
var quantizer_exports = {};
__export(quantizer_exports, {
  VectorQuantizer: () => VectorQuantizer,
  kmeansPlusPlus: () => kmeansPlusPlus
});
module.exports = __toCommonJS(quantizer_exports);
var import_backend = require("./backend.js");
var import_codebook_health = require("./codebook_health.js");
var import_dead_codes = require("./dead_codes.js");
var import_grad = require("./grad.js");
var import_nearest = require("./nearest.js");
var import_random = require("./random.js");
var import_validate = require("./validate.js");
var VectorQuantizer = class {
  vocabSize;
  dim;
  beta;
  distance;
  ema;
  checkNumerics;
  /** `[V, C]` code vectors. */
  codebook;
  /** Code hits and recent encoder outputs, for dead-code restarts. */
  deadCodes;
  emaClusterSize;
  // debiased EMA state, `[V]`
  emaSums;
  // `[V, C]`
  emaSteps = 0;
  rand;
  constructor(options) {
    const { vocabSize, dim, beta = 0.25, distance = "l2", ema, seed = 0 } = options;
    (0, import_validate.checkPositiveInt)(vocabSize, "vocabSize");
    (0, import_validate.checkPositiveInt)(dim, "dim");
    if (distance !== "l2" && distance !== "cosine") {
      throw new Error(`distance must be "l2" or "cosine", got ${distance}`);
    }
    if (!(beta >= 0)) throw new Error(`beta must be >= 0, got ${beta}`);
    if (ema && !(ema.decay > 0 && ema.decay < 1)) {
      throw new Error(`ema.decay must be in (0, 1), got ${ema.decay}`);
    }
    this.vocabSize = vocabSize;
    this.dim = dim;
    this.beta = beta;
    this.distance = distance;
    this.checkNumerics = options.checkNumerics ?? true;
    this.rand = (0, import_random.seededRandom)(seed);
    this.codebook = import_backend.tf.tidy(
      () => import_backend.tf.variable(
        import_backend.tf.randomUniform([vocabSize, dim], -1 / vocabSize, 1 / vocabSize, "float32", seed),
        !ema
      )
    );
    this.deadCodes = new import_dead_codes.DeadCodeTracker(vocabSize, dim, options.recentSize ?? 4096, this.rand);
    if (ema) {
      this.ema = { decay: ema.decay, epsilon: ema.epsilon ?? 1e-5 };
      this.emaClusterSize = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([vocabSize]), false));
      this.emaSums = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([vocabSize, dim]), false));
    }
  }
  /** Replaces the codebook (`[V, C]`). */
  setCodebook(embedding) {
    (0, import_validate.checkTensor)(embedding, "embedding", 2, `[vocabSize=${this.vocabSize}, dim=${this.dim}]`);
    if (embedding.shape[0] !== this.vocabSize || embedding.shape[1] !== this.dim) {
      throw new Error(
        `embedding must be [${this.vocabSize}, ${this.dim}], got [${embedding.shape}]`
      );
    }
    this.codebook.assign(embedding);
  }
  /** Nearest code of every row of `zNc` (`[N, C]`): `int32 [N]`. */
  nearest(zNc) {
    return (0, import_nearest.nearestCode)(zNc, this.codebook, this.distance);
  }
  /** Code vectors of indices: `[...idx.shape, C]`. */
  lookup(indices) {
    return (0, import_grad.gatherCodes)(this.codebook, indices.toInt());
  }
  /**
   * Quantizes `zBhwc` (`[B, H, W, C]`). With `training`, also records code hits and recent
   * encoder outputs (for restarts) and, in EMA mode, moves the codebook.
   */
  forward(zBhwc, { training = false } = {}) {
    (0, import_validate.checkTensor)(zBhwc, "z", 4, `[B, H, W, C=${this.dim}]`);
    if (zBhwc.shape[3] !== this.dim) {
      throw new Error(`z must be [B, H, W, C=${this.dim}], got [${zBhwc.shape}]`);
    }
    if (this.checkNumerics) (0, import_validate.checkFinite)(zBhwc, "z");
    const out = import_backend.tf.tidy(() => {
      const zNc = zBhwc.reshape([-1, this.dim]);
      const indices = this.nearest(zNc);
      const q = (0, import_grad.gatherCodes)(this.codebook, indices).reshape(zBhwc.shape);
      const loss = this.ema ? import_backend.tf.losses.meanSquaredError((0, import_grad.stopGradient)(q), zBhwc).mul(this.beta) : (0, import_grad.vqLoss)(q, zBhwc, this.beta);
      if (training) {
        this.record(zNc, indices);
      }
      return { quantized: (0, import_grad.straightThrough)(zBhwc, q), loss, indices };
    });
    return out;
  }
  /** Training bookkeeping: hit counts, the recent-outputs buffer, EMA codebook update. */
  record(zNc, indices) {
    import_backend.tf.tidy(() => {
      const z = (0, import_grad.stopGradient)(zNc);
      const counts = (0, import_codebook_health.codeCounts)(indices, this.vocabSize);
      this.deadCodes.addHits(counts);
      this.deadCodes.remember(z);
      if (this.ema) this.emaUpdate(z, indices, counts);
    });
  }
  /**
   * Sonnet's `VectorQuantizerEMA`: debiased moving averages of cluster sizes `N` and of the sums
   * `m` of the vectors assigned to each code; `eᵢ = mᵢ / Ñᵢ` with Laplace-smoothed
   * `Ñᵢ = (Nᵢ + ε) / (n + V·ε) · n`.
   */
  emaUpdate(zNc, indices, counts) {
    const { decay, epsilon } = this.ema;
    this.emaSteps++;
    const debias = 1 - Math.pow(decay, this.emaSteps);
    const sums = import_backend.tf.unsortedSegmentSum(zNc, indices, this.vocabSize);
    this.emaClusterSize.assign(this.emaClusterSize.mul(decay).add(counts.mul(1 - decay)));
    this.emaSums.assign(this.emaSums.mul(decay).add(sums.mul(1 - decay)));
    const size = this.emaClusterSize.div(debias);
    const n = size.sum();
    const smoothed = size.add(epsilon).div(n.add(this.vocabSize * epsilon)).mul(n);
    this.codebook.assign(this.emaSums.div(debias).div(smoothed.expandDims(1)));
  }
  /**
   * Re-initialises codes chosen fewer than `minCount` times since the last restart with
   * recent encoder outputs (chosen at random), then resets the hit counts. Returns how many
   * codes were restarted.
   */
  restartDeadCodes(options = {}) {
    return this.deadCodes.restart(this.codebook, options, (deadIdx, fresh) => {
      if (!this.ema) return;
      const debias = 1 - Math.pow(this.ema.decay, Math.max(this.emaSteps, 1));
      const ones = import_backend.tf.fill([fresh.shape[0]], debias);
      this.emaClusterSize.assign(import_backend.tf.tensorScatterUpdate(this.emaClusterSize, deadIdx, ones));
      this.emaSums.assign(import_backend.tf.tensorScatterUpdate(this.emaSums, deadIdx, fresh.mul(debias)));
    });
  }
  /**
   * Initialises the codebook from data `zNc` (`[N, C]`, N ≥ V): k-means++ seeding, followed by
   * `iterations` rounds of Lloyd's k-means for `"kmeans"` (default 10).
   */
  initFromData(zNc, method = "kmeans++", iterations = 10) {
    (0, import_validate.checkTensor)(zNc, "data", 2, `[N, C=${this.dim}]`);
    const [n, c] = zNc.shape;
    if (c !== this.dim) throw new Error(`data must be [N, C=${this.dim}], got [${zNc.shape}]`);
    if (n < this.vocabSize) {
      throw new Error(`data needs at least vocabSize=${this.vocabSize} rows, got ${n}`);
    }
    if (method !== "kmeans++" && method !== "kmeans") {
      throw new Error(`method must be "kmeans++" or "kmeans", got ${method}`);
    }
    const centers = kmeansPlusPlus(zNc, this.vocabSize, this.rand);
    this.codebook.assign(centers);
    centers.dispose();
    if (method === "kmeans") {
      for (let it = 0; it < iterations; it++) {
        import_backend.tf.tidy(() => {
          const idx = (0, import_nearest.nearestCode)(zNc, this.codebook, "l2");
          const sums = import_backend.tf.unsortedSegmentSum(zNc, idx, this.vocabSize);
          const counts = (0, import_codebook_health.codeCounts)(idx, this.vocabSize).expandDims(1);
          const means = sums.div(counts.maximum(1));
          const keep = counts.greater(0).tile([1, c]);
          this.codebook.assign(import_backend.tf.where(keep, means, this.codebook));
        });
      }
    }
  }
  /** Frees the quantizer's variables. */
  dispose() {
    this.deadCodes.dispose();
    import_backend.tf.dispose([
      this.codebook,
      ...this.emaClusterSize ? [this.emaClusterSize, this.emaSums] : []
    ]);
  }
};
function kmeansPlusPlus(zNc, k, rand) {
  const [n, c] = zNc.shape;
  const chosen = new Int32Array(k);
  chosen[0] = Math.floor(rand() * n);
  let minD = import_backend.tf.tidy(
    () => zNc.sub(zNc.slice([chosen[0], 0], [1, c])).square().sum(1)
  );
  for (let i = 1; i < k; i++) {
    const d = minD.dataSync();
    let total = 0;
    for (let j = 0; j < n; j++) total += d[j];
    let target = rand() * total;
    let pick = n - 1;
    for (let j = 0; j < n; j++) {
      target -= d[j];
      if (target <= 0) {
        pick = j;
        break;
      }
    }
    if (total <= 0) pick = Math.floor(rand() * n);
    chosen[i] = pick;
    const next = import_backend.tf.tidy(
      () => import_backend.tf.minimum(minD, zNc.sub(zNc.slice([pick, 0], [1, c])).square().sum(1))
    );
    minD.dispose();
    minD = next;
  }
  minD.dispose();
  return import_backend.tf.tidy(() => import_backend.tf.gather(zNc, import_backend.tf.tensor1d(chosen, "int32")));
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  VectorQuantizer,
  kmeansPlusPlus
});
//# sourceMappingURL=quantizer.js.map
