import { tf } from "../lib/core/backend.ts";
const be = tf.backend() as any;
const B = be.binding;
const x = tf.randomNormal([128, 7, 7, 64]);
const w = tf.randomNormal([3, 3, 64, 32]);
function attrs(extra: any[] = []) {
  return [
    { name: "T", type: B.TF_ATTR_TYPE, value: B.TF_FLOAT },
    { name: "strides", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
    { name: "padding", type: B.TF_ATTR_STRING, value: "SAME" },
    { name: "data_format", type: B.TF_ATTR_STRING, value: "NHWC" },
    { name: "use_cudnn_on_gpu", type: B.TF_ATTR_BOOL, value: true },
    { name: "dilations", type: B.TF_ATTR_INT, value: [1, 1, 1, 1] },
    ...extra,
  ];
}
function time(name: string, f: () => tf.Tensor) {
  for (let i = 0; i < 5; i++) f().dispose();
  const ms: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    const y = f();
    y.dataSync();
    ms.push(performance.now() - t);
    y.dispose();
  }
  ms.sort((a, b) => a - b);
  console.log(name, ms[15].toFixed(2));
}
const ref = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same");
for (
  const [name, extra] of [["_MklNativeConv2D", [{
    name: "_kernel",
    type: B.TF_ATTR_STRING,
    value: "MklNameChangeOp",
  }]], ["_MklNativeConv2D", []]] as const
) {
  try {
    const y = be.executeSingleOutput(name, attrs(extra as any[]), [x, w]);
    console.log(name, extra.length, "maxdiff", tf.max(tf.abs(y.sub(ref))).dataSync()[0]);
    time(name + extra.length, () => be.executeSingleOutput(name, attrs(extra as any[]), [x, w]));
  } catch (e) {
    console.log(name, "failed", (e as Error).message.slice(0, 300));
  }
}
time("Conv2D", () => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"));
const dy = tf.randomNormal([128, 7, 7, 32]);
const K = [{ name: "_kernel", type: B.TF_ATTR_STRING, value: "MklNameChangeOp" }];
const fs = tf.tensor1d([3, 3, 64, 32], "int32");
const xs = tf.tensor1d([128, 7, 7, 64], "int32");
const refF = tf.conv2dBackpropFilter ? null : null;
time(
  "Eigen BackpropFilter",
  () => be.executeSingleOutput("Conv2DBackpropFilter", attrs(), [x, fs, dy]),
);
time(
  "Mkl BackpropFilter",
  () => be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs(K), [x, fs, dy]),
);
time(
  "Eigen BackpropInput",
  () => be.executeSingleOutput("Conv2DBackpropInput", attrs(), [xs, w, dy]),
);
time(
  "Mkl BackpropInput",
  () => be.executeSingleOutput("_MklNativeConv2DBackpropInput", attrs(K), [xs, w, dy]),
);
const a = be.executeSingleOutput("Conv2DBackpropFilter", attrs(), [x, fs, dy]);
const b = be.executeSingleOutput("_MklNativeConv2DBackpropFilter", attrs(K), [x, fs, dy]);
console.log(
  "filter maxdiff",
  tf.max(tf.abs(a.sub(b))).dataSync()[0],
  tf.max(tf.abs(a)).dataSync()[0],
);
const c = be.executeSingleOutput("Conv2DBackpropInput", attrs(), [xs, w, dy]);
const d = be.executeSingleOutput("_MklNativeConv2DBackpropInput", attrs(K), [xs, w, dy]);
console.log(
  "input maxdiff",
  tf.max(tf.abs(c.sub(d))).dataSync()[0],
  tf.max(tf.abs(c)).dataSync()[0],
);
