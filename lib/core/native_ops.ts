/**
 * TensorFlow ops that tfjs has no kernel for, used where a model's backward pass would
 * otherwise take several kernels and full passes over a feature map:
 *
 * - `ReluGrad(dy, y)`: ReLU's gradient in one pass (tfjs: `dy · step(x)`, or `dy · sign(y)`);
 * - `SigmoidGrad(y, dy)`: the sigmoid's, `dy · y · (1 − y)`, in one pass (tfjs: three);
 * - `BiasAdd(x, b)` and `BiasAddGrad(dy)`: a per-channel bias and its gradient, the sum of `dy`
 *   over every axis but the channels (tfjs: a broadcasting add, and a sum with reshapes).
 *
 * On the `tensorflow` backend they run as those TensorFlow kernels (new tfjs kernels of that
 * backend, {@link nativeReroutes}); on any other backend, with `VQVAR_NATIVE_OPS=0`, or for
 * inputs that are not float32, the same math runs as ordinary tfjs ops.
 *
 * Also here: tfjs-node's `Reshape` kernel builds, uploads and frees a new int32 shape tensor
 * for every reshape (about twice the cost of a small add); the one rerouted here keeps one
 * native shape tensor per distinct shape and reuses it (float32 only).
 *
 * lib/core/reroute.ts installs and probes these entries when the library loads.
 */
import * as tf from "@tensorflow/tfjs";
import { CONV_WITH_BIAS, CONV_WITH_BIAS_RELU, type ConvWithBiasAttrs } from "./onednn.ts";
import { allFloat32, type Reroute, rerouted } from "./reroute.ts";
import { float32Attr, type NodeBackend } from "./tfjs_node.ts";

const RELU_GRAD = "VqvarReluGrad";
const SIGMOID_GRAD = "VqvarSigmoidGrad";
const BIAS_ADD = "VqvarBiasAdd";
const BIAS_ADD_GRAD = "VqvarBiasAddGrad";

/** One new tfjs kernel that runs TensorFlow op `op` on inputs `names`, with its tfjs math. */
function opKernel(
  backend: NodeBackend,
  kernel: string,
  op: string,
  names: string[],
  channelsLast: boolean,
  reference: (t: tf.Tensor[]) => tf.Tensor,
): Reroute {
  const { binding } = backend;
  const attrs = [
    float32Attr(binding),
    ...(channelsLast ? [{ name: "data_format", type: binding.TF_ATTR_STRING, value: "NHWC" }] : []),
  ];
  const r = (seed: number) => tf.randomUniform([2, 3, 4], -1, 1, "float32", seed);
  return {
    kernel,
    runs: op,
    group: "native",
    reference: (inputs) => reference(names.map((n) => inputs[n])),
    // Inputs as the callers give them: a bias is [C], a ReLU's output is ≥ 0.
    probe: () => ({
      inputs: Object.fromEntries(names.map((n, i) => {
        const t = r(i);
        return [n, n === "bias" ? t.sum([0, 1]) : op === "ReluGrad" && n === "y" ? t.relu() : t];
      })),
    }),
    make: (_, ran) => ({ inputs }) => {
      const tensors = names.map((n) => inputs[n] as tf.Tensor);
      if (!allFloat32(tensors)) return tf.tidy(() => reference(tensors));
      ran();
      return backend.executeSingleOutput(op, attrs, tensors) as tf.TensorInfo;
    },
  };
}

/**
 * The native-op entries of lib/core/reroute.ts for tfjs-node's `backend`: TensorFlow's
 * `ReluGrad`, `SigmoidGrad`, `BiasAdd` and `BiasAddGrad` as four new tfjs kernels (the functions
 * below fall back to tfjs ops where they are not in use), and tfjs-node's `Reshape` with cached
 * shape tensors.
 */
export function nativeReroutes(backend: NodeBackend): Reroute[] {
  const k = (...a: Parameters<typeof opKernel> extends [NodeBackend, ...infer R] ? R : never) =>
    opKernel(backend, ...a);
  return [
    k(RELU_GRAD, "ReluGrad", ["dy", "y"], false, ([dy, y]) => reluByMask(dy, y)),
    k(SIGMOID_GRAD, "SigmoidGrad", ["y", "dy"], false, ([y, dy]) => sigmoidByOps(dy, y)),
    k(BIAS_ADD, "BiasAdd", ["x", "bias"], true, ([x, b]) => x.add(b)),
    k(BIAS_ADD_GRAD, "BiasAddGrad", ["dy"], true, ([dy]) => sumButChannels(dy)),
    reshape(backend),
  ];
}

const reluByMask = (dy: tf.Tensor, y: tf.Tensor) => dy.mul(tf.sign(y));
const sigmoidByOps = (dy: tf.Tensor, y: tf.Tensor) => dy.mul(y.mul(tf.scalar(1).sub(y)));
const sumButChannels = (dy: tf.Tensor) => dy.reshape([-1, dy.shape[dy.rank - 1]]).sum(0);

/** Distinct shapes whose native shape tensors are kept (then the cache starts afresh). */
const MAX_CACHED_SHAPES = 4096;

/** tfjs-node's Reshape, with its native int32 shape tensors made once per shape. */
function reshape(backend: NodeBackend): Reroute {
  const { binding } = backend;
  const shapeIds = new Map<string, number>();
  const shapeId = (shape: number[]): number => {
    const key = shape.join(",");
    let id = shapeIds.get(key);
    if (id === undefined) {
      if (shapeIds.size >= MAX_CACHED_SHAPES) {
        shapeIds.forEach((old) => binding.deleteTensor(old));
        shapeIds.clear();
      }
      id = binding.createTensor([shape.length], binding.TF_INT32, Int32Array.from(shape));
      shapeIds.set(key, id);
    }
    return id;
  };
  const attrs = [
    float32Attr(binding),
    { name: "Tshape", type: binding.TF_ATTR_TYPE, value: binding.TF_INT32 },
  ];
  return {
    kernel: "Reshape",
    runs: "Reshape (cached shapes)",
    group: "native",
    probe: () => ({ inputs: { x: tf.range(0, 6).toFloat() }, attrs: { shape: [2, 3] } }),
    make: (stock, ran) => (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype !== "float32") return stock!(args);
      const ids = [...backend.getInputTensorIds([x]), shapeId(args.attrs!.shape as number[])];
      ran();
      return backend.createOutputTensor(binding.executeOp("Reshape", attrs, ids, 1)[0]);
    },
  };
}

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
