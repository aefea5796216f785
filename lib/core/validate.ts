/** Input checks that name the argument and the shape expected of it. */
import { tf } from "./backend.ts";
import { InputError } from "./errors.ts";

/**
 * Throws an `InputError` unless `x` is a live tensor of the given rank and dtype; `what` names it
 * in the message.
 */
export function checkTensor(
  x: unknown,
  what: string,
  rank: number,
  layout: string,
  dtype: "float32" | "int32" = "float32",
): asserts x is tf.Tensor {
  if (!(x instanceof tf.Tensor)) {
    throw new InputError(`${what} must be a tf.Tensor ${layout}, got ${describe(x)}`);
  }
  if (x.isDisposed) throw new InputError(`${what} has been disposed`);
  if (x.rank !== rank) {
    throw new InputError(`${what} must have rank ${rank} ${layout}, got shape [${x.shape}]`);
  }
  if (x.dtype !== dtype) {
    throw new InputError(`${what} must be ${dtype} ${layout}, got ${x.dtype}`);
  }
}

/** Throws when a float tensor holds NaN or ±Infinity (reads one boolean back). */
export function checkFinite(x: tf.Tensor, what: string): void {
  const bad = tf.tidy(() => tf.logicalNot(tf.isFinite(x)).any().dataSync()[0]);
  if (bad) throw new InputError(`${what} contains NaN or Infinity`);
}

/** Throws an `InputError` unless every value of an int tensor is in [0, size). */
export function checkIndexRange(idx: tf.Tensor, what: string, size: number): void {
  if (idx.size === 0) return;
  const [lo, hi] = tf.tidy(() => [idx.min().dataSync()[0], idx.max().dataSync()[0]]);
  if (lo < 0 || hi >= size) {
    throw new InputError(
      `${what} must hold indices in [0, ${size - 1}], got indices from ${lo} to ${hi}`,
    );
  }
}

/**
 * Throws an `InputError` naming `what` unless `x` is a finite number in `[min, max]` (`max`
 * excluded when `maxOpen`).
 */
export function checkRange(
  x: unknown,
  what: string,
  min: number,
  max: number,
  { maxOpen = false }: { maxOpen?: boolean } = {},
): void {
  const ok = typeof x === "number" && Number.isFinite(x) && x >= min &&
    (maxOpen ? x < max : x <= max);
  if (!ok) {
    throw new InputError(
      `${what} must be a number in [${min}, ${max}${maxOpen ? ")" : "]"}, got ${String(x)}`,
    );
  }
}

/** Throws unless `n` is a positive integer; `what` names it in the message. */
export function checkPositiveInt(n: unknown, what: string): asserts n is number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new InputError(`${what} must be a positive integer, got ${describe(n)}`);
  }
}

function describe(x: unknown): string {
  if (x instanceof tf.Tensor) return `a ${x.dtype} tensor of shape [${x.shape}]`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? "null" : typeof x === "object" ? "an object" : `${typeof x} ${String(x)}`;
}

/**
 * Throws unless `patchNums` is a non-empty list of positive integers, strictly increasing unless
 * `increasing: false` (a raster order is 1, 1, 1, …: one token per step).
 */
export function checkPatchNums(
  patchNums: unknown,
  { increasing = true }: { increasing?: boolean } = {},
): asserts patchNums is number[] {
  if (!Array.isArray(patchNums) || patchNums.length === 0) {
    throw new InputError(
      `patchNums must be a non-empty list of integers, got ${String(patchNums)}`,
    );
  }
  patchNums.forEach((pn, i) => {
    if (typeof pn !== "number" || !Number.isInteger(pn) || pn < 1) {
      throw new InputError(`patchNums[${i}] must be a positive integer, got ${String(pn)}`);
    }
    if (increasing && i > 0 && pn <= patchNums[i - 1]) {
      throw new InputError(
        `patchNums must be strictly increasing, got ${patchNums[i - 1]} then ${pn} at index ${i}`,
      );
    }
  });
}
