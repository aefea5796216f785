/**
 * The ops the models call where TensorFlow has a faster kernel than tfjs's composition: ReLU
 * and sigmoid with one-kernel gradients, a per-channel bias and its gradient, and the
 * convolution with its bias (and ReLU) in one, with its gradients registered per input. Each
 * runs the rerouted kernel when it is in use for its inputs (lib/core/native_kernels.ts,
 * lib/core/onednn.ts), and the same math in tfjs ops otherwise.
 */
import { tf } from "./tfjs.ts";
import { CONV_WITH_BIAS, CONV_WITH_BIAS_RELU, type ConvWithBiasAttrs } from "./onednn.ts";
import { allFloat32, rerouted } from "./reroute.ts";
import {
  BIAS_ADD,
  BIAS_ADD_GRAD,
  RELU_GRAD,
  reluByMask,
  SIGMOID_GRAD,
  sigmoidByOps,
  sumButChannels,
} from "./native_kernels.ts";

/** Whether `kernel` runs natively for these tensors (rerouted, and every one float32). */
const native = (kernel: string, ...tensors: tf.Tensor[]) =>
  tf.getBackend() === "tensorflow" && rerouted(kernel) && allFloat32(tensors);

/** ReLU's gradient from its output `y`: `dy` where `y > 0`, else 0. */
export function reluGradient<T extends tf.Tensor>(dy: T, y: T): T {
  return (native(RELU_GRAD, dy, y)
    ? tf.engine().runKernel(RELU_GRAD, { dy, y }, {})
    : tf.tidy(() => reluByMask(dy, y))) as T;
}

/** The sigmoid's gradient from its output `y`: `dy · y · (1 − y)`. */
export function sigmoidGradient<T extends tf.Tensor>(dy: T, y: T): T {
  return (native(SIGMOID_GRAD, dy, y)
    ? tf.engine().runKernel(SIGMOID_GRAD, { y, dy }, {})
    : tf.tidy(() => sigmoidByOps(dy, y))) as T;
}

/** The gradient of a channels-last bias: `dy` summed over every axis but the last, `[C]`. */
export function biasGradient(dy: tf.Tensor): tf.Tensor1D {
  return (native(BIAS_ADD_GRAD, dy)
    ? tf.engine().runKernel(BIAS_ADD_GRAD, { dy }, {})
    : tf.tidy(() => sumButChannels(dy))) as tf.Tensor1D;
}

/**
 * `x + bias` for a channels-last `x` (`[..., C]`) and `bias` (`[C]`), differentiable, with the
 * bias's gradient in one kernel ({@link biasGradient}).
 */
export function addBias<T extends tf.Tensor>(x: T, bias: tf.Tensor1D): T {
  const f = tf.customGrad(
    ((xIn: tf.Tensor, b: tf.Tensor1D) => ({
      value: native(BIAS_ADD, xIn, b)
        ? tf.engine().runKernel(BIAS_ADD, { x: xIn, bias: b }, {})
        : xIn.add(b),
      gradFunc: (dy: tf.Tensor) => [dy, biasGradient(dy)],
    })) as Parameters<typeof tf.customGrad>[0],
  );
  return f(x, bias) as T;
}

/**
 * `conv2d(x, kernel) + bias` (channels-last, HWIO kernel, square `stride`), differentiable;
 * with `relu`, `relu(conv2d(x, kernel) + bias)`. With oneDNN on the tensorflow backend the bias
 * (and the ReLU, when the binding passes list attributes: scripts/env/tfjs-node-binding.patch)
 * is applied inside the convolution's kernel (lib/core/onednn.ts). The gradients are the
 * convolution's two (TensorFlow's `Conv2DBackpropInput` and `Conv2DBackpropFilter`) and
 * {@link biasGradient}, each computed only when asked for: an image's gradient, which training
 * never needs, is not computed.
 */
export function conv2dWithBias(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D,
  stride: number,
  pad: "same" | "valid",
  { relu: withRelu = false } = {},
): tf.Tensor4D {
  const attrs: ConvWithBiasAttrs = { strides: stride, pad };
  if (withRelu && native(CONV_WITH_BIAS_RELU, x, kernel, bias)) {
    return runConv(CONV_WITH_BIAS_RELU, x, kernel, bias, attrs);
  }
  const y = native(CONV_WITH_BIAS, x, kernel, bias)
    ? runConv(CONV_WITH_BIAS, x, kernel, bias, attrs)
    : tf.tidy(() => tf.conv2d(x, kernel, stride, pad).add(bias) as tf.Tensor4D);
  if (!withRelu) return y;
  const out = relu(y);
  y.dispose();
  return out;
}

function runConv(
  kernelName: string,
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  attrs: ConvWithBiasAttrs,
): tf.Tensor4D {
  registerConvGradients();
  return tf.engine().runKernel(kernelName, { x, filter, bias }, attrs) as tf.Tensor4D;
}

let convGradientsRegistered = false;
/** The gradients of {@link CONV_WITH_BIAS} and {@link CONV_WITH_BIAS_RELU}, one thunk per input. */
function registerConvGradients(): void {
  if (convGradientsRegistered) return;
  convGradientsRegistered = true;
  const grads = (dy: tf.Tensor4D, x: tf.Tensor4D, filter: tf.Tensor4D, attrs: tf.NamedAttrMap) => {
    const { strides, pad } = attrs as unknown as ConvWithBiasAttrs;
    return {
      x: () => tf.conv2dTranspose(dy, filter, x.shape, strides, pad),
      filter: () => convKernelGradient(x, dy, filter.shape, strides, pad),
      bias: () => biasGradient(dy),
    };
  };
  tf.registerGradient({
    kernelName: CONV_WITH_BIAS,
    inputsToSave: ["x", "filter"],
    gradFunc: (dy, [x, filter], attrs) =>
      grads(dy as tf.Tensor4D, x as tf.Tensor4D, filter as tf.Tensor4D, attrs),
  });
  tf.registerGradient({
    kernelName: CONV_WITH_BIAS_RELU,
    inputsToSave: ["x", "filter"],
    outputsToSave: [true],
    gradFunc: (dy, [x, filter, y], attrs) => {
      const dz = reluGradient(dy as tf.Tensor4D, y as tf.Tensor4D);
      return grads(dz, x as tf.Tensor4D, filter as tf.Tensor4D, attrs);
    },
  });
}

/**
 * The gradient of `conv2d(x, K, stride, pad)` (channels-last) with respect to its kernel `K`
 * (`filterShape`, HWIO), given the output's gradient `dy`: TensorFlow's `Conv2DBackpropFilter`,
 * which tfjs runs for `tf.conv2d`'s gradient but does not export.
 */
export function convKernelGradient(
  xBhwc: tf.Tensor4D,
  dyBhwc: tf.Tensor4D,
  filterShape: [number, number, number, number],
  stride = 1,
  pad: "same" | "valid" = "same",
): tf.Tensor4D {
  return tf.engine().runKernel("Conv2DBackpropFilter", { x: xBhwc, dy: dyBhwc }, {
    strides: stride,
    pad,
    dataFormat: "NHWC",
    filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

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
    }) as Parameters<typeof tf.customGrad>[0],
  ) as <T extends tf.Tensor>(x: T) => T;
}
