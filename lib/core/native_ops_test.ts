import { assertEquals } from "@std/assert";
import { backendName, tf } from "./backend.ts";
import {
  addBias,
  biasGradient,
  conv2dWithBias,
  reluGradient,
  sigmoidGradient,
} from "./native_ops.ts";
import { assertAgreesOnCpu } from "../../testing/assert_tensors.ts";

/** Values and gradients of a small conv layer with ReLU, through every op of this module. */
function layer(): number[][] {
  return tf.tidy(() => {
    const x = tf.randomUniform([2, 6, 6, 3], -1, 1, "float32", 1) as tf.Tensor4D;
    const k = tf.randomUniform([3, 3, 3, 4], -1, 1, "float32", 2) as tf.Tensor4D;
    const b = tf.randomUniform([4], -1, 1, "float32", 3) as tf.Tensor1D;
    const b2 = tf.randomUniform([4], -1, 1, "float32", 4) as tf.Tensor1D;
    const f = (...args: tf.Tensor[]) => {
      const [x, k, b, b2] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
      const y = addBias(conv2dWithBias(x, k, b, 2, "same"), b2);
      return y.square().sum() as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([x, k, b, b2]);
    const dy = tf.randomUniform([2, 3, 3, 4], -1, 1, "float32", 5);
    const y = tf.relu(tf.randomUniform([2, 3, 3, 4], -1, 1, "float32", 6));
    const shaped = x.reshape([2, 36, 3]).reshape([-1]).slice([0], [5]);
    const s = tf.sigmoid(y);
    return [value, ...grads, reluGradient(dy, y), sigmoidGradient(dy, s), biasGradient(dy), shaped]
      .map((t) => Array.from(t.dataSync()));
  });
}

Deno.test("native ops agree with the same math on the cpu backend", async () => {
  if (backendName !== "tensorflow") return;
  await assertAgreesOnCpu(layer, { minScale: 1 });
});

Deno.test("reshape keeps values and dtypes and leaks no tensors", () => {
  const before = tf.memory().numTensors;
  for (const dtype of ["float32", "int32", "bool"] as const) {
    const x = tf.tensor([1, 0, 1, 1, 0, 1], [2, 3], dtype);
    for (let i = 0; i < 3; i++) {
      const y = x.reshape([3, 2]);
      assertEquals(y.shape, [3, 2]);
      assertEquals(y.dtype, dtype);
      assertEquals(Array.from(y.dataSync()), Array.from(x.dataSync()));
      y.dispose();
    }
    x.dispose();
  }
  assertEquals(tf.memory().numTensors, before);
});
