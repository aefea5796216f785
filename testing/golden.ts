/**
 * The PyTorch reference vectors in lib/testdata/golden (format: its README), for the tests.
 * Tests import the JSON files as modules (`import x from "…json" with { type: "json" }`),
 * which needs no read permission; this module types them and turns them into tensors.
 */
import { tf } from "../lib/core/backend.ts";

/** A tensor as the golden files store it: shape, dtype and the values in row-major order. */
export interface GoldenTensor {
  shape: number[];
  dtype: "float32" | "int32";
  data: number[];
}

/** A golden tensor as a tf tensor of its dtype. */
export function toTensor<R extends tf.Rank>(g: GoldenTensor): tf.Tensor<R> {
  return tf.tensor(g.data, g.shape as number[] & tf.ShapeMap[R], g.dtype) as tf.Tensor<R>;
}
