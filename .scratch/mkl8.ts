import { tf } from "../lib/core/backend.ts";
function time(f: () => tf.Tensor | tf.Tensor[]) {
  for (let i = 0; i < 5; i++) tf.dispose(f());
  const ms: number[] = [];
  for (let i = 0; i < 41; i++) { const t = performance.now(); const y = f(); (Array.isArray(y) ? y : [y]).forEach((t) => t.dataSync()); ms.push(performance.now() - t); tf.dispose(y); }
  ms.sort((a, b) => a - b);
  return ms[20].toFixed(2);
}
const w = tf.randomNormal([3, 3, 32, 32]) as tf.Tensor4D;
const xs = [0, 1, 2].map(() => tf.randomNormal([16, 16, 16, 32]) as tf.Tensor4D);
const big = tf.concat(xs) as tf.Tensor4D;
for (let r = 0; r < 3; r++) console.log("3 convs of 16:", time(() => xs.map((x) => tf.conv2d(x, w, 1, "same"))), " 1 conv of 48:", time(() => tf.conv2d(big, w, 1, "same")), " concat+conv+split:", time(() => tf.tidy(() => tf.split(tf.conv2d(tf.concat(xs) as tf.Tensor4D, w, 1, "same"), 3))));
