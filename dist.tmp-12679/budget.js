var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
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
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/budget.ts
var budget_exports = {};
__export(budget_exports, {
  budgetScale: () => budgetScale,
  scaledBudget: () => scaledBudget
});
module.exports = __toCommonJS(budget_exports);
var import_node_process = __toESM(require("node:process"));
function budgetScale() {
  const raw = import_node_process.default.env.VQVAR_BUDGET?.trim();
  if (!raw) return 1;
  const scale = Number(raw);
  if (!(scale > 0 && scale <= 1)) {
    throw new Error(`VQVAR_BUDGET=${raw} is not a number in (0, 1]; unset it for full runs`);
  }
  return scale;
}
function scaledBudget(budget) {
  const s = budgetScale();
  return { steps: Math.max(1, Math.round(budget.steps * s)), minutes: budget.minutes * s };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  budgetScale,
  scaledBudget
});
//# sourceMappingURL=budget.js.map
