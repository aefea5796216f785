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

// lib/codebook_fit.ts
var codebook_fit_exports = {};
__export(codebook_fit_exports, {
  fitCodebook: () => fitCodebook
});
module.exports = __toCommonJS(codebook_fit_exports);
var import_backend = require("./backend.js");
var import_codebook_health = require("./codebook_health.js");
var import_codebook_health2 = require("./codebook_health.js");
var import_validate = require("./validate.js");
function fitCodebook(quantizer, zNc, { steps, lr = 0.05, restartEvery = 0, snapshotEvery = 0 }) {
  (0, import_validate.checkTensor)(zNc, "z", 2, `[N, C=${quantizer.dim}]`);
  if (zNc.shape[1] !== quantizer.dim) {
    throw new Error(`z must be [N, C=${quantizer.dim}], got [${zNc.shape}]`);
  }
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be \u2265 1, got ${steps}`);
  const z4 = zNc.reshape([zNc.shape[0], 1, 1, quantizer.dim]);
  const optimizer = quantizer.ema ? void 0 : import_backend.tf.train.adam(lr);
  const history = [];
  const snapshots = [];
  const snapshot = (step) => snapshots.push({ step, codebook: quantizer.codebook.arraySync() });
  snapshot(0);
  for (let step = 1; step <= steps; step++) {
    let lossValue;
    if (optimizer) {
      const loss = optimizer.minimize(
        () => quantizer.forward(z4, { training: true }).loss,
        true,
        [quantizer.codebook]
      );
      lossValue = loss.dataSync()[0];
      loss.dispose();
    } else {
      const out = quantizer.forward(z4, { training: true });
      lossValue = out.loss.dataSync()[0];
      import_backend.tf.dispose([out.quantized, out.loss, out.indices]);
    }
    const restarted = restartEvery > 0 && step % restartEvery === 0 ? quantizer.restartDeadCodes() : 0;
    const [usage, perplexity] = import_backend.tf.tidy(() => {
      const counts = (0, import_codebook_health2.codeCounts)(quantizer.nearest(zNc), quantizer.vocabSize);
      return [(0, import_codebook_health.usageOfCounts)(counts).dataSync()[0], (0, import_codebook_health2.perplexityOfCounts)(counts).dataSync()[0]];
    });
    history.push({ step, loss: lossValue, usage, perplexity, restarted });
    if (snapshotEvery > 0 && step % snapshotEvery === 0 || step === steps) {
      if (snapshots[snapshots.length - 1].step !== step) snapshot(step);
    }
  }
  optimizer?.dispose();
  z4.dispose();
  return { history, snapshots };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  fitCodebook
});
//# sourceMappingURL=codebook_fit.js.map
