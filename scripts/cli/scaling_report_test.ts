import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { InputError } from "../../lib/core/errors.ts";
import { type Order, type ScalingPoint, summarizeScaling } from "./scaling_report.ts";
import { scalingTable } from "./scaling_table.ts";

/** Raster's FID coefficient: the laws of the first test meet at 1e16 FLOPs. */
const RASTER_A = 1e4 * 1e16 ** -0.2;

/** Points that follow known laws: loss = 10·N^−0.1, FID = f·C^k per order, ±1 % by seed. */
function synthetic(kNext: number, kRaster: number, rasterA = RASTER_A): ScalingPoint[] {
  const points: ScalingPoint[] = [];
  for (const order of ["next-scale", "raster"] as Order[]) {
    for (const depth of [1, 2, 3, 4]) {
      const parameters = 1e5 * 2.5 ** depth * (order === "raster" ? 0.99 : 1);
      const perStep = 6 * 64 * parameters * (order === "raster" ? 49 : 104);
      for (const seed of [0, 1]) {
        for (const step of [200, 400, 800]) {
          const jitter = seed === 0 ? 1.01 : 0.99, flops = step * perStep;
          const fid = order === "raster" ? rasterA * flops ** kRaster : 1e4 * flops ** kNext;
          points.push({
            config: `${order}-d${depth}`,
            order,
            depth,
            width: 64 * depth,
            parameters,
            seed,
            step,
            flops,
            testLoss: 10 * parameters ** -0.1 * jitter,
            lastScaleLoss: 12 * parameters ** -0.12,
            fid: fid * jitter,
            precision: 0.8,
            recall: order === "raster" ? 0.6 : 0.3 + 0.01 * depth,
            agreement: 0.8,
          });
        }
      }
    }
  }
  return points;
}

Deno.test("summarizeScaling: means by budget, the fits recover the laws, the orders by size", () => {
  const speeds = [1, 2, 3, 4].flatMap((d) => [
    { config: `next-scale-d${d}`, msPerImage: { min: 9, median: 10 * d, max: 11 * d } },
    { config: `raster-d${d}`, msPerImage: { min: 50, median: 60 * d, max: 70 * d } },
  ]);
  const s = summarizeScaling(synthetic(-0.3, -0.1), 800, speeds);
  assertEquals(s.sizes.length, 8);
  const d1 = s.sizes.find((x) => x.config === "next-scale-d1")!;
  assertEquals(d1.budgets.map((b) => b.step), [200, 400, 800]);
  assertEquals(d1.budgets[0].seeds, [0, 1]);
  assertAlmostEquals(d1.budgets[2].testLoss.mean, 10 * 2.5e5 ** -0.1, 1e-9); // ±1 % averages out
  assert(d1.budgets[2].testLoss.half > 0);
  assertAlmostEquals(d1.flopsPerStep, 6 * 64 * 2.5e5 * 104, 1e-3);
  const f = s.fits["next-scale"];
  assertAlmostEquals(f.lossVsParameters.exponent, -0.1, 1e-9);
  assertAlmostEquals(f.lastScaleLossVsParameters.exponent, -0.12, 1e-9);
  assertAlmostEquals(f.fidVsCompute.exponent, -0.3, 1e-9);
  assertAlmostEquals(s.fits.raster.fidVsCompute.exponent, -0.1, 1e-9);
  assert(f.lossVsParameters.r < -0.99);
  assertEquals(f.lossVsParameters.n, 8); // 4 sizes × 2 seeds at the last budget
  // FID falls with compute alone: every (size, budget) mean is on the frontier; the loss with
  // size alone: the frontier is each size's first copy, where C ∝ N
  assertEquals(f.fidVsCompute.n, 12);
  assertEquals(f.lossVsCompute.n, 4);
  assertAlmostEquals(f.lossVsCompute.exponent, -0.1, 1e-9);
  // the orders by size: recall gap 0.3 − 0.01·depth, speed ratio 6 at every size
  assertEquals(s.gap.map((g) => g.depth), [1, 2, 3, 4]);
  s.gap.forEach((g) => assertAlmostEquals(g.recallGap.mean, 0.3 - 0.01 * g.depth, 1e-9));
  s.gap.forEach((g) => assertAlmostEquals(g.speedRatio!, 6, 1e-12));
  assertAlmostEquals(s.recallGapTrend.slope, -0.01 / Math.log2(2.5), 1e-9);
  assertAlmostEquals(s.speedRatioTrend!.exponent, 0, 1e-9);
  // next-scale (104 tokens) at 400 steps spends 1.06× raster's (49 tokens) 800
  const e = s.equalCompute.find((x) => x.depth === 2 && x.nextScale.step === 400)!;
  assertEquals(e.raster.step, 800);
  assertAlmostEquals(e.computeRatio, 104 / 49 / 2 / 0.99, 1e-9);
  // 1e4·C^−0.3 = RASTER_A·C^−0.1 at C = 1e16: beyond the measured compute (≤ 1.3e14)
  assertAlmostEquals(s.crossing.exponentDifference, -0.2, 1e-9);
  assertAlmostEquals(Math.log(s.crossing.flops!), Math.log(1e16), 1e-6);
  assertEquals(s.crossing.where, "extrapolated");
  assertAlmostEquals(s.crossing.parameters! / (1e16 / 800 / (6 * 64 * 104)), 1, 1e-6);
  assertAlmostEquals(s.crossing.speedRatio!, 6, 1e-9);
  const [low, high] = s.crossing.flopsRange!; // ±1 % noise: a narrow range about 1e16
  assert(
    low <= s.crossing.flops! && s.crossing.flops! <= high && high < 1e17 && low > 1e15,
    `${low} ${high}`,
  );
  assertEquals(s.crossing.fiveTimesFaster, true);
  const shipped = { ...synthetic(-0.3, -0.1)[0], config: "data/var/x", step: 5567, fid: 1.88 };
  const table = scalingTable({
    ...s,
    steps: 800,
    seeds: [0, 1],
    samples: 1000,
    cpu: "test",
    references: [shipped],
  });
  assert(table.includes("| data/var/x | next-scale | 0.25 M | 5567 |"), table);
  assert(table.includes("| next-scale-d4 |"), table);
  assert(table.includes("the laws meet beyond it at 1.00e+16 FLOPs"), table);
});

Deno.test("summarizeScaling: laws that do not close meet nowhere ahead", () => {
  const s = summarizeScaling(synthetic(-0.1, -0.3), 800);
  assertEquals(s.crossing.where, "none");
  assertEquals(s.crossing.flops, undefined);
  assertEquals(s.speedRatioTrend, undefined);
});

Deno.test("summarizeScaling: speed ratios timed in turns take the place of the medians' ratio", () => {
  const speeds = [1, 2, 3, 4].flatMap((d) => [
    { config: `next-scale-d${d}`, msPerImage: { min: 9, median: 10, max: 11 } },
    { config: `raster-d${d}`, msPerImage: { min: 50, median: 60, max: 70 } },
  ]);
  const ratios = [{ depth: 2, ratio: { min: 4.5, median: 5.5, max: 6 } }];
  const s = summarizeScaling(synthetic(-0.3, -0.1), 800, speeds, ratios);
  assertEquals(s.gap.map((g) => g.speedRatio), [6, 5.5, 6, 6]);
  assertEquals(s.gap[1].speedRatioSpread, { min: 4.5, median: 5.5, max: 6 });
  assertEquals(s.gap[0].speedRatioSpread, undefined);
});

Deno.test("summarizeScaling: one order alone is refused in a line", () => {
  const only = synthetic(-0.3, -0.1).filter((p) => p.order === "next-scale");
  assertThrows(() => summarizeScaling(only, 800), InputError, "raster has 0");
});

Deno.test("summarizeScaling: next-scale's law already below raster's at the largest compute", () => {
  const s = summarizeScaling(synthetic(-0.3, -0.1, 1e3), 800); // raster 10× higher throughout
  assertEquals(s.crossing.where, "already");
  assertEquals(s.crossing.flops, undefined);
});
