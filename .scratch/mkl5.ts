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
  return ms[20];
}
const attrs = [
  { name: "T", type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
  { name: "strides", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
  { name: "padding", type: B.TF_ATTR_STRING, value: "SAME" },
  { name: "data_format", type: B.TF_ATTR_STRING, value: "NHWC" },
  { name: "use_cudnn_on_gpu", type: B.TF_ATTR_BOOL, value: true },
  { name: "dilations", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] }, K];
const patchAttrs = [
  { name: "T", type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
  { name: "ksizes", type: B.TF_ATTR_INT, value: [1, 3, 3, 1] },
  { name: "strides", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
  { name: "rates", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
  { name: "padding", type: B.TF_ATTR_STRING, value: "SAME" }];
for (let round = 0; round < 2; round++)
for (const [ci, co] of [[64, 32], [64, 64], [32, 32]]) {
  const x = tf.randomNormal([128, 7, 7, ci]), dy = tf.randomNormal([128, 7, 7, co]);
  const fs = tf.tensor1d([3, 3, ci, co], "int32");
  const a = time(`filter`, () => be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs, [x, fs, dy]));
  const im2col = () => tf.tidy(() => {
    const p = be.executeSingleOutput("ExtractImagePatches", patchAttrs, [x]) as tf.Tensor;
    return tf.matMul(p.reshape([-1, 9 * ci]), dy.reshape([-1, co]), true, false).reshape([3, 3, ci, co]);
  });
  const b = time(`im2col`, im2col);
  const r1 = be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs, [x, fs, dy]);
  const r2 = im2col();
  const diff = tf.max(tf.abs(r1.sub(r2))).dataSync()[0];
  const w = tf.randomNormal([3, 3, ci, co]);
  const xs = tf.tensor1d([128, 7, 7, ci], "int32");
  const c = time(`input`, () => be.executeSingleOutput("_MklNativeConv2DBackpropInput", attrs, [xs, w, dy]));
  const flipped = () => tf.tidy(() => tf.conv2d(dy as tf.Tensor4D, tf.reverse(w, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D, 1, "same"));
  const d = time(`flip`, flipped);
  const e1 = be.executeSingleOutput("_MklNativeConv2DBackpropInput", attrs, [xs, w, dy]);
  const diff2 = tf.max(tf.abs(e1.sub(flipped()))).dataSync()[0];
  console.log(`${ci}->${co}: filter ${a.toFixed(2)} im2col ${b.toFixed(2)} (diff ${diff.toExponential(1)}) | input ${c.toFixed(2)} flipped-forward ${d.toFixed(2)} (diff ${diff2.toExponential(1)})`);
}
