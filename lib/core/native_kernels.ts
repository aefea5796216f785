/**
 * The native kernels (the `native` group of lib/core/reroute.ts): TensorFlow ops that tfjs has
 * no kernel for, used where a model's backward pass would otherwise take several kernels and
 * full passes over a feature map:
 *
 * - `ReluGrad(dy, y)`: ReLU's gradient in one pass (tfjs: `dy · step(x)`, or `dy · sign(y)`);
 * - `SigmoidGrad(y, dy)`: the sigmoid's, `dy · y · (1 − y)`, in one pass (tfjs: three);
 * - `BiasAdd(x, b)` and `BiasAddGrad(dy)`: a per-channel bias and its gradient, the sum of `dy`
 *   over every axis but the channels (tfjs: a broadcasting add, and a sum with reshapes).
 *
 * On the `tensorflow` backend they run as those TensorFlow kernels (new tfjs kernels of that
 * backend, {@link nativeReroutes}); lib/core/native_ops.ts holds the ops the models call, which
 * run the same math as ordinary tfjs ops on any other backend, with the group switched off, or
 * for inputs that are not float32 (the functions below, shared by both).
 *
 * Also here: tfjs-node's `Reshape` kernel builds, uploads and frees a new int32 shape tensor
 * for every reshape (about twice the cost of a small add); the one rerouted here keeps one
 * native shape tensor per distinct shape and reuses it (float32 only).
 *
 * lib/core/reroute.ts installs and probes these entries when the library loads.
 */
import { tf } from "./tfjs.ts";
import { allFloat32, type Reroute } from "./reroute.ts";
import { float32Attr, type NodeBackend } from "./tfjs_node.ts";

/** TensorFlow's `ReluGrad` as a tfjs kernel. */
export const RELU_GRAD = "VqvarReluGrad";
/** TensorFlow's `SigmoidGrad` as a tfjs kernel. */
export const SIGMOID_GRAD = "VqvarSigmoidGrad";
/** TensorFlow's `BiasAdd` as a tfjs kernel. */
export const BIAS_ADD = "VqvarBiasAdd";
/** TensorFlow's `BiasAddGrad` as a tfjs kernel. */
export const BIAS_ADD_GRAD = "VqvarBiasAddGrad";

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
 * `ReluGrad`, `SigmoidGrad`, `BiasAdd` and `BiasAddGrad` as four new tfjs kernels (lib/core/
 * native_ops.ts falls back to the tfjs math below where they are not in use), and tfjs-node's
 * `Reshape` with cached shape tensors.
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

/** ReLU's gradient in tfjs ops, from its output `y`. */
export const reluByMask = (dy: tf.Tensor, y: tf.Tensor): tf.Tensor => dy.mul(tf.sign(y));
/** The sigmoid's gradient in tfjs ops, from its output `y`. */
export const sigmoidByOps = (dy: tf.Tensor, y: tf.Tensor): tf.Tensor =>
  dy.mul(y.mul(tf.scalar(1).sub(y)));
/** A bias's gradient in tfjs ops: `dy` summed over every axis but the channels. */
export const sumButChannels = (dy: tf.Tensor): tf.Tensor =>
  dy.reshape([-1, dy.shape[dy.rank - 1]]).sum(0);

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
      // backend.binding looked up per call: lib/core/graph/trace.ts records through it.
      return backend.createOutputTensor(backend.binding.executeOp("Reshape", attrs, ids, 1)[0]);
    },
  };
}
