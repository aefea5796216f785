import { tf } from "../lib/core/backend.ts";
const x = tf.randomNormal([128, 7, 7, 32]);
function time(name: string, f: () => void) {
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    for (let i = 0; i < 2000; i++) f();
    console.log(name, ((performance.now() - t) / 2000 * 1000).toFixed(1), "µs");
  }
}
time("reshape+dispose", () => x.reshape([128, 49, 32]).dispose());
time("add tiny+dispose", () => x.reshape([-1]).dispose());
const a = tf.ones([8]), b = tf.ones([8]);
time("tiny add+dispose", () => a.add(b).dispose());
