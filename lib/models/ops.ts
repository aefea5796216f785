/**
 * The elementwise ops and the loss of the models' own networks, with their gradients written
 * out: fewer kernels per backward pass than TensorFlow.js's own (`ReLU` and `sigmoid` take
 * TensorFlow's one-kernel gradients, see lib/core/native_ops.ts).
 */
import { tf } from "../core/backend.ts";
export { relu, sigmoid } from "../core/native_ops.ts";

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

/**
 * `mean((prediction − target)²)` with its gradient written out, `2·(prediction − target)/N`,
 * to `prediction` only (the target is data, not differentiated).
 */
export function meanSquaredError(prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  const f = tf.customGrad(
    ((p: tf.Tensor, save: tf.GradSaveFunc) => {
      const d = p.sub(target);
      save([d]);
      return {
        value: d.square().mean(),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => saved[0].mul(dy.mul(2 / saved[0].size)),
      };
    }) as CustomGradientFunc,
  );
  return f(prediction) as tf.Scalar;
}
