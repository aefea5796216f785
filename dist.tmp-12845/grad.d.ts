/**
 * Gradient surgery that TensorFlow.js has no op for: PyTorch's `.detach()` and the
 * straight-through estimator of VQ-VAE.
 */
import { tf } from "./backend.ts";
/** `sg(x)`: the value of `x`, with no gradient flowing back into `x` (PyTorch's `x.detach()`). */
export declare function stopGradient<T extends tf.Tensor>(x: T): T;
/**
 * The straight-through estimator `x + sg(q - x)`: the value of `q` forward, the gradient of the
 * output passed to `x` unchanged backward, and none to `q`.
 */
export declare function straightThrough<T extends tf.Tensor>(x: T, q: T): T;
/**
 * `codebook[indices]` (`[...indices.shape, C]`) with a gradient to the codebook only.
 *
 * `tf.gather` would also try to send a gradient to `indices` when they were computed from a
 * differentiable input (an argmin of distances to `z`), which TensorFlow.js rejects ("the
 * gradient of input indices must have 'float32' dtype"). Here the indices are not an input
 * of the recorded op, so the tape never looks at them.
 */
export declare function gatherCodes(codebookVc: tf.Tensor2D, indices: tf.Tensor): tf.Tensor;
/**
 * ReLU with a two-op gradient, `dy · sign(y)` (y ≥ 0, so sign(y) is the 0/1 mask). tfjs's own
 * ReLU gradient goes through `step`, which tfjs-node builds from half a dozen kernels
 * (IsNan, Greater, Select, Fill, …): the main cost of a small conv net's backward pass.
 */
export declare const relu: <T extends tf.Tensor<tf.Rank>>(x: T) => T;
/**
 * VQ-VAE's loss in one op: `mse(q, sg(z)) + β · mse(sg(q), z)`. The value is
 * `(1 + β) · mean((q − z)²)`; the gradient is `2(q − z)/N` to `q` and `β · 2(z − q)/N` to `z`.
 * Same numbers as the two-term form, with a third of the kernels. `q` may stack several
 * quantizations of `z` on a leading axis (`[K, ...z.shape]`): the loss is then the mean of the
 * K losses, as VAR averages over scales.
 */
export declare function vqLoss(q: tf.Tensor, z: tf.Tensor, beta: number): tf.Scalar;
