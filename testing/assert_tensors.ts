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

/**
 * Runs `compute` (a list of outputs as numbers) on the backend in use and again on the cpu
 * backend, and asserts each output agrees within `relTol` of its largest absolute value (at
 * least `minScale`). Checks kernels this project swaps into the tensorflow backend.
 */
export async function assertAgreesOnCpu(
  compute: () => number[][],
  { relTol = 1e-5, minScale = 0 } = {},
): Promise<void> {
  const backend = tf.getBackend();
  const ours = compute();
  await tf.setBackend("cpu");
  let reference: number[][];
  try {
    reference = compute();
  } finally {
    await tf.setBackend(backend);
  }
  const lengths = (xs: number[][]) => xs.map((a) => a.length).join();
  if (lengths(ours) !== lengths(reference)) {
    throw new AssertionError(`output sizes [${lengths(ours)}] != cpu's [${lengths(reference)}]`);
  }
  ours.forEach((a, i) => {
    const scale = Math.max(minScale, ...reference[i].map(Math.abs));
    const worst = Math.max(...a.map((v, j) => Math.abs(v - reference[i][j])));
    if (!(worst <= relTol * scale)) {
      throw new AssertionError(`output ${i}: off by ${worst} (scale ${scale})`);
    }
  });
}
