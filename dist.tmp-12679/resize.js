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

// lib/resize.ts
var resize_exports = {};
__export(resize_exports, {
  RESIZE_MODES: () => RESIZE_MODES,
  cachedResizeMatrices: () => cachedResizeMatrices,
  interpolationMatrix: () => interpolationMatrix,
  resize: () => resize
});
module.exports = __toCommonJS(resize_exports);
var import_backend = require("./backend.js");
var RESIZE_MODES = ["bicubic", "area", "bilinear", "nearest"];
var A = -0.75;
function cubicWeights(t) {
  const near = (x) => ((A + 2) * x - (A + 3)) * x * x + 1;
  const far = (x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}
function interpolationMatrix(inSize, outSize, mode) {
  if (!Number.isInteger(inSize) || !Number.isInteger(outSize) || inSize < 1 || outSize < 1) {
    throw new Error(`resize: sizes must be positive integers, got ${inSize} -> ${outSize}`);
  }
  const m = Array.from({ length: outSize }, () => new Array(inSize).fill(0));
  const scale = inSize / outSize;
  const clamp = (i) => Math.min(Math.max(i, 0), inSize - 1);
  for (let i = 0; i < outSize; i++) {
    const row = m[i];
    switch (mode) {
      case "bicubic": {
        const src = scale * (i + 0.5) - 0.5;
        const x0 = Math.floor(src);
        const w = cubicWeights(src - x0);
        for (let k = 0; k < 4; k++) row[clamp(x0 - 1 + k)] += w[k];
        break;
      }
      case "bilinear": {
        const src = Math.max(scale * (i + 0.5) - 0.5, 0);
        const x0 = Math.min(Math.floor(src), inSize - 1);
        const x1 = Math.min(x0 + 1, inSize - 1);
        const t = src - x0;
        row[x0] += 1 - t;
        row[x1] += t;
        break;
      }
      case "area": {
        const start = Math.floor(i * inSize / outSize);
        const end = Math.ceil((i + 1) * inSize / outSize);
        for (let j = start; j < end; j++) row[j] = 1 / (end - start);
        break;
      }
      case "nearest":
        row[Math.min(Math.floor(i * scale), inSize - 1)] = 1;
        break;
      default:
        throw new Error(`resize: mode must be one of ${RESIZE_MODES.join(", ")}, got ${mode}`);
    }
  }
  return m;
}
var cache = /* @__PURE__ */ new Map();
function cached(key, make) {
  let m = cache.get(key);
  if (!m) {
    const rows = make();
    m = import_backend.tf.keep(import_backend.tf.tensor3d([rows], [1, rows.length, rows[0].length]));
    cache.set(key, m);
  }
  return m;
}
function kronecker(a, b) {
  return a.flatMap((ra) => b.map((rb) => ra.flatMap((va) => rb.map((vb) => va * vb))));
}
var KRONECKER_MAX = 1 << 20;
function resize(xBhwc, size, mode) {
  if (!(xBhwc instanceof import_backend.tf.Tensor) || xBhwc.rank !== 4) {
    throw new Error(
      `resize: x must be a rank-4 NHWC tensor [B, H, W, C], got ${xBhwc instanceof import_backend.tf.Tensor ? `shape [${xBhwc.shape}]` : typeof xBhwc}`
    );
  }
  if (xBhwc.dtype !== "float32") {
    throw new Error(`resize: x must be float32, got ${xBhwc.dtype}`);
  }
  if (!RESIZE_MODES.includes(mode)) {
    throw new Error(`resize: mode must be one of ${RESIZE_MODES.join(", ")}, got ${mode}`);
  }
  const [b, h, w, c] = xBhwc.shape;
  const [oh, ow] = size;
  if (oh === h && ow === w) return xBhwc.clone();
  const mh = () => interpolationMatrix(h, oh, mode);
  const mw = () => interpolationMatrix(w, ow, mode);
  return import_backend.tf.tidy(() => {
    if (h * w * oh * ow <= KRONECKER_MAX) {
      const k = cached(`${mode}:${h}x${w}:${oh}x${ow}`, () => kronecker(mh(), mw()));
      return import_backend.tf.matMul(k, xBhwc.reshape([b, h * w, c])).reshape([b, oh, ow, c]);
    }
    let y = h === oh ? xBhwc : import_backend.tf.matMul(
      cached(`${mode}:${h}:${oh}`, mh),
      xBhwc.reshape([b, h, w * c])
    ).reshape([b, oh, w, c]);
    if (w !== ow) {
      y = import_backend.tf.matMul(cached(`${mode}:${w}:${ow}`, mw), y.reshape([b * oh, w, c])).reshape([b, oh, ow, c]);
    }
    return y;
  });
}
function cachedResizeMatrices() {
  return cache.size;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  RESIZE_MODES,
  cachedResizeMatrices,
  interpolationMatrix,
  resize
});
//# sourceMappingURL=resize.js.map
