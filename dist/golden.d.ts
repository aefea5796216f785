import { tf } from "./backend.ts";
export interface GoldenTensor {
    shape: number[];
    dtype: "float32" | "int32";
    data: number[];
}
/** Parses one golden JSON file of lib/testdata/golden. */
export declare function readGolden<T>(name: string): Promise<T>;
/** A golden tensor as a tf tensor of its dtype. */
export declare function toTensor<R extends tf.Rank>(g: GoldenTensor): tf.Tensor<R>;
