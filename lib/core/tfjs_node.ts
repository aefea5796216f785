/**
 * The parts of tfjs-node's backend that tfjs does not type and this project calls directly
 * (lib/core/onednn.ts, lib/core/native_ops.ts, bench/kernels.ts): running a TensorFlow op by name
 * with its attributes, and the attributes TensorFlow's oneDNN kernels need.
 */
import type * as tf from "@tensorflow/tfjs";

/** One attribute of a TensorFlow op, as tfjs-node's binding takes it. */
export interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

/** tfjs-node's native binding: attribute and dtype codes, native tensors, ops by name. */
export interface NodeBinding {
  TF_ATTR_TYPE: number;
  TF_ATTR_INT: number;
  TF_ATTR_STRING: number;
  TF_ATTR_BOOL: number;
  TF_FLOAT: number;
  TF_INT32: number;
  TF_BOOL: number;
  createTensor(shape: number[], dtype: number, values: Int32Array): number;
  deleteTensor(id: number): void;
  executeOp(name: string, attrs: OpAttr[], inputIds: number[], outputs: number): unknown[];
}

/** tfjs-node's backend (`NodeJSKernelBackend`). */
export interface NodeBackend {
  binding: NodeBinding;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.TensorInfo[]): tf.Tensor;
  getInputTensorIds(tensors: tf.TensorInfo[]): number[];
  createOutputTensor(metadata: unknown): tf.Tensor;
}

/**
 * The label TensorFlow's eager oneDNN rewrite sets on the ops it swaps in
 * (`mkl_op_registry::kMklNameChangeOpLabel`); a `_MklNative*` op runs only with it.
 */
export function oneDnnLabel(binding: NodeBinding): OpAttr {
  return { name: "_kernel", type: binding.TF_ATTR_STRING, value: "MklNameChangeOp" };
}

/** `T = float32`. */
export function float32Attr(binding: NodeBinding): OpAttr {
  return { name: "T", type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT };
}

/** A 2-D convolution's attributes: float32, square `stride`, `padding`, `format`, no dilation. */
export function convAttrs(
  binding: NodeBinding,
  stride: number,
  padding: "SAME" | "VALID",
  format: "NHWC" | "NCHW" = "NHWC",
): OpAttr[] {
  const strides = format === "NHWC" ? [1, stride, stride, 1] : [1, 1, stride, stride];
  return [
    float32Attr(binding),
    { name: "strides", type: binding.TF_ATTR_INT, value: strides },
    { name: "padding", type: binding.TF_ATTR_STRING, value: padding },
    { name: "data_format", type: binding.TF_ATTR_STRING, value: format },
    { name: "use_cudnn_on_gpu", type: binding.TF_ATTR_BOOL, value: true },
    { name: "dilations", type: binding.TF_ATTR_INT, value: [1, 1, 1, 1] },
  ];
}

/**
 * What oneDNN's fused convolution (`_MklNativeFusedConv2D`) fuses after the convolution: a bias
 * (one float32 argument) and a ReLU. List attributes, which tfjs-node's binding passes only with
 * scripts/env/tfjs-node-binding.patch.
 */
export function fusedBiasReluAttrs(binding: NodeBinding): OpAttr[] {
  return [
    { name: "num_args", type: binding.TF_ATTR_INT, value: 1 },
    { name: "TArgs", type: binding.TF_ATTR_TYPE, value: [binding.TF_FLOAT] },
    { name: "fused_ops", type: binding.TF_ATTR_STRING, value: ["BiasAdd", "Relu"] },
  ];
}
