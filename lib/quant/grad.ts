/**
 * Gradient surgery that TensorFlow.js has no op for: PyTorch's `.detach()` and the
 * straight-through estimator of VQ-VAE.
 */
import { tf } from "../core/backend.ts";

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
 *
 * @example
 * ```ts
 * import { straightThrough, tf } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const z = tf.tensor1d([0.2, 0.9]);
 * const q = tf.tensor1d([0, 1]); // e.g. the nearest codes
 * const grad = tf.grad((x: tf.Tensor) => straightThrough(x, q).mul(tf.tensor1d([3, 5])).sum());
 * assertEquals(Array.from(grad(z).dataSync()), [3, 5]); // the value is q, the gradient goes to z
 * ```
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

/**
 * `codebook[indices]` (`[...indices.shape, C]`) with a gradient to the codebook only.
 *
 * `tf.gather` would also try to send a gradient to `indices` when they were computed from a
 * differentiable input (an argmin of distances to `z`), which TensorFlow.js rejects ("the
 * gradient of input indices must have 'float32' dtype"). Here the indices are not an input
 * of the recorded op, so the tape never looks at them.
 */
export function gatherCodes(codebookVc: tf.Tensor2D, indices: tf.Tensor): tf.Tensor {
  const [v, c] = codebookVc.shape;
  const f = tf.customGrad(
    ((codebook: tf.Tensor2D, save: tf.GradSaveFunc) => {
      const flat = indices.reshape([-1]);
      save([flat]); // kept alive until the backward pass
      return {
        value: tf.gather(codebook, indices),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
          tf.unsortedSegmentSum(dy.reshape([-1, c]), saved[0] as tf.Tensor1D, v),
      };
    }) as CustomGradientFunc,
  );
  return f(codebookVc);
}

/**
 * VQ-VAE's loss in one op: `mse(q, sg(z)) + β · mse(sg(q), z)`. The value is
 * `(1 + β) · mean((q − z)²)`; the gradient is `2(q − z)/N` to `q` and `β · 2(z − q)/N` to `z`.
 * Same numbers as the two-term form, with a third of the kernels. `q` may stack several
 * quantizations of `z` on a leading axis (`[K, ...z.shape]`): the loss is then the mean of the
 * K losses, as VAR averages over scales.
 */
export function vqLoss(q: tf.Tensor, z: tf.Tensor, beta: number): tf.Scalar {
  const stacked = q.rank === z.rank + 1;
  const f = tf.customGrad(
    ((qIn: tf.Tensor, zIn: tf.Tensor, save: tf.GradSaveFunc) => {
      const d = tf.sub(qIn, zIn);
      save([d]);
      return {
        value: d.square().mean().mul(1 + beta),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const g = saved[0].mul(dy.mul(2 / saved[0].size));
          const gz = g.mul(-beta);
          return [g, stacked ? gz.sum(0) : gz];
        },
      };
    }) as CustomGradientFunc,
  );
  return f(q, z) as tf.Scalar;
}
