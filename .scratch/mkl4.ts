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
  console.log(name.padEnd(50), ms[20].toFixed(3));
}
const attrs = (fmt: string) => [
  { name: "T", type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
  { name: "strides", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
  { name: "padding", type: B.TF_ATTR_STRING, value: "SAME" },
  { name: "data_format", type: B.TF_ATTR_STRING, value: fmt },
  { name: "use_cudnn_on_gpu", type: B.TF_ATTR_BOOL, value: true },
  { name: "dilations", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] }, K];
for (const [ci, co] of [[64, 32], [64, 64], [32, 64]]) {
  const x = tf.randomNormal([128, 7, 7, ci]), dy = tf.randomNormal([128, 7, 7, co]);
  const fs = tf.tensor1d([3, 3, ci, co], "int32");
  time(`NHWC filter ${ci}->${co}`, () => be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs("NHWC"), [x, fs, dy]));
  time(`NCHW filter (+2 transposes) ${ci}->${co}`, () => tf.tidy(() => be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs("NCHW"), [x.transpose([0, 3, 1, 2]), fs, dy.transpose([0, 3, 1, 2])])));
  const a = be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs("NHWC"), [x, fs, dy]);
  const b = be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs("NCHW"), [x.transpose([0, 3, 1, 2]), fs, dy.transpose([0, 3, 1, 2])]);
  console.log("  diff", tf.max(tf.abs(a.sub(b))).dataSync()[0], tf.max(tf.abs(a)).dataSync()[0]);
  const xs = tf.tensor1d([128, 7, 7, ci], "int32"), xsc = tf.tensor1d([128, ci, 7, 7], "int32");
  const w = tf.randomNormal([3, 3, ci, co]);
  time(`NHWC input ${ci}->${co}`, () => be.executeSingleOutput("_MklNativeConv2DBackpropInput", attrs("NHWC"), [xs, w, dy]));
  time(`NCHW input (+2 transposes) ${ci}->${co}`, () => tf.tidy(() => be.executeSingleOutput("_MklNativeConv2DBackpropInput", attrs("NCHW"), [xsc, w, dy.transpose([0, 3, 1, 2])]).transpose([0, 2, 3, 1])));
}
