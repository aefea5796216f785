/** Assertions on tensors for the tests. */
import { AssertionError } from "@std/assert";
import { tf } from "../lib/core/backend.ts";
import type { GoldenTensor } from "./golden.ts";

/** Largest absolute difference between a tensor and reference values, after a shape check. */
export function maxAbsDiff(actual: tf.Tensor, expected: GoldenTensor | tf.Tensor): number {
  const shape = expected instanceof tf.Tensor ? expected.shape : expected.shape;
  if (actual.shape.join() !== shape.join()) {
    throw new AssertionError(`shape [${actual.shape}] != expected [${shape}]`);
  }
  const a = actual.dataSync();
  const e = expected instanceof tf.Tensor ? expected.dataSync() : expected.data;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Asserts every element is within `tol` of the reference (absolute). */
export function assertClose(
  actual: tf.Tensor,
  expected: GoldenTensor | tf.Tensor,
  tol = 1e-4,
  what = "tensor",
): void {
  const d = maxAbsDiff(actual, expected);
  if (!(d <= tol)) throw new AssertionError(`${what}: max |diff| ${d.toExponential(3)} > ${tol}`);
}

/** Asserts integer tensors are exactly equal. */
export function assertSameInts(actual: tf.Tensor, expected: GoldenTensor, what = "indices") {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new AssertionError(`${what}: shape [${actual.shape}] != expected [${expected.shape}]`);
  }
  const a = actual.dataSync();
  const bad = expected.data.findIndex((v, i) => v !== a[i]);
  if (bad >= 0) {
    throw new AssertionError(
      `${what}: element ${bad} is ${a[bad]}, expected ${expected.data[bad]}`,
    );
  }
}
