/**
 * oneDNN convolutions and batched matrix products for tfjs-node in eager mode.
 *
 * TensorFlow's CPU builds carry oneDNN kernels for convolutions (`_MklNativeConv2D` and its two
 * gradients) and batched matrix products (`_MklBatchMatMulV2`), and its eager runtime swaps
 * them in for `Conv2D` & co. — but only for an op that names a CPU device
 * (`mkl_eager_op_rewrite.cc`), and tfjs-node names none. Its convolutions therefore run as Eigen
 * tensor contractions: the notebooks' training step took 287 ms with them and 195 ms with
 * oneDNN's kernels, in the same rounds on one machine (bench/README.md, "Where the time goes").
 *
 * {@link useOneDnnKernels} re-registers tfjs-node's kernels for those ops so that each one asks
 * TensorFlow for the oneDNN kernel by name, with the label TensorFlow's own rewrite sets. Same
 * attributes, same inputs, same layout (NHWC); only the kernel that runs changes. Convolutions
 * with explicit padding keep the stock kernel, as TensorFlow's rewrite does.
 */
import * as tf from "@tensorflow/tfjs";
import { convAttrs, type NodeBackend, oneDnnLabel } from "./tfjs_node.ts";

/** The tfjs kernels that reach those TensorFlow ops (FusedConv2D runs `Conv2D`). */
const WRAPPED_KERNELS = [
  "Conv2D",
  "Conv2DBackpropInput",
  "Conv2DBackpropFilter",
  "FusedConv2D",
  "BatchMatMul",
];
/** TensorFlow ops and the oneDNN kernel the eager rewrite would use for each. */
const ONEDNN_OPS = new Map([
  ["Conv2D", "_MklNativeConv2D"],
  ["Conv2DBackpropInput", "_MklNativeConv2DBackpropInput"],
  ["Conv2DBackpropFilter", "_MklNativeConv2DBackpropFilter"],
  ["BatchMatMulV2", "_MklBatchMatMulV2"],
]);

/** The backend as the wrapped kernels see it: TensorFlow's convolution ops go to oneDNN. */
function oneDnnView(backend: NodeBackend): NodeBackend {
  const label = oneDnnLabel(backend.binding);
  const view = Object.create(backend) as NodeBackend;
  view.executeSingleOutput = (name, attrs, inputs) => {
    const explicit = attrs.some((a) => a.name === "padding" && a.value === "EXPLICIT");
    const onednn = explicit ? undefined : ONEDNN_OPS.get(name);
    return onednn
      ? backend.executeSingleOutput(onednn, [...attrs, label], inputs)
      : backend.executeSingleOutput(name, attrs, inputs);
  };
  return view;
}

/**
 * Whether this TensorFlow has the oneDNN kernels: a 1×1 convolution of one pixel and a 1×1
 * matrix product.
 */
function oneDnnAvailable(backend: NodeBackend): boolean {
  return tf.tidy(() => {
    const one = tf.ones([1, 1, 1, 1]) as tf.Tensor4D;
    try {
      const kernel = tf.getKernel("Conv2D", "tensorflow")!;
      const y = kernel.kernelFunc({
        inputs: { x: one, filter: one },
        attrs: { strides: 1, pad: "valid", dataFormat: "NHWC", dilations: 1 },
        backend: oneDnnView(backend) as unknown as tf.KernelBackend,
      }) as tf.Tensor;
      const p = tf.getKernel("BatchMatMul", "tensorflow")!.kernelFunc({
        inputs: { a: one.reshape([1, 1, 1]), b: one.reshape([1, 1, 1]) },
        attrs: { transposeA: false, transposeB: false },
        backend: oneDnnView(backend) as unknown as tf.KernelBackend,
      }) as tf.Tensor;
      return y.dataSync()[0] === 1 && p.dataSync()[0] === 1;
    } catch {
      return false;
    }
  });
}

let active = false;

/**
 * Makes tfjs-node run convolutions (forward and both gradients, also inside `tf.fused.conv2d`
 * and `tf.conv2dTranspose`) and matrix products (`tf.matMul`) with TensorFlow's oneDNN kernels. Returns whether they are in use:
 * false when the backend is not `tensorflow` or this TensorFlow build has no oneDNN kernels
 * (then nothing changes). Called once by the backend module unless `VQVAR_ONEDNN=0`.
 */
export function useOneDnnKernels(): boolean {
  if (active) return true;
  const backend = tf.findBackend("tensorflow") as unknown as NodeBackend | null;
  if (!backend || !oneDnnAvailable(backend)) return false;
  const view = oneDnnView(backend);
  for (const name of WRAPPED_KERNELS) {
    const stock = tf.getKernel(name, "tensorflow");
    if (!stock) continue;
    tf.unregisterKernel(name, "tensorflow");
    tf.registerKernel({
      ...stock,
      kernelFunc: (args) =>
        stock.kernelFunc({ ...args, backend: view as unknown as tf.KernelBackend }),
    });
  }
  registerConvWithBias(backend);
  active = true;
  return true;
}

/** tfjs name of the oneDNN convolution with its bias added in the same kernel. */
export const CONV_WITH_BIAS = "VqvarConv2DWithBias";

/**
 * Registers {@link CONV_WITH_BIAS} (inputs `x`, `filter`, `bias`; attrs `strides`, `pad`:
 * "same" | "valid") as TensorFlow's `_MklNativeConv2DWithBias`, channels-last.
 */
function registerConvWithBias(backend: NodeBackend): void {
  const { binding } = backend;
  tf.registerKernel({
    kernelName: CONV_WITH_BIAS,
    backendName: "tensorflow",
    kernelFunc: ({ inputs, attrs }) => {
      const { strides, pad } = attrs as unknown as { strides: number; pad: "same" | "valid" };
      const opAttrs = [
        ...convAttrs(binding, strides, pad === "same" ? "SAME" : "VALID"),
        oneDnnLabel(binding),
      ];
      const { x, filter, bias } = inputs as Record<string, tf.Tensor>;
      return backend.executeSingleOutput("_MklNativeConv2DWithBias", opAttrs, [x, filter, bias]);
    },
  });
}

/** Whether {@link useOneDnnKernels} is in effect. */
export function oneDnnKernelsInUse(): boolean {
  return active;
}
