import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { InputError } from "../core/errors.ts";
import { t975 } from "./interval.ts";
import { lineFit, powerLawAt, powerLawFit } from "./power_law.ts";

Deno.test("lineFit: slope, intercept, r and the slope's interval against a hand computation", () => {
  // x: 1..5, y = 2x + noise; values worked out by hand (numpy.polyfit agrees)
  const xs = [1, 2, 3, 4, 5], ys = [2.1, 3.9, 6.2, 7.8, 10.1];
  const f = lineFit(xs, ys);
  assertAlmostEquals(f.slope, 1.99, 1e-12); // Sxy 19.9 / Sxx 10
  assertAlmostEquals(f.intercept, 6.02 - 1.99 * 3, 1e-12);
  const residual = ys.reduce((a, y, i) => a + (y - f.intercept - f.slope * xs[i]) ** 2, 0);
  assertAlmostEquals(f.slopeHalf, 3.182 * Math.sqrt(residual / 3 / 10), 1e-12);
  assertAlmostEquals(f.r, 19.9 / Math.sqrt(10 * 39.708), 1e-12);
  assertEquals(f.n, 5);
});

Deno.test("lineFit: two points fit exactly with an unbounded interval; bad input is refused", () => {
  const f = lineFit([0, 2], [1, 5]);
  assertEquals([f.slope, f.intercept, f.r, f.slopeHalf], [2, 1, 1, Infinity]);
  assertThrows(() => lineFit([1], [1]), InputError, "two or more");
  assertThrows(() => lineFit([1, 2], [1]), InputError);
  assertThrows(() => lineFit([1, 1, 1], [1, 2, 3]), InputError, "every x is the same");
  assertThrows(() => lineFit([1, NaN], [1, 2]), InputError);
});

Deno.test("powerLawFit recovers a power law's exponent and coefficient; r is −1 for a falling one", () => {
  const n = [1.26e5, 5.5e5, 1.7e6, 5.0e6];
  const loss = n.map((x) => 12 * x ** -0.12);
  const f = powerLawFit(n, loss);
  assertAlmostEquals(f.exponent, -0.12, 1e-12);
  assertAlmostEquals(f.coefficient, 12, 1e-9);
  assertAlmostEquals(f.r, -1, 1e-12);
  assertAlmostEquals(f.exponentHalf, 0, 1e-9);
  assertAlmostEquals(powerLawAt(f, 1e7), 12 * 1e7 ** -0.12, 1e-9);
  assertThrows(() => powerLawFit([1, 2], [0, 1]), InputError, "positive");
});

Deno.test("t975: Student's t table, the 30-df value beyond, refuses df < 1", () => {
  assertEquals([t975(1), t975(2), t975(30), t975(100)], [12.706, 4.303, 2.042, 2.042]);
  assertThrows(() => t975(0), InputError);
  assertThrows(() => t975(1.5), InputError);
});
