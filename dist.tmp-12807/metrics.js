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

// lib/metrics.ts
var metrics_exports = {};
__export(metrics_exports, {
  evaluate: () => evaluate,
  psnrFromMse: () => psnrFromMse
});
module.exports = __toCommonJS(metrics_exports);
var import_backend = require("./backend.js");
function psnrFromMse(mse) {
  return 10 * Math.log10(1 / mse);
}
function evaluate(model, data, { batchSize = 500, limit = Infinity } = {}) {
  const v = model.config.vocabSize;
  const scales = model.config.patchNums?.length ?? 1;
  let sqErr = import_backend.tf.scalar(0);
  let counts = import_backend.tf.zeros([scales, v]);
  let pixels = 0;
  let images = 0;
  const n = Math.min(limit, data.length);
  for (let start = 0; start < n; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const { xBhwc, labels } = data.batch(idx, "01");
    const [nextErr, nextCounts] = import_backend.tf.tidy(() => {
      const idxBl = model.imgToIdxBl(xBhwc);
      const xHat = model.idxBlToImg(idxBl, { lastOnly: true })[0].clipByValue(0, 1);
      const perScale = import_backend.tf.stack(
        idxBl.map((t) => import_backend.tf.bincount(t.flatten(), import_backend.tf.tensor1d([], "float32"), v))
      );
      return [
        sqErr.add(import_backend.tf.squaredDifference(xHat, xBhwc).sum()),
        counts.add(perScale)
      ];
    });
    import_backend.tf.dispose([sqErr, counts, xBhwc, labels]);
    sqErr = nextErr;
    counts = nextCounts;
    pixels += xBhwc.size;
    images += idx.length;
  }
  const [mse, perplexity, usage, usagePerScale] = import_backend.tf.tidy(() => {
    const all = counts.sum(0);
    const p = all.div(all.sum());
    return [
      sqErr.div(pixels).dataSync()[0],
      p.mul(p.add(1e-10).log()).sum().neg().exp().dataSync()[0],
      all.greater(0).toFloat().mean().dataSync()[0],
      Array.from(counts.greater(0).toFloat().mean(1).dataSync())
    ];
  });
  import_backend.tf.dispose([sqErr, counts]);
  return { mse, psnr: psnrFromMse(mse), perplexity, usage, usagePerScale, images };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  evaluate,
  psnrFromMse
});
//# sourceMappingURL=metrics.js.map
