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

// lib/phi.ts
var phi_exports = {};
__export(phi_exports, {
  Phi: () => Phi,
  phiCount: () => phiCount,
  phiIndexForScale: () => phiIndexForScale
});
module.exports = __toCommonJS(phi_exports);
var import_backend = require("./backend.js");
var Phi = class {
  constructor(channels, ratio, seed = 0) {
    this.channels = channels;
    this.ratio = ratio;
    const bound = 1 / Math.sqrt(channels * 9);
    this.kernel = import_backend.tf.tidy(
      () => import_backend.tf.variable(import_backend.tf.randomUniform([3, 3, channels, channels], -bound, bound, "float32", seed))
    );
    this.bias = import_backend.tf.tidy(
      () => import_backend.tf.variable(import_backend.tf.randomUniform([channels], -bound, bound, "float32", seed + 1))
    );
  }
  channels;
  ratio;
  kernel;
  bias;
  /** `hBhwc` (`[B, H, W, C]`) refined. */
  apply(hBhwc) {
    return import_backend.tf.tidy(() => {
      const conv = import_backend.tf.conv2d(hBhwc, this.kernel, 1, "same").add(this.bias);
      return hBhwc.mul(1 - this.ratio).add(conv.mul(this.ratio));
    });
  }
  setWeights({ kernel, bias }) {
    const c = this.channels;
    if (kernel.shape.join() !== [3, 3, c, c].join()) {
      throw new Error(`phi kernel must be [3, 3, ${c}, ${c}] (HWIO), got [${kernel.shape}]`);
    }
    if (bias.shape.join() !== `${c}`) {
      throw new Error(`phi bias must be [${c}], got [${bias.shape}]`);
    }
    this.kernel.assign(kernel);
    this.bias.assign(bias);
  }
  dispose() {
    import_backend.tf.dispose([this.kernel, this.bias]);
  }
};
function phiCount(shareQuantResi, scales) {
  return shareQuantResi === 0 ? scales : shareQuantResi;
}
function phiIndexForScale(si, scales, count) {
  if (count === 1) return 0;
  const at = scales > 1 ? si / (scales - 1) : 0;
  const start = count === 4 ? 1 / 3 / count : 1 / 2 / count;
  const stop = 1 - start;
  const step = (stop - start) / (count - 1);
  let best = 0;
  let bestD = Infinity;
  for (let k = 0; k < count; k++) {
    const tick = k === count - 1 ? stop : start + k * step;
    const d = Math.abs(tick - at);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  Phi,
  phiCount,
  phiIndexForScale
});
//# sourceMappingURL=phi.js.map
