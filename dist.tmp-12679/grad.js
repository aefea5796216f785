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

// lib/grad.ts
var grad_exports = {};
__export(grad_exports, {
  gatherCodes: () => gatherCodes,
  relu: () => relu,
  stopGradient: () => stopGradient,
  straightThrough: () => straightThrough,
  vqLoss: () => vqLoss
});
module.exports = __toCommonJS(grad_exports);
var import_backend = require("./backend.js");
function stopGradient(x) {
  const f = import_backend.tf.customGrad(
    ((input) => ({
      value: input.clone(),
      gradFunc: (dy) => import_backend.tf.zerosLike(dy)
    }))
  );
  return f(x);
}
function straightThrough(x, q) {
  const f = import_backend.tf.customGrad(
    ((_input, quantized) => ({
      value: quantized.clone(),
      gradFunc: (dy) => [dy.clone(), import_backend.tf.zerosLike(dy)]
    }))
  );
  return f(x, q);
}
function gatherCodes(codebookVc, indices) {
  const [v, c] = codebookVc.shape;
  const f = import_backend.tf.customGrad(
    ((codebook, save) => {
      const flat = indices.reshape([-1]);
      save([flat]);
      return {
        value: import_backend.tf.gather(codebook, indices),
        gradFunc: (dy, saved) => import_backend.tf.unsortedSegmentSum(dy.reshape([-1, c]), saved[0], v)
      };
    })
  );
  return f(codebookVc);
}
var relu = import_backend.tf.customGrad(
  ((x, save) => {
    const y = import_backend.tf.relu(x);
    save([y]);
    return { value: y, gradFunc: (dy, saved) => dy.mul(import_backend.tf.sign(saved[0])) };
  })
);
function vqLoss(q, z, beta) {
  const stacked = q.rank === z.rank + 1;
  const f = import_backend.tf.customGrad(
    ((qIn, zIn, save) => {
      const d = import_backend.tf.sub(qIn, zIn);
      save([d]);
      return {
        value: d.square().mean().mul(1 + beta),
        gradFunc: (dy, saved) => {
          const g = saved[0].mul(dy.mul(2 / saved[0].size));
          const gz = g.mul(-beta);
          return [g, stacked ? gz.sum(0) : gz];
        }
      };
    })
  );
  return f(q, z);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  gatherCodes,
  relu,
  stopGradient,
  straightThrough,
  vqLoss
});
//# sourceMappingURL=grad.js.map
