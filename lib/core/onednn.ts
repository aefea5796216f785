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
 * {@link oneDnnReroutes} wraps tfjs-node's kernels for those ops so that each one asks TensorFlow
 * for the oneDNN kernel by name, with the label TensorFlow's own rewrite sets. Same attributes,
 * same inputs, same layout (NHWC); only the kernel that runs changes. Convolutions with explicit
 * padding keep the stock kernel, as TensorFlow's rewrite does. lib/core/reroute.ts installs and
 * probes them; `VQVAR_ONEDNN=0` keeps the stock kernels.
 */
import { tf } from "./tfjs.ts";
import {
  convAttrs,
  fusedBiasReluAttrs,
  type NodeBackend,
  oneDnnLabel,
  type OpAttr,
} from "./tfjs_node.ts";
import { allFloat32, type Reroute, rerouted } from "./reroute.ts";

/** The tfjs kernels wrapped, and the oneDNN kernel each reaches (FusedConv2D runs `Conv2D`). */
const WRAPPED_KERNELS = new Map([
  ["Conv2D", "_MklNativeConv2D"],
  ["Conv2DBackpropInput", "_MklNativeConv2DBackpropInput"],
  ["Conv2DBackpropFilter", "_MklNativeConv2DBackpropFilter"],
  ["FusedConv2D", "_MklNativeConv2D"],
  ["BatchMatMul", "_MklBatchMatMulV2"],
]);
/** TensorFlow ops and the oneDNN kernel the eager rewrite would use for each. */
const ONEDNN_OPS = new Map([
  ["Conv2D", "_MklNativeConv2D"],
  ["Conv2DBackpropInput", "_MklNativeConv2DBackpropInput"],
  ["Conv2DBackpropFilter", "_MklNativeConv2DBackpropFilter"],
  ["BatchMatMulV2", "_MklBatchMatMulV2"],
]);

/**
 * The backend as a wrapped kernel sees it: TensorFlow's convolution ops go to oneDNN, each time
 * calling `ran`.
 */
function oneDnnView(backend: NodeBackend, ran: () => void): NodeBackend {
  const label = oneDnnLabel(backend.binding);
  const view = Object.create(backend) as NodeBackend;
  view.executeSingleOutput = (name, attrs, inputs) => {
    const explicit = attrs.some((a) => a.name === "padding" && a.value === "EXPLICIT");
    const onednn = explicit ? undefined : ONEDNN_OPS.get(name);
    if (!onednn) return backend.executeSingleOutput(name, attrs, inputs);
    ran();
    return backend.executeSingleOutput(onednn, [...attrs, label], inputs);
  };
  return view;
}

/** Small inputs for each wrapped kernel's probe (3×3 kernels, stride 1, "same"). */
function probeCase(kernel: string): { inputs: tf.NamedTensorMap; attrs: tf.NamedAttrMap } {
  const r = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, "float32", seed);
  const conv = { strides: 1, pad: "same", dataFormat: "NHWC", dilations: 1 };
  const x = r([1, 4, 4, 2], 1), filter = r([3, 3, 2, 3], 2), dy = r([1, 4, 4, 3], 3);
  switch (kernel) {
    case "Conv2D":
      return { inputs: { x, filter }, attrs: conv };
    case "FusedConv2D":
      return { inputs: { x, filter, bias: r([3], 4) }, attrs: { ...conv, activation: "relu" } };
    case "Conv2DBackpropInput":
      return { inputs: { dy, filter }, attrs: { ...conv, inputShape: [1, 4, 4, 2] } };
    case "Conv2DBackpropFilter":
      return { inputs: { x, dy }, attrs: { ...conv, filterShape: [3, 3, 2, 3] } };
    default: // BatchMatMul
      return {
        inputs: { a: r([2, 3, 4], 5), b: r([2, 4, 5], 6) },
        attrs: { transposeA: false, transposeB: false },
      };
  }
}

/**
 * The oneDNN entries of lib/core/reroute.ts for tfjs-node's `backend`: convolutions (forward and
 * both gradients, also inside `tf.fused.conv2d` and `tf.conv2dTranspose`) and batched matrix
 * products (`tf.matMul`) on TensorFlow's oneDNN kernels, {@link CONV_WITH_BIAS} and
 * {@link CONV_WITH_BIAS_RELU}.
 */
export function oneDnnReroutes(backend: NodeBackend): Reroute[] {
  const wrapped = [...WRAPPED_KERNELS].map(([kernel, runs]): Reroute => ({
    kernel,
    runs,
    group: "onednn",
    make: (stock, ran) => {
      const view = oneDnnView(backend, ran) as unknown as tf.KernelBackend;
      return (args) => allFloat32(args.inputs) ? stock!({ ...args, backend: view }) : stock!(args);
    },
    probe: () => probeCase(kernel),
  }));
  return [...wrapped, convWithBias(backend, false), convWithBias(backend, true)];
}

/** tfjs name of the oneDNN convolution with its bias added in the same kernel. */
export const CONV_WITH_BIAS = "VqvarConv2DWithBias";
/**
 * tfjs name of the oneDNN convolution with its bias and a ReLU in the same kernel
 * (`_MklNativeFusedConv2D`, `fused_ops = ["BiasAdd", "Relu"]`). It needs list attributes, which
 * tfjs-node's binding passes only with scripts/env/tfjs-node-binding.patch: without it the
 * probe fails and callers add the ReLU themselves.
 */
export const CONV_WITH_BIAS_RELU = "VqvarConv2DWithBiasRelu";

/** The attributes of {@link CONV_WITH_BIAS} and {@link CONV_WITH_BIAS_RELU}. */
export type ConvWithBiasAttrs = { strides: number; pad: "same" | "valid" };

/**
 * {@link CONV_WITH_BIAS} (inputs `x`, `filter`, `bias`; attrs `strides`, `pad`: "same" |
 * "valid") as TensorFlow's `_MklNativeConv2DWithBias`, channels-last, and with `relu`
 * {@link CONV_WITH_BIAS_RELU}; on other dtypes, and as the probe's reference, the same in tfjs ops.
 */
function convWithBias(backend: NodeBackend, relu: boolean): Reroute {
  const { binding } = backend;
  const reference = (inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap) => {
    const { strides, pad } = attrs as unknown as ConvWithBiasAttrs;
    const { x, filter, bias } = inputs as Record<string, tf.Tensor4D>;
    const y = tf.conv2d(x, filter, strides, pad).add(bias);
    return relu ? tf.relu(y) : y;
  };
  const op = relu ? "_MklNativeFusedConv2D" : "_MklNativeConv2DWithBias";
  const fused = relu ? fusedBiasReluAttrs(binding) : [];
  return {
    kernel: relu ? CONV_WITH_BIAS_RELU : CONV_WITH_BIAS,
    runs: relu ? `${op} (BiasAdd, Relu)` : op,
    group: "onednn",
    reference,
    probe: () => {
      const { inputs: { x, filter } } = probeCase("Conv2D");
      const bias = tf.randomUniform([3], -1, 1, "float32", 7);
      return { inputs: { x, filter, bias }, attrs: { strides: 1, pad: "same" } };
    },
    make: (_, ran) => ({ inputs, attrs }) => {
      if (!allFloat32(inputs)) {
        return tf.tidy(() => reference(inputs as tf.NamedTensorMap, attrs!));
      }
      const { strides, pad } = attrs as unknown as ConvWithBiasAttrs;
      const opAttrs = [
        ...convAttrs(binding, strides, pad === "same" ? "SAME" : "VALID"),
        ...fused,
        oneDnnLabel(binding),
      ] as OpAttr[];
      const { x, filter, bias } = inputs as Record<string, tf.Tensor>;
      ran();
      return backend.executeSingleOutput(op, opAttrs, [x, filter, bias]);
    },
  };
}

/** Whether tfjs-node's convolutions run on TensorFlow's oneDNN kernels (the Conv2D entry). */
export function oneDnnKernelsInUse(): boolean {
  return rerouted("Conv2D");
}
