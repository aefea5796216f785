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

// lib/testing_assert.ts
var testing_assert_exports = {};
__export(testing_assert_exports, {
  assertClose: () => assertClose,
  assertSameInts: () => assertSameInts,
  maxAbsDiff: () => maxAbsDiff
});
module.exports = __toCommonJS(testing_assert_exports);
var import_assert = require("@std/assert");
var import_backend = require("./backend.js");
function maxAbsDiff(actual, expected) {
  const shape = expected instanceof import_backend.tf.Tensor ? expected.shape : expected.shape;
  if (actual.shape.join() !== shape.join()) {
    throw new import_assert.AssertionError(`shape [${actual.shape}] != expected [${shape}]`);
  }
  const a = actual.dataSync();
  const e = expected instanceof import_backend.tf.Tensor ? expected.dataSync() : expected.data;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}
function assertClose(actual, expected, tol = 1e-4, what = "tensor") {
  const d = maxAbsDiff(actual, expected);
  if (!(d <= tol)) throw new import_assert.AssertionError(`${what}: max |diff| ${d.toExponential(3)} > ${tol}`);
}
function assertSameInts(actual, expected, what = "indices") {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new import_assert.AssertionError(`${what}: shape [${actual.shape}] != expected [${expected.shape}]`);
  }
  const a = actual.dataSync();
  const bad = expected.data.findIndex((v, i) => v !== a[i]);
  if (bad >= 0) {
    throw new import_assert.AssertionError(
      `${what}: element ${bad} is ${a[bad]}, expected ${expected.data[bad]}`
    );
  }
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  assertClose,
  assertSameInts,
  maxAbsDiff
});
//# sourceMappingURL=testing_assert.js.map
