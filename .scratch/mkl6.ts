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
  return ms[20].toFixed(3);
}
const attrs = (extra: unknown[] = []) => [
  { name: "T", type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
  { name: "strides", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
  { name: "padding", type: B.TF_ATTR_STRING, value: "SAME" },
  { name: "data_format", type: B.TF_ATTR_STRING, value: "NHWC" },
  { name: "use_cudnn_on_gpu", type: B.TF_ATTR_BOOL, value: true },
  { name: "dilations", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] }, K, ...extra];
const x = tf.randomNormal([128, 7, 7, 64]), w = tf.randomNormal([3, 3, 64, 32]), b = tf.randomNormal([32]);
for (const name of ["_MklNativeConv2DWithBias", "_MklConv2DWithBias", "_MklNativeConv2DWithBiasAndRelu", "_MklFusedConv2D", "_MklNativeFusedConv2D"]) {
  try {
    const y = be.executeSingleOutput(name, attrs(), [x, w, b]);
    const ref = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same").add(b);
    console.log(name, "ok diff", tf.max(tf.abs(y.sub(ref))).dataSync()[0], time(() => be.executeSingleOutput(name, attrs(), [x, w, b])), "vs conv+biasadd", time(() => tf.tidy(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same").add(b))));
  } catch (e) { console.log(name, "failed:", (e as Error).message.split("\n").slice(0, 2).join(" ").slice(0, 200)); }
}
