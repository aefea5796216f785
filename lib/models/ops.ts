/**
 * The elementwise ops and the loss of the models' own networks, with their gradients written
 * out: fewer kernels per backward pass than TensorFlow.js's own (`ReLU` and `sigmoid` take
 * TensorFlow's one-kernel gradients, see lib/core/native_ops.ts).
 */
import { tf } from "../core/backend.ts";
import { reluGradient, sigmoidGradient } from "../core/native_ops.ts";

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

/**
 * ReLU with a one-kernel gradient on the tensorflow backend (TensorFlow's `ReluGrad`, see
 * lib/core/native_ops.ts), `dy · sign(y)` elsewhere (y ≥ 0, so sign(y) is the 0/1 mask). tfjs's
 * own ReLU gradient goes through `step`, which tfjs-node builds from half a dozen kernels
 * (IsNan, Greater, Select, Fill, …): the main cost of a small conv net's backward pass.
 */
export const relu: <T extends tf.Tensor>(x: T) => T = withOutputGradient(tf.relu, reluGradient);

/** The logistic sigmoid with a one-kernel gradient on the tensorflow backend (`SigmoidGrad`). */
export const sigmoid: <T extends tf.Tensor>(x: T) => T = withOutputGradient(
  tf.sigmoid,
  sigmoidGradient,
);

/** An elementwise function whose gradient is computed from its output `y` and `dy`. */
function withOutputGradient(
  forward: (x: tf.Tensor) => tf.Tensor,
  gradient: (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor,
): <T extends tf.Tensor>(x: T) => T {
  return tf.customGrad(
    ((x: tf.Tensor, save: tf.GradSaveFunc) => {
      const y = forward(x);
      save([y]);
      return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => gradient(dy, saved[0]) };
    }) as CustomGradientFunc,
  ) as <T extends tf.Tensor>(x: T) => T;
}

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
