/** Input checks that name the argument and the shape expected of it. */
import { tf } from "./backend.ts";
/** Throws unless `x` is a tensor of the given rank and dtype; `what` names it in the message. */
export declare function checkTensor(x: unknown, what: string, rank: number, layout: string, dtype?: "float32" | "int32"): asserts x is tf.Tensor;
/** Throws when a float tensor holds NaN or ±Infinity (reads one boolean back). */
export declare function checkFinite(x: tf.Tensor, what: string): void;
/** Throws unless every value of an int tensor is in [0, size). */
export declare function checkIndexRange(idx: tf.Tensor, what: string, size: number): void;
/** Throws unless `n` is a positive integer. */
export declare function checkPositiveInt(n: unknown, what: string): asserts n is number;
