/** Reading the PyTorch reference vectors in lib/testdata/golden (format: its README). */
import { readFile } from "node:fs/promises";
import { tf } from "./backend.ts";

export interface GoldenTensor {
  shape: number[];
  dtype: "float32" | "int32";
  data: number[];
}

/** Parses one golden JSON file of lib/testdata/golden. */
export async function readGolden<T>(name: string): Promise<T> {
  const url = new URL(`./testdata/golden/${name}`, import.meta.url);
  return JSON.parse(await readFile(url, "utf8")) as T;
}

/** A golden tensor as a tf tensor of its dtype. */
export function toTensor<R extends tf.Rank>(g: GoldenTensor): tf.Tensor<R> {
  return tf.tensor(g.data, g.shape as number[] & tf.ShapeMap[R], g.dtype) as tf.Tensor<R>;
}
