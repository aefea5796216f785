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

// lib/golden.ts
var golden_exports = {};
__export(golden_exports, {
  readGolden: () => readGolden,
  toTensor: () => toTensor
});
module.exports = __toCommonJS(golden_exports);
var import_promises = require("node:fs/promises");
var import_backend = require("./backend.js");
async function readGolden(name) {
  const url = new URL(`./testdata/golden/${name}`, __vqvarModuleUrl);
  return JSON.parse(await (0, import_promises.readFile)(url, "utf8"));
}
function toTensor(g) {
  return import_backend.tf.tensor(g.data, g.shape, g.dtype);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  readGolden,
  toTensor
});
//# sourceMappingURL=golden.js.map
