import { tf } from "../lib/core/backend.ts";
// deno-lint-ignore no-explicit-any
const be = tf.backend() as any;
const B = be.binding;
const T = { name: "T", type: B.TF_ATTR_TYPE, value: B.TF_FLOAT };
const DF = { name: "data_format", type: B.TF_ATTR_STRING, value: "NHWC" };
function time(name: string, f: () => tf.Tensor | tf.Tensor[]) {
  for (let i = 0; i < 5; i++) tf.dispose(f());
  const ms: number[] = [];
  for (let i = 0; i < 61; i++) { const t = performance.now(); const y = f(); ms.push(performance.now() - t); tf.dispose(y); }
  ms.sort((a, b) => a - b);
  console.log(name.padEnd(40), ms[30].toFixed(3));
}
const x = tf.randomNormal([128, 7, 7, 64]), b = tf.randomNormal([64]), dy = tf.randomNormal([128, 7, 7, 64]);
for (let r = 0; r < 2; r++) {
time("Add broadcast", () => x.add(b));
time("BiasAdd", () => be.executeSingleOutput("BiasAdd", [T, DF], [x, b]));
time("sign*mul", () => dy.mul(tf.sign(x)));
time("ReluGrad", () => be.executeSingleOutput("ReluGrad", [T], [dy, x]));
time("sum bias", () => dy.sum([0, 1, 2]));
time("BiasAddGrad", () => be.executeSingleOutput("BiasAddGrad", [T, DF], [dy]));
const g = tf.randomNormal([6, 128, 7, 7, 32]);
time("cumsum", () => tf.cumsum(g, 0, false, true));
const tri = tf.linalg.bandPart(tf.ones([6, 6]), 0, -1);
time("triu matmul", () => tf.matMul(tri, g.reshape([6, -1])));
}
