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

// lib/var.ts
var var_exports = {};
__export(var_exports, {
  DEFAULT_VAR_CONFIG: () => DEFAULT_VAR_CONFIG,
  VAR: () => VAR,
  sampleTokens: () => sampleTokens
});
module.exports = __toCommonJS(var_exports);
var import_backend = require("./backend.js");
var import_random = require("./random.js");
var import_grad = require("./grad.js");
var import_var_mask = require("./var_mask.js");
var import_multiscale = require("./multiscale.js");
var DEFAULT_VAR_CONFIG = {
  vocabSize: 512,
  cvae: 32,
  patchNums: [1, 2, 3, 4, 5, 7],
  numClasses: 10,
  depth: 4,
  width: 128,
  heads: 4,
  mlpRatio: 4,
  condDropRate: 0.1,
  adaLN: true,
  seed: 0
};
function norm(x) {
  const mean = x.mean(-1, true);
  const xc = x.sub(mean);
  return xc.mul(xc.square().mean(-1, true).add(1e-6).rsqrt());
}
function linear(x, p) {
  const shape = x.shape;
  const out = import_backend.tf.matMul(x.reshape([-1, shape[shape.length - 1]]), p.w).add(p.b);
  return out.reshape([...shape.slice(0, -1), p.w.shape[1]]);
}
var variableCounter = 0;
var VAR = class {
  config;
  L;
  vars = /* @__PURE__ */ new Map();
  blocks = [];
  lvl;
  /** Additive block-causal attention bias `[L, L]` (0 or −∞). */
  maskBias;
  seedCounter;
  constructor(config = {}) {
    const c = { ...DEFAULT_VAR_CONFIG, ...config };
    (0, import_multiscale.checkPatchNums)(c.patchNums);
    for (const k of ["vocabSize", "cvae", "numClasses", "depth", "width", "heads", "mlpRatio"]) {
      if (!Number.isInteger(c[k]) || c[k] < 1) {
        throw new Error(`VAR: ${k} must be a positive integer, got ${c[k]}`);
      }
    }
    if (c.width % c.heads !== 0) {
      throw new Error(`VAR: width ${c.width} must be divisible by heads ${c.heads}`);
    }
    if (!(c.condDropRate >= 0 && c.condDropRate < 1)) {
      throw new Error(`VAR: condDropRate must be in [0, 1)`);
    }
    this.config = c;
    this.lvl = (0, import_var_mask.levelIndices)(c.patchNums);
    this.L = this.lvl.length;
    this.seedCounter = c.seed * 1e3 + 1;
    const D = c.width, H = D * c.mlpRatio;
    const std = 0.02, outStd = 0.02 / Math.sqrt(2 * c.depth);
    this.param("classEmb", [c.numClasses + 1, D], std);
    this.param("posStart", [c.patchNums[0] ** 2, D], std);
    this.param("posEmbed", [this.L, D], std);
    this.param("lvlEmbed", [c.patchNums.length, D], std);
    this.param("wordEmbed.w", [c.cvae, D], std);
    this.param("wordEmbed.b", [D], 0);
    for (let i = 0; i < c.depth; i++) {
      const p = (name, shape, s, fill = 0) => this.param(`blocks.${i}.${name}`, shape, s, fill);
      const block = {
        qkv: { w: p("qkv.w", [D, 3 * D], std), b: p("qkv.b", [3 * D], 0) },
        proj: { w: p("proj.w", [D, D], outStd), b: p("proj.b", [D], 0) },
        fc1: { w: p("fc1.w", [D, H], std), b: p("fc1.b", [H], 0) },
        fc2: { w: p("fc2.w", [H, D], outStd), b: p("fc2.b", [D], 0) }
      };
      if (c.adaLN) {
        block.ada = { w: p("ada.w", [D, 6 * D], 0), b: this.adaBias(`blocks.${i}.ada.b`, D, 2) };
      } else {
        block.ln1 = { g: p("ln1.g", [D], 0, 1), b: p("ln1.b", [D], 0) };
        block.ln2 = { g: p("ln2.g", [D], 0, 1), b: p("ln2.b", [D], 0) };
      }
      this.blocks.push(block);
    }
    if (c.adaLN) {
      this.param("head.ada.w", [D, 2 * D], 0);
      this.param("head.ada.b", [2 * D], 0);
    } else {
      this.param("head.ln.g", [D], 0, 1);
      this.param("head.ln.b", [D], 0);
    }
    this.param("head.w", [D, c.vocabSize], std);
    this.param("head.b", [c.vocabSize], 0);
    this.maskBias = (0, import_var_mask.blockCausalMask)(c.patchNums, { additive: true });
  }
  param(name, shape, std, fill = 0) {
    const v = import_backend.tf.tidy(
      () => import_backend.tf.variable(
        std > 0 ? import_backend.tf.truncatedNormal(shape, 0, std, "float32", this.seedCounter++) : import_backend.tf.fill(shape, fill),
        true,
        `var${++variableCounter}.${name}`
      )
    );
    this.vars.set(name, v);
    return v;
  }
  /** Bias of an adaLN linear: `gammas` chunks of ones (gates), the rest zeros. */
  adaBias(name, D, gammas) {
    const v = import_backend.tf.tidy(
      () => import_backend.tf.variable(
        import_backend.tf.concat([import_backend.tf.ones([gammas * D]), import_backend.tf.zeros([(6 - gammas) * D])]),
        true,
        `var${++variableCounter}.${name}`
      )
    );
    this.vars.set(name, v);
    return v;
  }
  v(name) {
    return this.vars.get(name);
  }
  /** Every variable by a stable name. */
  variables() {
    return this.vars;
  }
  get trainableVariables() {
    return [...this.vars.values()];
  }
  /** Number of trainable numbers. */
  get parameterCount() {
    return this.trainableVariables.reduce((a, v) => a + v.size, 0);
  }
  /** Level + position embedding of positions `[start, start + n)`: `[n, D]`. */
  lvlPosOf(start, n) {
    const lvl = import_backend.tf.tensor1d(this.lvl.subarray(start, start + n), "int32");
    return import_backend.tf.gather(this.v("lvlEmbed"), lvl).add(this.v("posEmbed").slice([start, 0], [n, -1]));
  }
  /** The start tokens of scale 1: class embedding + posStart + level/position: `[B, pn₁², D]`. */
  startTokens(condBD) {
    const first = this.config.patchNums[0] ** 2;
    return condBD.expandDims(1).add(this.v("posStart")).add(this.lvlPosOf(0, first));
  }
  /** `wordEmbed` of a teacher-forcing / next-scale input `[B, n, Cvae]` placed at `start`. */
  wordTokens(xBnC, start) {
    return linear(xBnC, { w: this.v("wordEmbed.w"), b: this.v("wordEmbed.b") }).add(this.lvlPosOf(start, xBnC.shape[1]));
  }
  /** adaLN parameters of a block for the class embeddings: six `[B, 1, D]`. */
  modulation(block, condBD) {
    const D = this.config.width;
    const silu = condBD.mul(condBD.sigmoid());
    return import_backend.tf.split(linear(silu, block.ada).reshape([-1, 1, 6 * D]), 6, 2);
  }
  /**
   * One block on `xBLD`; `kv` (when given) holds this block's cached keys/values of earlier
   * positions and receives the new ones. `bias` is the additive mask for these queries.
   */
  block(block, xBLD, condBD, bias, kv) {
    const { width: D, heads } = this.config;
    const dh = D / heads;
    const [B, n] = xBLD.shape;
    let h1, h2, g1 = null, g2 = null;
    if (block.ada) {
      const [gamma1, gamma2, scale1, scale2, shift1, shift2] = this.modulation(block, condBD);
      h1 = norm(xBLD).mul(scale1.add(1)).add(shift1);
      h2 = (x) => norm(x).mul(scale2.add(1)).add(shift2);
      g1 = gamma1;
      g2 = gamma2;
    } else {
      h1 = norm(xBLD).mul(block.ln1.g).add(block.ln1.b);
      h2 = (x) => norm(x).mul(block.ln2.g).add(block.ln2.b);
    }
    const qkv = linear(h1, block.qkv).reshape([B, n, 3, heads, dh]).transpose([2, 0, 3, 1, 4]);
    const [q, k, v] = import_backend.tf.unstack(qkv);
    let keys = k, values = v;
    if (kv) {
      if (kv.k) {
        keys = import_backend.tf.concat([kv.k, k], 2);
        values = import_backend.tf.concat([kv.v, v], 2);
      }
      kv.k = keys;
      kv.v = values;
    }
    let scores = import_backend.tf.matMul(q, keys, false, true).mul(1 / Math.sqrt(dh));
    if (bias) scores = scores.add(bias);
    const att = import_backend.tf.matMul(import_backend.tf.softmax(scores), values).transpose([0, 2, 1, 3]).reshape([B, n, D]);
    let a = linear(att, block.proj);
    if (g1) a = a.mul(g1);
    const x1 = xBLD.add(a);
    const hidden = linear(h2(x1), block.fc1);
    let m = linear(hidden.mul(import_backend.tf.sigmoid(hidden.mul(1.702))), block.fc2);
    if (g2) m = m.mul(g2);
    return x1.add(m);
  }
  /**
   * All blocks on new positions `xBnD` with each block's KV cache: the new keys/values are
   * appended (and kept past the caller's tidy), the old ones freed. No mask is needed: new
   * positions may see every cached one and each other.
   */
  cachedBlocks(xBnD, condBD, caches) {
    let x = xBnD;
    this.blocks.forEach((block, b) => {
      const kv = caches[b];
      const old = [kv.k, kv.v].filter((t) => t);
      x = this.block(block, x, condBD, null, kv);
      import_backend.tf.keep(kv.k);
      import_backend.tf.keep(kv.v);
      import_backend.tf.dispose(old);
    });
    return x;
  }
  /** Head: (adaptive) layer norm, then Linear D → V: logits `[B, n, V]`. */
  head(xBLD, condBD) {
    let h;
    if (this.config.adaLN) {
      const silu = condBD.mul(condBD.sigmoid());
      const [scale, shift] = import_backend.tf.split(
        linear(silu, { w: this.v("head.ada.w"), b: this.v("head.ada.b") }).reshape([
          -1,
          1,
          2 * this.config.width
        ]),
        2,
        2
      );
      h = norm(xBLD).mul(scale.add(1)).add(shift);
    } else {
      h = norm(xBLD).mul(this.v("head.ln.g")).add(this.v("head.ln.b"));
    }
    return linear(h, { w: this.v("head.w"), b: this.v("head.b") });
  }
  classEmbedding(labels) {
    return import_backend.tf.gather(this.v("classEmb"), labels.toInt());
  }
  checkLabels(labels, allowNull = true) {
    if (labels.rank !== 1) throw new Error(`labels must be [B], got [${labels.shape}]`);
    const max = allowNull ? this.config.numClasses : this.config.numClasses - 1;
    const v = labels.dataSync();
    for (const x of v) {
      if (!Number.isInteger(x) || x < 0 || x > max) {
        throw new Error(`labels must be integers in [0, ${max}], got ${x}`);
      }
    }
  }
  /**
   * Teacher-forcing forward: logits `[B, L, V]` for every position, from the quantizer's
   * `idxBlToVarInput` (`xBLC`, `[B, L − pn₁², Cvae]`) and class labels (`numClasses` = null).
   */
  forward(xBLC, labels) {
    const first = this.config.patchNums[0] ** 2;
    if (xBLC.rank !== 3 || xBLC.shape[1] !== this.L - first || xBLC.shape[2] !== this.config.cvae) {
      throw new Error(
        `VAR.forward: expected x [B, ${this.L - first}, ${this.config.cvae}], got [${xBLC.shape}]`
      );
    }
    if (labels.shape[0] !== xBLC.shape[0]) {
      throw new Error(`VAR.forward: ${labels.shape[0]} labels for a batch of ${xBLC.shape[0]}`);
    }
    return import_backend.tf.tidy(() => {
      const cond = this.classEmbedding(labels);
      let x = import_backend.tf.concat([this.startTokens(cond), this.wordTokens(xBLC, first)], 1);
      for (const b of this.blocks) x = this.block(b, x, cond, this.maskBias);
      return this.head(x, cond);
    });
  }
  /**
   * The training loss: cross-entropy of every position's code, averaged over all positions;
   * labels are replaced by the null class with probability `condDropRate` (`rand` draws).
   * Also returns the mean loss per scale (`[scales]`, without gradient).
   */
  loss(xBLC, idxBL, labels, rand = Math.random) {
    const B = labels.shape[0];
    const lab = labels.dataSync();
    const dropped = Int32Array.from(
      lab,
      (y) => rand() < this.config.condDropRate ? this.config.numClasses : y
    );
    return import_backend.tf.tidy(() => {
      const logits = this.forward(xBLC, import_backend.tf.tensor1d(dropped, "int32"));
      const V = this.config.vocabSize;
      const logp = import_backend.tf.logSoftmax(logits.reshape([B * this.L, V]));
      const nll = import_backend.tf.oneHot(idxBL.reshape([-1]).toInt(), V).mul(logp).sum(1).neg().reshape([B, this.L]);
      const perScale = import_backend.tf.unsortedSegmentSum(
        nll.mean(0),
        import_backend.tf.tensor1d(this.lvl, "int32"),
        this.config.patchNums.length
      ).div(import_backend.tf.tensor1d(this.config.patchNums.map((pn) => pn * pn)));
      return { loss: nll.mean(), perScale: (0, import_grad.stopGradient)(perScale) };
    });
  }
  /**
   * Generates token maps for `labels` (class indices), one forward per scale. Returns
   * `idxBl` and f̂ after the last scale (decode it with the tokenizer's `fhatToImg`).
   */
  generate(quantizer, labels, { cfg = 1.5, topK = 0, topP = 1, seed = 0, useCache = true } = {}) {
    const { patchNums, numClasses, vocabSize } = this.config;
    if (quantizer.vocabSize !== vocabSize || quantizer.cvae !== this.config.cvae) {
      throw new Error("VAR.generate: the quantizer's vocabSize/cvae differ from the model's");
    }
    if (String(quantizer.patchNums) !== String(patchNums)) {
      throw new Error(
        `VAR.generate: quantizer patchNums [${quantizer.patchNums}] \u2260 [${patchNums}]`
      );
    }
    for (const y of labels) {
      if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
        throw new Error(`labels must be class indices in [0, ${numClasses - 1}], got ${y}`);
      }
    }
    const B = labels.length;
    const guided = cfg > 0;
    const rand = (0, import_random.seededRandom)(seed);
    const rows = guided ? [...labels, ...labels.map(() => numClasses)] : labels;
    const cond = import_backend.tf.tidy(() => this.classEmbedding(import_backend.tf.tensor1d(rows, "int32")));
    const caches = this.blocks.map(() => ({}));
    const inputs = [];
    let next = import_backend.tf.tidy(() => this.startTokens(cond));
    let fHat = import_backend.tf.zeros([B, quantizer.maxPatch, quantizer.maxPatch, this.config.cvae]);
    const idxBl = [];
    let start = 0;
    for (let si = 0; si < patchNums.length; si++) {
      const n = patchNums[si] ** 2;
      const logits = import_backend.tf.tidy(() => {
        let x;
        if (useCache) {
          x = this.cachedBlocks(next, cond, caches);
        } else {
          inputs.push(import_backend.tf.keep(next.clone()));
          x = import_backend.tf.concat(inputs, 1);
          const len = start + n;
          const bias = this.maskBias.slice([0, 0], [len, len]);
          for (const b of this.blocks) x = this.block(b, x, cond, bias);
          x = x.slice([0, start, 0], [-1, n, -1]);
        }
        let l = this.head(x, cond);
        if (guided) {
          const t = cfg * si / Math.max(1, patchNums.length - 1);
          const [c, u] = import_backend.tf.split(l, 2, 0);
          l = c.mul(1 + t).sub(u.mul(t));
        }
        return l;
      });
      const flat = logits.reshape([B * n, vocabSize]);
      const idx = sampleTokens(flat, topK, topP, rand);
      import_backend.tf.dispose([logits, flat]);
      const idxBn = import_backend.tf.tensor2d(idx, [B, n], "int32");
      idxBl.push(idxBn);
      const [newFhat, nextIn] = import_backend.tf.tidy(
        () => quantizer.nextAutoregressiveInput(si, fHat, quantizer.embed(idxBn, patchNums[si]))
      );
      fHat.dispose();
      fHat = newFhat;
      next.dispose();
      start += n;
      if (si < patchNums.length - 1) {
        const pnNext = patchNums[si + 1];
        next = import_backend.tf.tidy(() => {
          const t = this.wordTokens(nextIn.reshape([B, pnNext * pnNext, this.config.cvae]), start);
          return guided ? import_backend.tf.concat([t, t], 0) : t;
        });
      }
      nextIn.dispose();
    }
    import_backend.tf.dispose([cond, ...inputs, ...caches.flatMap((c) => [c.k, c.v])]);
    return { idxBl, fHat };
  }
  /**
   * The raster-order baseline for timing: the same network generating the same `L` tokens one
   * at a time (a causal next-token model with a KV cache), each token's code fed back through
   * `wordEmbed`. `L` forwards instead of one per scale. Returns `[B, L]` tokens (meaningful only
   * for a model trained that way; this class is trained for next-scale prediction).
   */
  generateRaster(quantizer, labels, { topK = 0, topP = 1, seed = 0 } = {}) {
    const B = labels.length, V = this.config.vocabSize;
    const rand = (0, import_random.seededRandom)(seed);
    const cond = import_backend.tf.tidy(() => this.classEmbedding(import_backend.tf.tensor1d(labels, "int32")));
    const caches = this.blocks.map(() => ({}));
    let x = import_backend.tf.tidy(() => this.startTokens(cond).slice([0, 0, 0], [-1, 1, -1]));
    const out = new Int32Array(B * this.L);
    for (let pos = 0; pos < this.L; pos++) {
      const logits = import_backend.tf.tidy(() => {
        const h = this.cachedBlocks(x, cond, caches);
        return this.head(h, cond).reshape([B, V]);
      });
      const idx = sampleTokens(logits, topK, topP, rand);
      logits.dispose();
      idx.forEach((k, i) => out[i * this.L + pos] = k);
      x.dispose();
      if (pos < this.L - 1) {
        x = import_backend.tf.tidy(() => {
          const codes = quantizer.codebook.gather(import_backend.tf.tensor1d(idx, "int32"));
          return this.wordTokens(codes.expandDims(1), pos + 1);
        });
      }
    }
    import_backend.tf.dispose([cond, ...caches.flatMap((c) => [c.k, c.v])]);
    return import_backend.tf.tensor2d(out, [B, this.L], "int32");
  }
  dispose() {
    import_backend.tf.dispose([...this.vars.values(), this.maskBias]);
  }
};
function sampleTokens(logits, topK, topP, rand) {
  const [N, V] = logits.shape;
  const k = topK > 0 ? Math.min(topK, V) : V;
  const { values, indices } = import_backend.tf.topk(logits, k, true);
  const vals = values.dataSync(), idx = indices.dataSync();
  import_backend.tf.dispose([values, indices]);
  const out = new Int32Array(N);
  const p = new Float64Array(k);
  for (let r = 0; r < N; r++) {
    const off = r * k;
    const max = vals[off];
    let sum = 0;
    for (let j2 = 0; j2 < k; j2++) sum += p[j2] = Math.exp(vals[off + j2] - max);
    let keep = k, mass = 0;
    if (topP < 1) {
      for (let j2 = 0; j2 < k; j2++) {
        mass += p[j2] / sum;
        if (mass >= topP) {
          keep = j2 + 1;
          break;
        }
      }
    }
    let total = 0;
    for (let j2 = 0; j2 < keep; j2++) total += p[j2];
    let u = rand() * total, j = 0;
    for (; j < keep - 1; j++) {
      u -= p[j];
      if (u <= 0) break;
    }
    out[r] = idx[off + j];
  }
  return out;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  DEFAULT_VAR_CONFIG,
  VAR,
  sampleTokens
});
//# sourceMappingURL=var.js.map
