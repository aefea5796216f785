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

// lib/var_train.ts
var var_train_exports = {};
__export(var_train_exports, {
  evaluateVAR: () => evaluateVAR,
  tokenBatch: () => tokenBatch,
  tokenize: () => tokenize,
  trainVAR: () => trainVAR
});
module.exports = __toCommonJS(var_train_exports);
var import_backend = require("./backend.js");
var import_multiscale = require("./multiscale.js");
var import_optim = require("./optim.js");
var import_random = require("./random.js");
var import_train = require("./train.js");
function tokenize(model, data, batchSize = 1e3) {
  const q = model.quantizer;
  if (!(q instanceof import_multiscale.MultiScaleQuantizer)) {
    throw new Error("tokenize: the tokenizer needs the multi-scale quantizer");
  }
  const L = q.tokensPerImage;
  const tokens = new Int32Array(data.length * L);
  let at = 0;
  for (const { xBhwc, labels } of data.batches(batchSize)) {
    const t = import_backend.tf.tidy(() => import_backend.tf.concat(model.imgToIdxBl(xBhwc), 1));
    tokens.set(t.dataSync(), at);
    at += t.size;
    import_backend.tf.dispose([t, xBhwc, labels]);
  }
  return {
    tokens,
    labels: data.labels,
    L,
    patchNums: [...q.patchNums],
    get length() {
      return this.labels.length;
    }
  };
}
function tokenBatch(set, indices) {
  const B = indices.length, L = set.L;
  const tok = new Int32Array(B * L);
  const lab = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const k = indices[i];
    tok.set(set.tokens.subarray(k * L, (k + 1) * L), i * L);
    lab[i] = set.labels[k];
  }
  const tokBL = import_backend.tf.tensor2d(tok, [B, L], "int32");
  const idxBl = import_backend.tf.split(tokBL, set.patchNums.map((pn) => pn * pn), 1);
  return { tokBL, idxBl, labels: import_backend.tf.tensor1d(lab, "int32") };
}
function evaluateVAR(model, quantizer, set, limit = Infinity, batchSize = 500) {
  const n = Math.min(limit, set.length);
  let loss = 0, right = 0;
  for (let start = 0; start < n; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const b = tokenBatch(set, idx);
    const [l, r] = import_backend.tf.tidy(() => {
      const logits = model.forward(quantizer.idxBlToVarInput(b.idxBl), b.labels);
      const V = model.config.vocabSize;
      const flat = logits.reshape([-1, V]);
      const target = b.tokBL.reshape([-1]);
      const nll = import_backend.tf.losses.softmaxCrossEntropy(
        import_backend.tf.oneHot(target, V),
        flat,
        void 0,
        void 0,
        import_backend.tf.Reduction.SUM
      );
      const hits = flat.argMax(1).equal(target).sum();
      return [nll.dataSync()[0], hits.dataSync()[0]];
    });
    loss += l;
    right += r;
    import_backend.tf.dispose([b.tokBL, b.labels, ...b.idxBl]);
  }
  return { loss: loss / (n * set.L), accuracy: right / (n * set.L) };
}
async function trainVAR(model, quantizer, train, test, options = {}) {
  const {
    steps = Infinity,
    minutes = Infinity,
    batchSize = 128,
    lr = 2e-3,
    warmupSteps = 100,
    evalEvery = 200,
    evalSamples = 1e3,
    seed = 0,
    onMetrics
  } = options;
  if (!Number.isFinite(steps) && !Number.isFinite(minutes)) {
    throw new Error("trainVAR: give steps or minutes (or both)");
  }
  const log = options.log === void 0 ? console.log : options.log;
  const opt = new import_optim.FlatAdam(model.trainableVariables, { learningRate: lr, beta2: 0.95 });
  const rand = (0, import_random.seededRandom)(seed);
  const history = [];
  const scales = train.patchNums.length;
  let step = 0, epoch = 0, trainMs = 0, sinceMs = 0, sinceSteps = 0, sum = 0, lrNow = 0;
  let sumPerScale = new Array(scales).fill(0);
  let order = (0, import_random.shuffledIndices)(train.length, (0, import_random.seededRandom)(seed));
  let at = 0;
  const progress = () => Math.max(step / steps, trainMs / (minutes * 6e4));
  const record = async () => {
    const t = evaluateVAR(model, quantizer, test, evalSamples);
    const m = {
      step,
      seconds: trainMs / 1e3,
      lr: lrNow,
      trainLoss: sum / Math.max(1, sinceSteps),
      trainLossPerScale: sumPerScale.map((s) => s / Math.max(1, sinceSteps)),
      testLoss: t.loss,
      testAccuracy: t.accuracy,
      samplesPerSecond: sinceSteps * batchSize / Math.max(1e-9, sinceMs / 1e3)
    };
    history.push(m);
    sum = 0;
    sumPerScale = new Array(scales).fill(0);
    sinceSteps = 0;
    sinceMs = 0;
    log?.(
      `step ${String(step).padStart(5)}  ${m.seconds.toFixed(0).padStart(4)} s  train loss ${m.trainLoss.toFixed(3)}  test loss ${m.testLoss.toFixed(3)}  test token acc ${(100 * m.testAccuracy).toFixed(1)} %  ${m.samplesPerSecond.toFixed(0)} seq/s`
    );
    await onMetrics?.(m);
  };
  while (step < steps && trainMs < minutes * 6e4) {
    if (at + batchSize > order.length) {
      order = (0, import_random.shuffledIndices)(train.length, (0, import_random.seededRandom)(seed + ++epoch));
      at = 0;
    }
    const t0 = performance.now();
    const b = tokenBatch(train, order.subarray(at, at + batchSize));
    at += batchSize;
    lrNow = (0, import_train.learningRate)(step, progress(), { lr, warmupSteps, finalLrRatio: 0.1 });
    opt.learningRate = lrNow;
    let per;
    const loss = opt.minimize(
      () => import_backend.tf.tidy(() => {
        const x = quantizer.idxBlToVarInput(b.idxBl);
        const out = model.loss(x, b.tokBL, b.labels, rand);
        per = import_backend.tf.keep(out.perScale);
        return out.loss;
      })
    );
    const v = loss.dataSync()[0];
    const ps = per.dataSync();
    import_backend.tf.dispose([loss, per, b.tokBL, b.labels, ...b.idxBl]);
    if (!Number.isFinite(v)) throw new Error(`trainVAR: the loss became ${v} at step ${step}`);
    step++;
    const ms = performance.now() - t0;
    trainMs += ms;
    sinceMs += ms;
    sinceSteps++;
    sum += v;
    for (let s = 0; s < scales; s++) sumPerScale[s] += ps[s];
    if (evalEvery > 0 && step % evalEvery === 0) await record();
  }
  if (sinceSteps > 0 || history.length === 0) await record();
  opt.dispose();
  return { steps: step, seconds: trainMs / 1e3, history };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  evaluateVAR,
  tokenBatch,
  tokenize,
  trainVAR
});
//# sourceMappingURL=var_train.js.map
