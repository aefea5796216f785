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

// lib/train.ts
var train_exports = {};
__export(train_exports, {
  learningRate: () => learningRate,
  train: () => train
});
module.exports = __toCommonJS(train_exports);
var import_backend = require("./backend.js");
var import_metrics = require("./metrics.js");
var import_optim = require("./optim.js");
function learningRate(step, progress, { lr = 7e-3, warmupSteps = 50, finalLrRatio = 0.05 }) {
  const warm = Math.min(1, (step + 1) / Math.max(1, warmupSteps));
  const cos = 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  return lr * warm * (finalLrRatio + (1 - finalLrRatio) * cos);
}
async function train(model, trainSet, testSet, options = {}) {
  const {
    steps = Infinity,
    minutes = Infinity,
    batchSize = 128,
    restartEvery = 200,
    earlyRestarts = [1, 10, 25, 50, 100],
    evalEvery = 0,
    evalImages = 2e3,
    seed = 0,
    onMetrics
  } = options;
  if (!Number.isFinite(steps) && !Number.isFinite(minutes)) {
    throw new Error("train: give steps or minutes (or both)");
  }
  const log = options.log === void 0 ? console.log : options.log;
  const budgetMs = minutes * 6e4;
  const optimizer = new import_optim.FlatAdam(model.trainableVariables, { learningRate: options.lr ?? 7e-3 });
  const history = [];
  let trainMs = 0;
  let step = 0;
  let epoch = 0;
  let batches = trainSet.batchIndices(batchSize, { seed, dropLast: true });
  let sums = [0, 0, 0];
  let sinceSteps = 0;
  let sinceMs = 0;
  let restarted = 0;
  let lr = 0;
  const progress = () => Math.max(step / steps, trainMs / budgetMs);
  const record = async (final2) => {
    const previous = history[history.length - 1];
    if (final2 && sinceSteps === 0 && previous?.step === step) {
      history.pop();
      previous.test = (0, import_metrics.evaluate)(model, testSet);
      history.push(previous);
      log?.(
        `final test PSNR ${previous.test.psnr.toFixed(2)} dB on ${previous.test.images} images`
      );
      await onMetrics?.(previous);
      return;
    }
    const rec = {
      step,
      seconds: trainMs / 1e3,
      lr,
      loss: sums[0] / Math.max(1, sinceSteps),
      reconstruction: sums[1] / Math.max(1, sinceSteps),
      vq: sums[2] / Math.max(1, sinceSteps),
      imagesPerSecond: sinceSteps * batchSize / Math.max(1e-9, sinceMs / 1e3),
      restarted,
      test: (0, import_metrics.evaluate)(model, testSet, { limit: final2 ? Infinity : evalImages })
    };
    history.push(rec);
    sums = [0, 0, 0];
    sinceSteps = 0;
    sinceMs = 0;
    restarted = 0;
    log?.(
      `step ${String(rec.step).padStart(5)}  ${rec.seconds.toFixed(0).padStart(4)} s  loss ${rec.loss.toFixed(4)} (rec ${rec.reconstruction.toFixed(4)}, vq ${rec.vq.toFixed(4)})  test PSNR ${rec.test.psnr.toFixed(2)} dB  perplexity ${rec.test.perplexity.toFixed(0)}  usage ${(100 * rec.test.usage).toFixed(1)} %  ${rec.imagesPerSecond.toFixed(0)} img/s`
    );
    await onMetrics?.(rec);
  };
  while (step < steps && trainMs < budgetMs) {
    let next = batches.next();
    if (next.done) {
      epoch++;
      batches = trainSet.batchIndices(batchSize, { seed: seed + epoch, dropLast: true });
      next = batches.next();
    }
    const t0 = performance.now();
    const { xBhwc, labels } = trainSet.batch(next.value, "01");
    lr = learningRate(step, progress(), options);
    optimizer.learningRate = lr;
    let parts;
    optimizer.minimize(() => {
      const out = model.trainForward(xBhwc);
      parts = import_backend.tf.keep(import_backend.tf.stack([out.loss, out.reconstruction, out.vq]));
      return out.loss;
    }).dispose();
    const values = parts.dataSync();
    parts.dispose();
    import_backend.tf.dispose([xBhwc, labels]);
    step++;
    if (restartEvery > 0 && (earlyRestarts.includes(step) || step % restartEvery === 0)) {
      restarted += model.restartDeadCodes();
    }
    const ms = performance.now() - t0;
    trainMs += ms;
    sinceMs += ms;
    sinceSteps++;
    for (let i = 0; i < 3; i++) sums[i] += values[i];
    if (!Number.isFinite(values[0])) {
      throw new Error(
        `train: the loss became ${values[0]} at step ${step} (lr ${lr.toExponential(2)})`
      );
    }
    if (evalEvery > 0 && step % evalEvery === 0 && step < steps) await record(false);
  }
  await record(true);
  optimizer.dispose();
  const final = history[history.length - 1];
  return {
    steps: step,
    seconds: trainMs / 1e3,
    imagesPerSecond: step * batchSize / (trainMs / 1e3),
    history,
    test: final.test,
    trainLoss: final.loss
  };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  learningRate,
  train
});
//# sourceMappingURL=train.js.map
