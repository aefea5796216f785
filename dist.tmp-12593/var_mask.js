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

// lib/var_mask.ts
var var_mask_exports = {};
__export(var_mask_exports, {
  blockCausalMask: () => blockCausalMask,
  levelIndices: () => levelIndices,
  scaleOffsets: () => scaleOffsets
});
module.exports = __toCommonJS(var_mask_exports);
var import_backend = require("./backend.js");
var import_multiscale = require("./multiscale.js");
function levelIndices(patchNums) {
  (0, import_multiscale.checkPatchNums)([...patchNums]);
  const out = new Int32Array(patchNums.reduce((a, pn) => a + pn * pn, 0));
  let at = 0;
  patchNums.forEach((pn, si) => {
    out.fill(si, at, at + pn * pn);
    at += pn * pn;
  });
  return out;
}
function scaleOffsets(patchNums) {
  (0, import_multiscale.checkPatchNums)([...patchNums]);
  let at = 0;
  return patchNums.map((pn) => {
    const r = [at, pn * pn];
    at += pn * pn;
    return r;
  });
}
function blockCausalMask(patchNums, { additive = false } = {}) {
  const lvl = levelIndices(patchNums);
  return import_backend.tf.tidy(() => {
    const d = import_backend.tf.tensor1d(lvl, "int32");
    const allowed = d.expandDims(1).greaterEqual(d.expandDims(0));
    return additive ? import_backend.tf.where(
      allowed,
      import_backend.tf.zeros([lvl.length, lvl.length]),
      import_backend.tf.fill([lvl.length, lvl.length], -Infinity)
    ) : allowed.toFloat();
  });
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  blockCausalMask,
  levelIndices,
  scaleOffsets
});
//# sourceMappingURL=var_mask.js.map
