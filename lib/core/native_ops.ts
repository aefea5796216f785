/**
 * TensorFlow ops that tfjs has no kernel for, used where a model's backward pass would
 * otherwise take several kernels and full passes over a feature map:
 *
 * - `ReluGrad(dy, y)`: ReLU's gradient in one pass (tfjs: `dy · step(x)`, or `dy · sign(y)`);
 * - `SigmoidGrad(y, dy)`: the sigmoid's, `dy · y · (1 − y)`, in one pass (tfjs: three);
 * - `BiasAdd(x, b)` and `BiasAddGrad(dy)`: a per-channel bias and its gradient, the sum of `dy`
 *   over every axis but the channels (tfjs: a broadcasting add, and a sum with reshapes).
 *
 * On the `tensorflow` backend they run as those TensorFlow kernels (registered here as tfjs
 * kernels of that backend); on any other backend the same math runs as ordinary tfjs ops.
 *
 * Also here: tfjs-node's `Reshape` kernel builds, uploads and frees a new int32 shape tensor
 * for every reshape (about twice the cost of a small add); the one registered here keeps one
 * native shape tensor per distinct shape and reuses it.
 */
import * as tf from "@tensorflow/tfjs";
import { CONV_WITH_BIAS } from "./onednn.ts";
import { float32Attr, type NodeBackend } from "./tfjs_node.ts";

const RELU_GRAD = "VqvarReluGrad";
const SIGMOID_GRAD = "VqvarSigmoidGrad";
const BIAS_ADD = "VqvarBiasAdd";
const BIAS_ADD_GRAD = "VqvarBiasAddGrad";

/** Registers the three kernels on the `tensorflow` backend (once; false when it is absent). */
export function registerNativeOps(): boolean {
  if (!tf.findBackend("tensorflow")) return false;
  if (tf.getKernel(RELU_GRAD, "tensorflow")) return true;
  const attrs = (backend: NodeBackend, channelsLast: boolean) => [
    float32Attr(backend.binding),
    ...(channelsLast
      ? [{ name: "data_format", type: backend.binding.TF_ATTR_STRING, value: "NHWC" }]
      : []),
  ];
  const kernel = (kernelName: string, op: string, names: string[], channelsLast: boolean) =>
    tf.registerKernel({
      kernelName,
      backendName: "tensorflow",
      kernelFunc: ({ inputs, backend }) => {
        const node = backend as unknown as NodeBackend;
        const tensors = names.map((n) => inputs[n] as tf.Tensor);
        return node.executeSingleOutput(op, attrs(node, channelsLast), tensors) as tf.TensorInfo;
      },
    });
  registerReshape();
  kernel(RELU_GRAD, "ReluGrad", ["dy", "y"], false);
  kernel(SIGMOID_GRAD, "SigmoidGrad", ["y", "dy"], false);
  kernel(BIAS_ADD, "BiasAdd", ["x", "bias"], true);
  kernel(BIAS_ADD_GRAD, "BiasAddGrad", ["dy"], true);
  return true;
}

/** Distinct shapes whose native shape tensors are kept (then the cache starts afresh). */
const MAX_CACHED_SHAPES = 4096;

/** tfjs-node's Reshape, with its native int32 shape tensors made once per shape. */
function registerReshape(): void {
  const stock = tf.getKernel("Reshape", "tensorflow");
  if (!stock) return;
  const backend = tf.findBackend("tensorflow") as unknown as NodeBackend;
  const { binding } = backend;
  const types: Record<string, number> = {
    float32: binding.TF_FLOAT,
    int32: binding.TF_INT32,
    bool: binding.TF_BOOL,
  };
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
  tf.unregisterKernel("Reshape", "tensorflow");
  tf.registerKernel({
    ...stock,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      const type = types[x.dtype];
      if (type === undefined) return stock.kernelFunc(args); // complex64, string
      const attrs = [
        { name: "T", type: binding.TF_ATTR_TYPE, value: type },
        { name: "Tshape", type: binding.TF_ATTR_TYPE, value: binding.TF_INT32 },
      ];
      const ids = [...backend.getInputTensorIds([x]), shapeId(args.attrs!.shape as number[])];
      return backend.createOutputTensor(binding.executeOp("Reshape", attrs, ids, 1)[0]);
    },
  });
}

const native = (kernelName: string) => tf.getKernel(kernelName, tf.getBackend()) !== undefined;

/** ReLU's gradient from its output `y`: `dy` where `y > 0`, else 0. */
export function reluGradient<T extends tf.Tensor>(dy: T, y: T): T {
  return (native(RELU_GRAD)
    ? tf.engine().runKernel(RELU_GRAD, { dy, y }, {})
    : tf.tidy(() => dy.mul(tf.sign(y)))) as T;
}

/** The sigmoid's gradient from its output `y`: `dy · y · (1 − y)`. */
export function sigmoidGradient<T extends tf.Tensor>(dy: T, y: T): T {
  return (native(SIGMOID_GRAD)
    ? tf.engine().runKernel(SIGMOID_GRAD, { y, dy }, {})
    : tf.tidy(() => dy.mul(y.mul(tf.scalar(1).sub(y))))) as T;
}

/** The gradient of a channels-last bias: `dy` summed over every axis but the last, `[C]`. */
export function biasGradient(dy: tf.Tensor): tf.Tensor1D {
  return (native(BIAS_ADD_GRAD)
    ? tf.engine().runKernel(BIAS_ADD_GRAD, { dy }, {})
    : tf.tidy(() => dy.reshape([-1, dy.shape[dy.rank - 1]]).sum(0))) as tf.Tensor1D;
}

/**
 * `x + bias` for a channels-last `x` (`[..., C]`) and `bias` (`[C]`), differentiable, with the
 * bias's gradient in one kernel ({@link biasGradient}).
 */
export function addBias<T extends tf.Tensor>(x: T, bias: tf.Tensor1D): T {
  const f = tf.customGrad(
    ((xIn: tf.Tensor, b: tf.Tensor1D) => ({
      value: native(BIAS_ADD)
        ? tf.engine().runKernel(BIAS_ADD, { x: xIn, bias: b }, {})
        : xIn.add(b),
      gradFunc: (dy: tf.Tensor) => [dy, biasGradient(dy)],
    })) as Parameters<typeof tf.customGrad>[0],
  );
  return f(x, bias) as T;
}

/**
 * `conv2d(x, kernel) + bias` (channels-last, HWIO kernel, square `stride`), differentiable.
 * With oneDNN on the tensorflow backend the bias is added inside the convolution's kernel
 * (lib/core/onednn.ts); the gradients are the convolution's two (TensorFlow's
 * `Conv2DBackpropInput` and `Conv2DBackpropFilter`) and {@link biasGradient}.
 */
export function conv2dWithBias(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D,
  stride: number,
  pad: "same" | "valid",
): tf.Tensor4D {
  const f = tf.customGrad(
    ((xIn: tf.Tensor4D, k: tf.Tensor4D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
      save([xIn, k]);
      const value = native(CONV_WITH_BIAS)
        ? tf.engine().runKernel(CONV_WITH_BIAS, { x: xIn, filter: k, bias: b }, {
          strides: stride,
          pad,
        })
        : tf.tidy(() => tf.conv2d(xIn, k, stride, pad).add(b));
      return {
        value,
        gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
          const [xs, ks] = saved as [tf.Tensor4D, tf.Tensor4D];
          const dx = tf.conv2dTranspose(dy, ks, xs.shape, stride, pad);
          return [dx, convKernelGradient(xs, dy, ks.shape, stride, pad), biasGradient(dy)];
        },
      };
    }) as Parameters<typeof tf.customGrad>[0],
  );
  return f(x, kernel, bias) as tf.Tensor4D;
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
