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

// lib/vqvae.ts
var vqvae_exports = {};
__export(vqvae_exports, {
  DEFAULT_CONFIG: () => DEFAULT_CONFIG,
  SimpleVQVAE: () => SimpleVQVAE,
  VQModel: () => VQModel,
  VQVAE: () => VQVAE,
  createModel: () => createModel
});
module.exports = __toCommonJS(vqvae_exports);
var import_backend = require("./backend.js");
var import_grad = require("./grad.js");
var import_multiscale = require("./multiscale.js");
var import_nn = require("./nn.js");
var import_quantizer = require("./quantizer.js");
var import_validate = require("./validate.js");
var DEFAULT_CONFIG = {
  model: "vqvae",
  imageSize: 28,
  inChannels: 1,
  channels: 64,
  downsample: 2,
  resBlocks: 2,
  latentChannels: 32,
  vocabSize: 512,
  quantizer: "multiscale",
  patchNums: [1, 2, 3, 4, 5, 7],
  beta: 0.25,
  quantResi: 0.5,
  shareQuantResi: 4,
  usingZnorm: false,
  quantConv: false,
  output: "sigmoid",
  seed: 0
};
var VQModel = class {
  config;
  quantizer;
  constructor(config, defaults) {
    const c = { ...defaults, ...config };
    const latent = c.imageSize / 2 ** c.downsample;
    if (!Number.isInteger(latent) || latent < 1) {
      throw new Error(
        `imageSize ${c.imageSize} is not divisible by 2^downsample = ${2 ** c.downsample}`
      );
    }
    if (c.quantizer === "multiscale") {
      c.patchNums = c.patchNums ?? [latent];
      if (c.patchNums[c.patchNums.length - 1] !== latent) {
        throw new Error(
          `the last of patchNums [${c.patchNums}] must equal the latent size ${latent}`
        );
      }
      this.quantizer = new import_multiscale.MultiScaleQuantizer({
        vocabSize: c.vocabSize,
        cvae: c.latentChannels,
        patchNums: c.patchNums,
        beta: c.beta,
        quantResi: c.quantResi,
        shareQuantResi: c.shareQuantResi,
        usingZnorm: c.usingZnorm,
        seed: c.seed + 101,
        checkInputs: false
        // the encoder's output, not user input
      });
    } else {
      c.patchNums = void 0;
      this.quantizer = new import_quantizer.VectorQuantizer({
        vocabSize: c.vocabSize,
        dim: c.latentChannels,
        beta: c.beta,
        seed: c.seed + 101,
        checkNumerics: false
      });
    }
    this.config = c;
  }
  /** Latent side h = w. */
  get latentSize() {
    return this.config.imageSize / 2 ** this.config.downsample;
  }
  /** The decoder's output activation. */
  activate(logits) {
    return this.config.output === "sigmoid" ? import_backend.tf.sigmoid(logits) : logits;
  }
  checkImages(xBhwc) {
    const { imageSize: s, inChannels: c } = this.config;
    (0, import_validate.checkTensor)(xBhwc, "x", 4, `[B, ${s}, ${s}, ${c}]`);
    if (xBhwc.shape[1] !== s || xBhwc.shape[2] !== s || xBhwc.shape[3] !== c) {
      throw new Error(`x must be [B, ${s}, ${s}, ${c}], got [${xBhwc.shape}]`);
    }
  }
  /** Quantizes features (training updates the quantizer's statistics). */
  quantize(fBhwc, training = false) {
    if (this.quantizer instanceof import_multiscale.MultiScaleQuantizer) {
      const { fHat, loss: loss2 } = this.quantizer.forward(fBhwc, { training });
      return { fHat, loss: loss2 };
    }
    const { quantized, loss, indices } = this.quantizer.forward(fBhwc, { training });
    indices.dispose();
    return { fHat: quantized, loss };
  }
  /** One training forward: reconstruction and losses. Call inside `optimizer.minimize`. */
  trainForward(xBhwc) {
    this.checkImages(xBhwc);
    const { fHat, loss: vq } = this.quantize(this.encode(xBhwc), true);
    const xHat = this.decode(fHat);
    const reconstruction = import_backend.tf.losses.meanSquaredError(xBhwc, xHat);
    return { xHat, loss: reconstruction.add(vq), reconstruction, vq };
  }
  /** Encode, quantize, decode (no training statistics): `[B, H, W, C]`. */
  reconstruct(xBhwc) {
    this.checkImages(xBhwc);
    return import_backend.tf.tidy(() => {
      const { fHat } = this.quantize(this.encode(xBhwc), false);
      return this.decode(fHat);
    });
  }
  /** Token maps of images: `int32 [B, pn²]` per scale (one map for the single-scale quantizer). */
  imgToIdxBl(xBhwc) {
    this.checkImages(xBhwc);
    return import_backend.tf.tidy(() => {
      const f = this.encode(xBhwc);
      if (this.quantizer instanceof import_multiscale.MultiScaleQuantizer) return this.quantizer.fToIdxBl(f);
      const n = this.latentSize;
      const idx = this.quantizer.nearest(f.reshape([-1, this.config.latentChannels]));
      return [idx.reshape([xBhwc.shape[0], n * n])];
    });
  }
  /** VAR's teacher-forcing input of token maps (multi-scale quantizer only). */
  idxBlToVarInput(idxBl) {
    if (!(this.quantizer instanceof import_multiscale.MultiScaleQuantizer)) {
      throw new Error('idxBlToVarInput needs the multi-scale quantizer (quantizer: "multiscale")');
    }
    return this.quantizer.idxBlToVarInput(idxBl);
  }
  /** Images from token maps: after every scale, or the last only. */
  idxBlToImg(idxBl, { lastOnly = false } = {}) {
    return import_backend.tf.tidy(() => {
      if (this.quantizer instanceof import_multiscale.MultiScaleQuantizer) {
        return this.quantizer.idxBlToFhat(idxBl, { lastOnly }).map((f2) => this.fhatToImg(f2));
      }
      const n = this.latentSize;
      const b = idxBl[0].shape[0];
      const f = this.quantizer.lookup(idxBl[0]).reshape([b, n, n, this.config.latentChannels]);
      return [this.fhatToImg(f)];
    });
  }
  /** Decodes quantized features f̂ into images. */
  fhatToImg(fHat) {
    return this.decode(fHat);
  }
  /** Every variable of the model by a stable name (for checkpoints). */
  variables() {
    const q = this.quantizer;
    const vars = new Map(this.networkVariables());
    vars.set("quantizer.codebook", q.codebook);
    if (q instanceof import_multiscale.MultiScaleQuantizer) {
      q.phis.forEach((p, k) => {
        vars.set(`quantizer.phi.${k}.kernel`, p.kernel);
        vars.set(`quantizer.phi.${k}.bias`, p.bias);
      });
    }
    return vars;
  }
  /** The variables an optimizer trains (the codebook too, unless it is updated by EMA). */
  get trainableVariables() {
    return [...this.variables().values()].filter((v) => v.trainable);
  }
  /** Dead-code restart in the quantizer; returns how many codes moved. */
  restartDeadCodes(minCount = 1) {
    return this.quantizer.restartDeadCodes({ minCount });
  }
  dispose() {
    this.disposeNetworks();
    this.quantizer.dispose();
  }
};
var SimpleVQVAE = class extends VQModel {
  enc1;
  enc2;
  dec1;
  dec2;
  constructor(config = {}) {
    super({ ...config, model: "simple", downsample: 2 }, {
      ...DEFAULT_CONFIG,
      model: "simple",
      imageSize: 64,
      inChannels: 3,
      channels: 128,
      latentChannels: 64,
      resBlocks: 0,
      quantizer: "multiscale",
      patchNums: [1, 2, 4, 8, 16],
      quantConv: false
    });
    const { inChannels, channels, latentChannels, seed } = this.config;
    this.enc1 = new import_nn.Conv2D(inChannels, channels, 4, 2, "same", seed + 1);
    this.enc2 = new import_nn.Conv2D(channels, latentChannels, 4, 2, "same", seed + 2);
    this.dec1 = new import_nn.UpConv2D(latentChannels, channels, seed + 3);
    this.dec2 = new import_nn.UpConv2D(channels, inChannels, seed + 4);
  }
  encode(xBhwc) {
    return import_backend.tf.tidy(() => this.enc2.apply((0, import_grad.relu)(this.enc1.apply(xBhwc))));
  }
  decode(fBhwc) {
    return import_backend.tf.tidy(() => this.activate(this.dec2.apply((0, import_grad.relu)(this.dec1.apply(fBhwc)))));
  }
  networkVariables() {
    return new Map([
      ...this.enc1.variables("encoder.conv1"),
      ...this.enc2.variables("encoder.conv2"),
      ...this.dec1.variables("decoder.upconv1"),
      ...this.dec2.variables("decoder.upconv2")
    ]);
  }
  disposeNetworks() {
    [this.enc1, this.enc2, this.dec1, this.dec2].forEach((m) => m.dispose());
  }
};
var VQVAE = class extends VQModel {
  down;
  stem;
  encBlocks;
  toLatent;
  quantConv;
  postQuantConv;
  fromLatent;
  decBlocks;
  up;
  constructor(config = {}) {
    super({ ...config, model: "vqvae" }, DEFAULT_CONFIG);
    const { inChannels: ci, channels: ch, latentChannels: cv, downsample, resBlocks, seed } = this.config;
    if (downsample < 1) throw new Error(`downsample must be >= 1, got ${downsample}`);
    const half = Math.max(1, ch >> 1);
    const widths = [
      ci,
      ...Array.from({ length: downsample }, (_, i) => i === 0 && downsample > 1 ? half : ch)
    ];
    let s = seed * 1e3;
    this.down = widths.slice(1).map((w, i) => new import_nn.Conv2D(widths[i], w, 4, 2, "same", ++s));
    this.stem = new import_nn.Conv2D(ch, ch, 3, 1, "same", ++s);
    this.encBlocks = Array.from({ length: resBlocks }, () => new import_nn.ResBlock(ch, half, s += 2));
    this.toLatent = new import_nn.Conv2D(ch, cv, 1, 1, "same", ++s);
    if (this.config.quantConv) {
      this.quantConv = new import_nn.Conv2D(cv, cv, 3, 1, "same", ++s);
      this.postQuantConv = new import_nn.Conv2D(cv, cv, 3, 1, "same", ++s);
    }
    this.fromLatent = new import_nn.Conv2D(cv, ch, 3, 1, "same", ++s);
    this.decBlocks = Array.from({ length: resBlocks }, () => new import_nn.ResBlock(ch, half, s += 2));
    const back = [...widths].reverse();
    this.up = back.slice(1).map((w, i) => new import_nn.UpConv2D(back[i], w, ++s));
  }
  encode(xBhwc) {
    return import_backend.tf.tidy(() => {
      let h = xBhwc;
      for (const d of this.down) h = (0, import_grad.relu)(d.apply(h));
      h = this.stem.apply(h);
      for (const b of this.encBlocks) h = b.apply(h);
      const f = this.toLatent.apply((0, import_grad.relu)(h));
      return this.quantConv ? this.quantConv.apply(f) : f;
    });
  }
  decode(fBhwc) {
    return import_backend.tf.tidy(() => {
      let h = this.fromLatent.apply(this.postQuantConv ? this.postQuantConv.apply(fBhwc) : fBhwc);
      for (const b of this.decBlocks) h = b.apply(h);
      for (const u of this.up) h = u.apply((0, import_grad.relu)(h));
      return this.activate(h);
    });
  }
  networkVariables() {
    const vars = /* @__PURE__ */ new Map();
    const add = (m) => m.forEach((v, k) => vars.set(k, v));
    this.down.forEach((m, i) => add(m.variables(`encoder.down.${i}`)));
    add(this.stem.variables("encoder.conv"));
    this.encBlocks.forEach((m, i) => add(m.variables(`encoder.res.${i}`)));
    add(this.toLatent.variables("encoder.out"));
    if (this.quantConv) add(this.quantConv.variables("quantConv"));
    if (this.postQuantConv) add(this.postQuantConv.variables("postQuantConv"));
    add(this.fromLatent.variables("decoder.in"));
    this.decBlocks.forEach((m, i) => add(m.variables(`decoder.res.${i}`)));
    this.up.forEach((m, i) => add(m.variables(`decoder.up.${i}`)));
    return vars;
  }
  disposeNetworks() {
    [
      ...this.down,
      this.stem,
      ...this.encBlocks,
      this.toLatent,
      ...this.quantConv ? [this.quantConv, this.postQuantConv] : [],
      this.fromLatent,
      ...this.decBlocks,
      ...this.up
    ].forEach((m) => m.dispose());
  }
};
function createModel(config) {
  return config.model === "simple" ? new SimpleVQVAE(config) : new VQVAE(config);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  DEFAULT_CONFIG,
  SimpleVQVAE,
  VQModel,
  VQVAE,
  createModel
});
//# sourceMappingURL=vqvae.js.map
