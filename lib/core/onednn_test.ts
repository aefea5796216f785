import { assertEquals } from "@std/assert";
import process from "node:process";
import { backendName, tf } from "./backend.ts";
import { oneDnnKernelsInUse } from "./onednn.ts";
import { assertAgreesOnCpu } from "../../testing/assert_tensors.ts";

Deno.test("on tensorflow, convolutions run on oneDNN unless VQVAR_ONEDNN=0", () => {
  const expected = backendName === "tensorflow" && process.env.VQVAR_ONEDNN !== "0";
  assertEquals(oneDnnKernelsInUse(), expected);
});

/** conv2d (stride 2), conv2dTranspose and fused conv2d with their gradients, as numbers. */
function convolutions(): number[][] {
  return tf.tidy(() => {
    const x = tf.randomUniform([2, 8, 8, 3], -1, 1, "float32", 1) as tf.Tensor4D;
    const w = tf.randomUniform([4, 4, 3, 5], -1, 1, "float32", 2) as tf.Tensor4D;
    const wt = tf.randomUniform([4, 4, 3, 5], -1, 1, "float32", 3) as tf.Tensor4D;
    const b = tf.randomUniform([5], -1, 1, "float32", 4) as tf.Tensor1D;
    const f = (...args: tf.Tensor[]) => {
      const [x, w, wt, b] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
      const down = tf.conv2d(x, w, 2, "same"); // [2, 4, 4, 5]
      const up = tf.conv2dTranspose(down, wt, [2, 8, 8, 3], 2, "same");
      const fused = tf.fused.conv2d({ x: up, filter: w, strides: 1, pad: "same", bias: b });
      return fused.square().sum() as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([x, w, wt, b]);
    return [value, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

Deno.test("oneDNN convolutions and their gradients agree with the cpu backend", async () => {
  if (backendName !== "tensorflow") return;
  await assertAgreesOnCpu(convolutions);
});
