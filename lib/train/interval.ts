/**
 * Means over seeds with their 95 % interval (Student's t), and the one rule every verdict
 * between two configurations follows: one "wins" only where the two intervals do not overlap;
 * otherwise the difference is "within noise".
 */
import { InputError } from "../core/errors.ts";

/**
 * Student's t at 0.975 for `df` degrees of freedom (≥ 1): the factor of a two-sided 95 %
 * interval (beyond 30, the value at 30: slightly wide; an `InputError` below 1).
 */
export function t975(df: number): number {
  if (!(df >= 1) || !Number.isInteger(df)) {
    throw new InputError(`t975 needs whole degrees of freedom ≥ 1, got ${df}`);
  }
  return T975[Math.min(df, T975.length) - 1];
}

/** A mean over repeats (seeds) with its two-sided 95 % confidence interval. */
export interface MeanInterval {
  /** The mean of the values. */
  mean: number;
  /** Half the interval's width: `t(0.975, n − 1) · s / √n` (∞ for one value). */
  half: number;
  /** `mean − half`. */
  low: number;
  /** `mean + half`. */
  high: number;
  /** The values, in order. */
  values: number[];
}

/** Student's t at 0.975 for 1 … 30 degrees of freedom. */
const T975 = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.160,
  2.145,
  2.131,
  2.120,
  2.110,
  2.101,
  2.093,
  2.086,
  2.080,
  2.074,
  2.069,
  2.064,
  2.060,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
];

/**
 * The mean of `values` and its 95 % interval under a normal model of the repeats (Student's t
 * with n − 1 degrees of freedom).
 *
 * @example
 * ```ts
 * import { meanInterval } from "vqvar";
 * import { assertAlmostEquals } from "@std/assert";
 * const fid = meanInterval([4.1, 4.5, 4.3]); // three seeds
 * assertAlmostEquals(fid.mean, 4.3);
 * assertAlmostEquals(fid.half, 4.303 * 0.2 / Math.sqrt(3), 1e-9);
 * ```
 */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0 || values.some((v) => !Number.isFinite(v))) {
    throw new InputError(`meanInterval needs finite numbers, got [${values}]`);
  }
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : Infinity;
  const t = n > 1 ? t975(n - 1) : Infinity;
  const half = n > 1 ? t * Math.sqrt(variance / n) : Infinity;
  return { mean, half, low: mean - half, high: mean + half, values: [...values] };
}

/** How two intervals compare on a measure where `better` says which direction wins. */
export type Verdict = "a wins" | "b wins" | "within noise";

/**
 * The verdict between `a` and `b`: one wins only where the intervals are apart (the better
 * one's whole interval beyond the other's); otherwise "within noise".
 *
 * @example
 * ```ts
 * import { meanInterval, verdict } from "vqvar";
 * import { assertEquals } from "@std/assert";
 * const a = meanInterval([2.0, 2.2, 2.1]), b = meanInterval([4.4, 4.6, 4.5]);
 * assertEquals(verdict(a, b, "lower"), "a wins"); // FID: lower is better
 * assertEquals(verdict(a, meanInterval([2.1, 2.5, 1.9]), "lower"), "within noise");
 * ```
 */
export function verdict(a: MeanInterval, b: MeanInterval, better: "lower" | "higher"): Verdict {
  if (a.high < b.low) return better === "lower" ? "a wins" : "b wins"; // a wholly below b
  if (b.high < a.low) return better === "lower" ? "b wins" : "a wins"; // b wholly below a
  return "within noise";
}

/** `mean ± half` with `digits` decimals, e.g. `4.30 ± 0.50`. */
export function formatInterval(m: MeanInterval, digits = 2): string {
  return `${m.mean.toFixed(digits)} ± ${m.half.toFixed(digits)}`;
}
