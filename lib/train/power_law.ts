/**
 * Straight-line fits by least squares, and the power law of a scaling study as one on log–log
 * axes: `y = a · x^k` is `log y = log a + k · log x`. VAR's scaling laws (Tian et al. 2024,
 * §5.1, Fig. 5) are such fits of test loss against parameters N and training compute C, written
 * there as `L = (β · X)^α` (`α` is our `exponent`, `β^α` our `coefficient`), with the Pearson
 * correlation of the logs as the measure of how straight the line is.
 */
import { InputError } from "../core/errors.ts";
import { t975 } from "./interval.ts";

/** A least-squares line `y = intercept + slope · x`, with how well it fits. */
export interface LineFit {
  /** The slope. */
  slope: number;
  /** The value at x = 0. */
  intercept: number;
  /** Half the slope's two-sided 95 % interval: `t(0.975, n − 2) · SE(slope)` (∞ for n = 2). */
  slopeHalf: number;
  /** Pearson's correlation of x and y. */
  r: number;
  /** Points fitted. */
  n: number;
  /** The mean of x: the line passes through (xMean, yMean). */
  xMean: number;
  /** The mean of y. */
  yMean: number;
}

/**
 * The least-squares line through `(xs[i], ys[i])`, its slope's 95 % interval (Student's t with
 * n − 2 degrees of freedom, the usual normal-errors model) and Pearson's r. An `InputError` for
 * fewer than two points, lengths that differ, non-finite values, or xs all equal.
 *
 * @example
 * ```ts
 * import { lineFit } from "vqvar";
 * import { assertAlmostEquals } from "@std/assert";
 * const f = lineFit([0, 1, 2, 3], [1, 3, 5, 7.2]);
 * assertAlmostEquals(f.slope, 2.06, 1e-9);
 * assertAlmostEquals(f.r, 0.9997, 1e-4);
 * ```
 */
export function lineFit(xs: readonly number[], ys: readonly number[]): LineFit {
  const n = xs.length;
  if (n !== ys.length || n < 2 || [...xs, ...ys].some((v) => !Number.isFinite(v))) {
    throw new InputError(
      `lineFit needs two or more finite (x, y) pairs, got ${n} xs and ${ys.length} ys`,
    );
  }
  const mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
    syy += (ys[i] - my) ** 2;
  }
  if (sxx === 0) throw new InputError("lineFit: every x is the same; no slope to fit");
  const slope = sxy / sxx;
  const residual = Math.max(0, syy - slope * sxy); // Σ (y − ŷ)²
  const slopeHalf = n > 2 ? t975(n - 2) * Math.sqrt(residual / (n - 2) / sxx) : Infinity;
  const r = syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
  return { slope, intercept: my - slope * mx, slopeHalf, r, n, xMean: mx, yMean: my };
}

/** A power law `y = coefficient · x^exponent`, fitted on log–log axes. */
export interface PowerLawFit {
  /** `k` in `y = a · x^k`: the slope of log y against log x. */
  exponent: number;
  /** Half the exponent's 95 % interval. */
  exponentHalf: number;
  /** `a` in `y = a · x^k`. */
  coefficient: number;
  /** Pearson's r of log x and log y (VAR reports ≈ −0.998 for loss against N). */
  r: number;
  /** Points fitted. */
  n: number;
  /** The mean of ln x: on log–log axes the fitted line passes through (logXMean, logYMean). */
  logXMean: number;
  /** The mean of ln y. */
  logYMean: number;
}

/**
 * Fits `y = a · x^k` by least squares on `ln x`, `ln y` (every value must be positive).
 *
 * @example
 * ```ts
 * import { powerLawFit, powerLawAt } from "vqvar";
 * import { assertAlmostEquals } from "@std/assert";
 * const params = [1e5, 4e5, 1.6e6], loss = params.map((n) => 20 * n ** -0.15);
 * const f = powerLawFit(params, loss);
 * assertAlmostEquals(f.exponent, -0.15, 1e-9);
 * assertAlmostEquals(powerLawAt(f, 6.4e6), 20 * 6.4e6 ** -0.15, 1e-9);
 * ```
 */
export function powerLawFit(xs: readonly number[], ys: readonly number[]): PowerLawFit {
  if ([...xs, ...ys].some((v) => !(v > 0))) {
    throw new InputError("powerLawFit needs positive xs and ys (it fits their logarithms)");
  }
  const f = lineFit(xs.map(Math.log), ys.map(Math.log));
  return {
    exponent: f.slope,
    exponentHalf: f.slopeHalf,
    coefficient: Math.exp(f.intercept),
    r: f.r,
    n: f.n,
    logXMean: f.xMean,
    logYMean: f.yMean,
  };
}

/** The fitted power law's value at `x`: `coefficient · x^exponent`. */
export function powerLawAt(fit: PowerLawFit, x: number): number {
  return fit.coefficient * x ** fit.exponent;
}
