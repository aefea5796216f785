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

// lib/optim.ts
var optim_exports = {};
__export(optim_exports, {
  FlatAdam: () => FlatAdam
});
module.exports = __toCommonJS(optim_exports);
var import_backend = require("./backend.js");
var FlatAdam = class {
  constructor(variables, options = {}) {
    this.variables = variables;
    if (variables.length === 0) throw new Error("FlatAdam needs at least one variable");
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.sizes = variables.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([total]), false));
    this.v = import_backend.tf.tidy(() => import_backend.tf.variable(import_backend.tf.zeros([total]), false));
  }
  variables;
  learningRate;
  beta1;
  beta2;
  epsilon;
  sizes;
  m;
  v;
  t = 0;
  /**
   * One step: computes the gradients of `loss()` with respect to the variables, updates them,
   * and returns the loss (the caller disposes it).
   */
  minimize(loss) {
    const { value, grads } = import_backend.tf.variableGrads(loss, this.variables);
    import_backend.tf.tidy(() => {
      this.t++;
      const g = import_backend.tf.concat(
        this.variables.map((v2) => (grads[v2.name] ?? import_backend.tf.zerosLike(v2)).reshape([-1]))
      );
      const m = this.m.mul(this.beta1).add(g.mul(1 - this.beta1));
      const v = this.v.mul(this.beta2).add(g.square().mul(1 - this.beta2));
      this.m.assign(m);
      this.v.assign(v);
      const c1 = 1 - Math.pow(this.beta1, this.t);
      const c2 = 1 - Math.pow(this.beta2, this.t);
      const step = m.div(v.div(c2).sqrt().add(this.epsilon)).mul(-this.learningRate / c1);
      import_backend.tf.split(step, this.sizes).forEach((u, i) => {
        const variable = this.variables[i];
        variable.assign(variable.add(u.reshape(variable.shape)));
      });
    });
    import_backend.tf.dispose(Object.values(grads));
    return value;
  }
  dispose() {
    import_backend.tf.dispose([this.m, this.v]);
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  FlatAdam
});
//# sourceMappingURL=optim.js.map
