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

// lib/nearest.ts
var nearest_exports = {};
__export(nearest_exports, {
  DEFAULT_CHUNK_ELEMENTS: () => DEFAULT_CHUNK_ELEMENTS,
  l2Normalize: () => l2Normalize,
  nearestCode: () => nearestCode,
  prepareCodebook: () => prepareCodebook
});
module.exports = __toCommonJS(nearest_exports);
var import_backend = require("./backend.js");
var DEFAULT_CHUNK_ELEMENTS = 1 << 22;
function l2Normalize(x) {
  return import_backend.tf.tidy(() => x.div(x.square().sum(1, true).sqrt().maximum(1e-12)));
}
function prepareCodebook(eVc, distance = "l2", maxChunkElements = DEFAULT_CHUNK_ELEMENTS) {
  const [v, ce] = eVc.shape;
  const rows = Math.max(1, Math.floor(maxChunkElements / v));
  const eSide = distance === "cosine" ? l2Normalize(eVc) : eVc.mul(2);
  const eSq = distance === "l2" ? eVc.square().sum(1).reshape([1, v]) : void 0;
  const pick = (z) => {
    if (distance === "cosine") {
      return import_backend.tf.argMax(import_backend.tf.matMul(l2Normalize(z), eSide, false, true), 1);
    }
    const d = z.square().sum(1, true).add(eSq).sub(import_backend.tf.matMul(z, eSide, false, true));
    return import_backend.tf.argMin(d, 1);
  };
  return {
    search(zNc) {
      const [n, c] = zNc.shape;
      if (c !== ce) {
        throw new Error(`nearestCode: z has ${c} channels but the codebook has ${ce}`);
      }
      if (n <= rows) return pick(zNc);
      const parts = [];
      for (let start = 0; start < n; start += rows) {
        parts.push(pick(zNc.slice([start, 0], [Math.min(rows, n - start), c])));
      }
      return import_backend.tf.concat(parts);
    }
  };
}
function nearestCode(zNc, eVc, distance = "l2", maxChunkElements = DEFAULT_CHUNK_ELEMENTS) {
  return import_backend.tf.tidy(() => prepareCodebook(eVc, distance, maxChunkElements).search(zNc));
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  DEFAULT_CHUNK_ELEMENTS,
  l2Normalize,
  nearestCode,
  prepareCodebook
});
//# sourceMappingURL=nearest.js.map
