import { tf } from "../lib/core/backend.ts";
// deno-lint-ignore no-explicit-any
const be = tf.backend() as any;
const B = be.binding;
const K = { name: "_kernel", type: B.TF_ATTR_STRING, value: "MklNameChangeOp" };
function time(f: () => tf.Tensor) {
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
for (let r = 0; r < 2; r++)
for (const [ci, co] of [[64, 32], [64, 64], [32, 64]]) {
  const x = tf.randomNormal([128, 7, 7, ci]) as tf.Tensor4D, dy = tf.randomNormal([128, 7, 7, co]) as tf.Tensor4D;
  const fs = tf.tensor1d([3, 3, ci, co], "int32");
  const a = time(() => be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs, [x, fs, dy]));
  const viaFwd = () => tf.tidy(() => {
    const xt = x.pad([[0, 0], [1, 1], [1, 1], [0, 0]]).transpose([3, 1, 2, 0]) as tf.Tensor4D; // [ci, 9, 9, n]
    const dyt = dy.transpose([1, 2, 0, 3]) as tf.Tensor4D; // [7, 7, n, co]
    return tf.conv2d(xt, dyt, 1, "valid").transpose([1, 2, 0, 3]); // [ci,3,3,co] -> [3,3,ci,co]
  });
  const b = time(viaFwd);
  const d = tf.max(tf.abs(be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs, [x, fs, dy]).sub(viaFwd()))).dataSync()[0];
  console.log(`${ci}->${co}: bwd-filter ${a.toFixed(2)} via forward conv ${b.toFixed(2)} diff ${d.toExponential(1)}`);
}
