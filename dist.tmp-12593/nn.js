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

// lib/nn.ts
var nn_exports = {};
__export(nn_exports, {
  Conv2D: () => Conv2D,
  ResBlock: () => ResBlock,
  UpConv2D: () => UpConv2D
});
module.exports = __toCommonJS(nn_exports);
var import_backend = require("./backend.js");
var import_grad = require("./grad.js");
function heUniform(shape, fanIn, seed) {
  const bound = Math.sqrt(6 / fanIn);
  return import_backend.tf.randomUniform(shape, -bound, bound, "float32", seed);
}
var KernelAndBias = class {
  variables(prefix) {
    return /* @__PURE__ */ new Map([
      [`${prefix}.kernel`, this.kernel],
      [`${prefix}.bias`, this.bias]
    ]);
  }
  dispose() {
    import_backend.tf.dispose([this.kernel, this.bias]);
  }
};
var Conv2D = class extends KernelAndBias {
  constructor(inChannels, outChannels, size, stride = 1, padding = "same", seed = 0) {
    super();
    this.outChannels = outChannels;
    this.size = size;
    this.stride = stride;
    this.padding = padding;
    this.kernel = import_backend.tf.tidy(
      () => import_backend.tf.variable(heUniform([size, size, inChannels, outChannels], size * size * inChannels, seed))
    );
    this.bias = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([outChannels])));
  }
  outChannels;
  size;
  stride;
  padding;
  kernel;
  // HWIO
  bias;
  apply(xBhwc) {
    return import_backend.tf.conv2d(xBhwc, this.kernel, this.stride, this.padding).add(this.bias);
  }
};
var UpConv2D = class extends KernelAndBias {
  constructor(inChannels, outChannels, seed = 0) {
    super();
    this.outChannels = outChannels;
    this.kernel = import_backend.tf.tidy(
      () => import_backend.tf.variable(heUniform([4, 4, outChannels, inChannels], 4 * inChannels, seed))
    );
    this.bias = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([outChannels])));
  }
  outChannels;
  kernel;
  // [h, w, out, in], as conv2dTranspose takes it
  bias;
  apply(xBhwc) {
    const [b, h, w] = xBhwc.shape;
    return import_backend.tf.conv2dTranspose(xBhwc, this.kernel, [b, 2 * h, 2 * w, this.outChannels], 2, "same").add(this.bias);
  }
};
var ResBlock = class {
  conv1;
  conv2;
  constructor(channels, hidden, seed = 0) {
    this.conv1 = new Conv2D(channels, hidden, 3, 1, "same", seed);
    this.conv2 = new Conv2D(hidden, channels, 1, 1, "same", seed + 1);
  }
  apply(xBhwc) {
    return xBhwc.add(this.conv2.apply((0, import_grad.relu)(this.conv1.apply((0, import_grad.relu)(xBhwc)))));
  }
  variables(prefix) {
    return new Map([
      ...this.conv1.variables(`${prefix}.conv1`),
      ...this.conv2.variables(`${prefix}.conv2`)
    ]);
  }
  dispose() {
    this.conv1.dispose();
    this.conv2.dispose();
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  Conv2D,
  ResBlock,
  UpConv2D
});
//# sourceMappingURL=nn.js.map
