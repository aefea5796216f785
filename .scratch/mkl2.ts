import { tf } from "../lib/core/backend.ts";
// deno-lint-ignore no-explicit-any
const be = tf.backend() as any;
const B = be.binding;
const K = { name: "_kernel", type: B.TF_ATTR_STRING, value: "MklNameChangeOp" };
function time(name: string, f: () => tf.Tensor) {
  for (let i = 0; i < 5; i++) f().dispose();
  const ms: number[] = [];
  for (let i = 0; i < 41; i++) { const t = performance.now(); const y = f(); y.dataSync(); ms.push(performance.now() - t); y.dispose(); }
  ms.sort((a, b) => a - b);
  console.log(name.padEnd(40), ms[20].toFixed(3));
}
const T = { name: "T", type: B.TF_ATTR_TYPE, value: B.TF_FLOAT };
const x = tf.randomNormal([16, 16, 16, 32]);
const w = tf.randomNormal([3, 3, 32, 32]);
const b = tf.randomNormal([32]);
const convAttrs = [T,
  { name: "strides", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
  { name: "padding", type: B.TF_ATTR_STRING, value: "SAME" },
  { name: "data_format", type: B.TF_ATTR_STRING, value: "NHWC" },
  { name: "dilations", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] }];
const fused = (ops: string[]) => [...convAttrs,
  { name: "fused_ops", type: B.TF_ATTR_STRING, value: ops },
  { name: "num_args", type: B.TF_ATTR_INT, value: 1 },
  { name: "epsilon", type: B.TF_ATTR_FLOAT, value: 0.0001 },
  { name: "leakyrelu_alpha", type: B.TF_ATTR_FLOAT, value: 0.2 }, K];
time("fused.conv2d (now: onednn conv + add)", () => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, pad: "same", strides: 1 }));
try {
  const y = be.executeSingleOutput("_MklNativeFusedConv2D", fused(["BiasAdd"]), [x, w, b]);
  const r = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, pad: "same", strides: 1 });
  console.log("diff", tf.max(tf.abs(y.sub(r))).dataSync()[0]);
  time("_MklNativeFusedConv2D BiasAdd", () => be.executeSingleOutput("_MklNativeFusedConv2D", fused(["BiasAdd"]), [x, w, b]));
  time("_MklNativeFusedConv2D BiasAdd,Relu", () => be.executeSingleOutput("_MklNativeFusedConv2D", fused(["BiasAdd", "Relu"]), [x, w, b]));
} catch (e) { console.log("fused failed", (e as Error).message.slice(0, 400)); }
// matmuls
const bm = (adjY: boolean) => [T, { name: "adj_x", type: B.TF_ATTR_BOOL, value: false }, { name: "adj_y", type: B.TF_ATTR_BOOL, value: adjY }];
for (const [a, c, adj] of [[[1, 256, 100], [16, 100, 32], false], [[1, 256, 169], [16, 169, 32], false], [[4096, 32], [4096, 32], true], [[6272, 32], [512, 32], true], [[1, 49, 25], [128, 25, 32], false]] as [number[], number[], boolean][]) {
  const A = tf.randomNormal(a), C = tf.randomNormal(c);
  time(`BatchMatMulV2 ${a} ${c}`, () => be.executeSingleOutput("BatchMatMulV2", bm(adj), [A, C]));
  try {
    time(`_MklBatchMatMulV2 ${a} ${c}`, () => be.executeSingleOutput("_MklBatchMatMulV2", [...bm(adj), K], [A, C]));
  } catch (e) { console.log("failed", (e as Error).message.slice(0, 300)); }
}
const y1 = tf.randomNormal([128, 7, 7, 64]), dy1 = tf.randomNormal([128, 7, 7, 64]);
time("relu grad: dy*sign(y)", () => dy1.mul(tf.sign(y1)));
time("ReluGrad", () => be.executeSingleOutput("ReluGrad", [T], [dy1, y1]));
time("bias grad: sum", () => dy1.sum([0, 1, 2]));
time("BiasAddGrad", () => be.executeSingleOutput("BiasAddGrad", [T, { name: "data_format", type: B.TF_ATTR_STRING, value: "NHWC" }], [dy1]));
