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

// lib/validate.ts
var validate_exports = {};
__export(validate_exports, {
  checkFinite: () => checkFinite,
  checkIndexRange: () => checkIndexRange,
  checkPositiveInt: () => checkPositiveInt,
  checkTensor: () => checkTensor
});
module.exports = __toCommonJS(validate_exports);
var import_backend = require("./backend.js");
function checkTensor(x, what, rank, layout, dtype = "float32") {
  if (!(x instanceof import_backend.tf.Tensor)) {
    throw new TypeError(`${what} must be a tf.Tensor ${layout}, got ${describe(x)}`);
  }
  if (x.isDisposed) throw new Error(`${what} has been disposed`);
  if (x.rank !== rank) {
    throw new Error(`${what} must have rank ${rank} ${layout}, got shape [${x.shape}]`);
  }
  if (x.dtype !== dtype) {
    throw new TypeError(`${what} must be ${dtype} ${layout}, got ${x.dtype}`);
  }
}
function checkFinite(x, what) {
  const bad = import_backend.tf.tidy(() => import_backend.tf.logicalNot(import_backend.tf.isFinite(x)).any().dataSync()[0]);
  if (bad) throw new Error(`${what} contains NaN or Infinity`);
}
function checkIndexRange(idx, what, size) {
  if (idx.size === 0) return;
  const [lo, hi] = import_backend.tf.tidy(() => [idx.min().dataSync()[0], idx.max().dataSync()[0]]);
  if (lo < 0 || hi >= size) {
    throw new RangeError(`${what} holds indices in [${lo}, ${hi}], outside [0, ${size - 1}]`);
  }
}
function checkPositiveInt(n, what) {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new Error(`${what} must be a positive integer, got ${describe(n)}`);
  }
}
function describe(x) {
  if (x instanceof import_backend.tf.Tensor) return `a ${x.dtype} tensor of shape [${x.shape}]`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? "null" : typeof x === "object" ? "an object" : `${typeof x} ${String(x)}`;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  checkFinite,
  checkIndexRange,
  checkPositiveInt,
  checkTensor
});
//# sourceMappingURL=validate.js.map
