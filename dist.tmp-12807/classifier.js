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

// lib/classifier.ts
var classifier_exports = {};
__export(classifier_exports, {
  Classifier: () => Classifier
});
module.exports = __toCommonJS(classifier_exports);
var import_backend = require("./backend.js");
var import_grad = require("./grad.js");
var import_nn = require("./nn.js");
var import_optim = require("./optim.js");
var import_train = require("./train.js");
var Classifier = class {
  config;
  convs;
  dense;
  constructor(config = {}) {
    this.config = { classes: 10, channels: 32, seed: 0, ...config };
    const { channels: c, classes, seed } = this.config;
    this.convs = [
      new import_nn.Conv2D(1, c, 3, 1, "same", seed + 1),
      new import_nn.Conv2D(c, c, 4, 2, "same", seed + 2),
      new import_nn.Conv2D(c, 2 * c, 3, 1, "same", seed + 3),
      new import_nn.Conv2D(2 * c, 2 * c, 4, 2, "same", seed + 4)
    ];
    const bound = Math.sqrt(6 / (2 * c));
    this.dense = {
      w: import_backend.tf.tidy(
        () => import_backend.tf.variable(import_backend.tf.randomUniform([2 * c, classes], -bound, bound, "float32", seed))
      ),
      b: import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([classes])))
    };
  }
  /** Class logits `[B, classes]` of images `[B, H, W, 1]` in [0, 1]. */
  logits(xBhwc) {
    if (xBhwc.rank !== 4 || xBhwc.shape[3] !== 1) {
      throw new Error(`Classifier: expected images [B, H, W, 1], got [${xBhwc.shape}]`);
    }
    return import_backend.tf.tidy(() => {
      let h = xBhwc.sub(0.5).mul(2);
      for (const conv of this.convs) h = (0, import_grad.relu)(conv.apply(h));
      return h.mean([1, 2]).matMul(this.dense.w).add(this.dense.b);
    });
  }
  /** Predicted class of each image. */
  predict(xBhwc) {
    const idx = import_backend.tf.tidy(() => this.logits(xBhwc).argMax(1));
    const out = idx.dataSync();
    idx.dispose();
    return Int32Array.from(out);
  }
  /** Share of `data` classified correctly. */
  accuracy(data, batchSize = 1e3) {
    let right = 0;
    for (const { xBhwc, labels } of data.batches(batchSize)) {
      const pred = this.predict(xBhwc);
      const y = labels.dataSync();
      for (let i = 0; i < pred.length; i++) if (pred[i] === y[i]) right++;
      import_backend.tf.dispose([xBhwc, labels]);
    }
    return right / data.length;
  }
  variables() {
    const m = /* @__PURE__ */ new Map();
    this.convs.forEach((c, i) => c.variables(`conv${i}`).forEach((v, k) => m.set(k, v)));
    m.set("dense.w", this.dense.w);
    m.set("dense.b", this.dense.b);
    return m;
  }
  /** Trains with Adam (warm-up, cosine decay) for `steps` or `minutes`, whichever comes first. */
  train(data, { steps = Infinity, minutes = Infinity, batchSize = 128, lr = 3e-3, seed = 0 } = {}) {
    if (!Number.isFinite(steps) && !Number.isFinite(minutes)) {
      throw new Error("Classifier.train: give steps or minutes");
    }
    const opt = new import_optim.FlatAdam([...this.variables().values()], { learningRate: lr });
    const t0 = performance.now();
    let step = 0, epoch = 0, loss = NaN;
    let batches = data.batchIndices(batchSize, { seed, dropLast: true });
    const elapsed = () => (performance.now() - t0) / 6e4;
    while (step < steps && elapsed() < minutes) {
      let next = batches.next();
      if (next.done) {
        batches = data.batchIndices(batchSize, { seed: seed + ++epoch, dropLast: true });
        next = batches.next();
      }
      opt.learningRate = (0, import_train.learningRate)(step, Math.max(step / steps, elapsed() / minutes), {
        lr,
        warmupSteps: 20
      });
      const { xBhwc, labels } = data.batch(next.value);
      const l = opt.minimize(
        () => import_backend.tf.losses.softmaxCrossEntropy(
          import_backend.tf.oneHot(labels, this.config.classes),
          this.logits(xBhwc)
        )
      );
      loss = l.dataSync()[0];
      import_backend.tf.dispose([l, xBhwc, labels]);
      step++;
    }
    opt.dispose();
    return { steps: step, seconds: (performance.now() - t0) / 1e3, loss };
  }
  dispose() {
    this.convs.forEach((c) => c.dispose());
    import_backend.tf.dispose([this.dense.w, this.dense.b]);
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  Classifier
});
//# sourceMappingURL=classifier.js.map
