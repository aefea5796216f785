import { tf } from "./backend.ts";
import type { GoldenTensor } from "./golden.ts";
/** Largest absolute difference between a tensor and reference values, after a shape check. */
export declare function maxAbsDiff(actual: tf.Tensor, expected: GoldenTensor | tf.Tensor): number;
/** Asserts every element is within `tol` of the reference (absolute). */
export declare function assertClose(actual: tf.Tensor, expected: GoldenTensor | tf.Tensor, tol?: number, what?: string): void;
/** Asserts integer tensors are exactly equal. */
export declare function assertSameInts(actual: tf.Tensor, expected: GoldenTensor, what?: string): void;
