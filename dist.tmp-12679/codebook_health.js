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

// lib/codebook_health.ts
var codebook_health_exports = {};
__export(codebook_health_exports, {
  codeCounts: () => codeCounts,
  perplexity: () => perplexity,
  perplexityOfCounts: () => perplexityOfCounts,
  usage: () => usage,
  usageOfCounts: () => usageOfCounts
});
module.exports = __toCommonJS(codebook_health_exports);
var import_backend = require("./backend.js");
function codeCounts(indices, vocabSize) {
  return import_backend.tf.tidy(
    () => import_backend.tf.bincount(indices.flatten().toInt(), import_backend.tf.tensor1d([], "float32"), vocabSize)
  );
}
function perplexityOfCounts(countsV) {
  return import_backend.tf.tidy(() => {
    const p = countsV.div(countsV.sum().maximum(1));
    return p.mul(p.add(1e-10).log()).sum().neg().exp();
  });
}
function usageOfCounts(countsV, minCount = 1) {
  return import_backend.tf.tidy(() => countsV.greaterEqual(minCount).toFloat().mean());
}
function perplexity(indices, vocabSize) {
  return import_backend.tf.tidy(() => perplexityOfCounts(codeCounts(indices, vocabSize)).dataSync()[0]);
}
function usage(indices, vocabSize) {
  return import_backend.tf.tidy(() => usageOfCounts(codeCounts(indices, vocabSize)).dataSync()[0]);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  codeCounts,
  perplexity,
  perplexityOfCounts,
  usage,
  usageOfCounts
});
//# sourceMappingURL=codebook_health.js.map
