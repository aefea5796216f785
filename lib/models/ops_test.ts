import { assert } from "@std/assert";
import { tf } from "../core/backend.ts";
import { meanSquaredError, relu, sigmoid } from "./ops.ts";

Deno.test("meanSquaredError: tf.losses.meanSquaredError's value and gradient", () => {
  tf.tidy(() => {
    const p = tf.randomUniform([2, 4, 4, 1], 0, 1, "float32", 1);
    const t = tf.randomUniform([2, 4, 4, 1], 0, 1, "float32", 2);
    const ours = tf.valueAndGrad((x: tf.Tensor) => meanSquaredError(x, t))(p);
    const theirs = tf.valueAndGrad((x: tf.Tensor) => tf.losses.meanSquaredError(t, x) as tf.Scalar)(
      p,
    );
    assert(Math.abs(ours.value.dataSync()[0] - theirs.value.dataSync()[0]) < 1e-7);
    const worst = ours.grad.sub(theirs.grad).abs().max().dataSync()[0];
    assert(worst < 1e-7, `gradient off by ${worst}`);
  });
});

Deno.test("relu and sigmoid: tf.relu's and tf.sigmoid's values and gradients", () => {
  tf.tidy(() => {
    const x = tf.randomNormal([2, 5, 5, 3], 0, 2, "float32", 3);
    const dy = tf.randomNormal([2, 5, 5, 3], 0, 1, "float32", 4);
    const pairs = [[relu, tf.relu], [sigmoid, tf.sigmoid]] as const;
    for (const [ours, theirs] of pairs) {
      const a = tf.valueAndGrad((t: tf.Tensor) => ours(t).mul(dy).sum() as tf.Scalar)(x);
      const b = tf.valueAndGrad((t: tf.Tensor) => theirs(t).mul(dy).sum() as tf.Scalar)(x);
      assert(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0]) < 1e-4);
      const worst = a.grad.sub(b.grad).abs().max().dataSync()[0];
      assert(worst < 1e-6, `gradient off by ${worst}`);
    }
  });
});
