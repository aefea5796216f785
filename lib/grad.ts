/**
 * Gradient surgery that TensorFlow.js has no op for: PyTorch's `.detach()` and the
 * straight-through estimator of VQ-VAE.
 */
import { tf } from "./backend.ts";

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

/** `sg(x)`: the value of `x`, with no gradient flowing back into `x` (PyTorch's `x.detach()`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const f = tf.customGrad(
    ((input: tf.Tensor) => ({
      value: input.clone(),
      gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
    })) as CustomGradientFunc,
  );
  return f(x) as T;
}

/**
 * The straight-through estimator `x + sg(q - x)`: the value of `q` forward, the gradient of the
 * output passed to `x` unchanged backward, and none to `q`.
 */
export function straightThrough<T extends tf.Tensor>(x: T, q: T): T {
  const f = tf.customGrad(
    ((_input: tf.Tensor, quantized: tf.Tensor) => ({
      value: quantized.clone(),
      gradFunc: (dy: tf.Tensor) => [dy.clone(), tf.zerosLike(dy)],
    })) as CustomGradientFunc,
  );
  return f(x, q) as T;
}
