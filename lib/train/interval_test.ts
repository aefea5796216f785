import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { meanInterval, verdict } from "./interval.ts";

Deno.test("meanInterval: Student's t interval of the mean; one value has no interval", () => {
  const m = meanInterval([1, 2, 3, 4, 5]);
  assertAlmostEquals(m.mean, 3);
  assertAlmostEquals(m.half, 2.776 * Math.sqrt(2.5 / 5), 1e-9);
  assertEquals(meanInterval([7]).half, Infinity);
  assertThrows(() => meanInterval([]), Error, "finite");
  assertThrows(() => meanInterval([1, NaN]), Error, "finite");
});

Deno.test("verdict: a win only where the intervals are apart, in the measure's direction", () => {
  const low = meanInterval([1, 1.1, 0.9]), high = meanInterval([3, 3.1, 2.9]);
  assertEquals(verdict(low, high, "lower"), "a wins");
  assertEquals(verdict(low, high, "higher"), "b wins");
  assertEquals(verdict(high, low, "lower"), "b wins");
  assertEquals(verdict(high, low, "higher"), "a wins");
  assertEquals(verdict(low, meanInterval([1.2, 0.5, 2]), "lower"), "within noise");
});
