/**
 * The scaling study's report from its measured points (`deno task var:scaling`): per order and
 * size, each budget's means over seeds with 95 % intervals; per order, power laws of test loss
 * against parameters and against training compute (VAR's Fig. 5, small) and of FID against
 * both; between the orders, the FID ratio and the recall gap against size with their trends,
 * the pairs nearest to equal compute, and where the two FID-against-compute laws would meet.
 */
import { InputError } from "../../lib/core/errors.ts";
import { type MeanInterval, meanInterval } from "../../lib/train/interval.ts";
import {
  type LineFit,
  lineFit,
  powerLawAt,
  type PowerLawFit,
  powerLawFit,
} from "../../lib/train/power_law.ts";
import type { Spread } from "../../lib/train/sampling_speed.ts";

/** The two orders of the study. */
export const ORDERS = ["next-scale", "raster"] as const;
/** One of {@link ORDERS}. */
export type Order = typeof ORDERS[number];

/** One model measured: a size and order, at a seed, after `step` steps. */
export interface ScalingPoint {
  config: string;
  order: Order;
  depth: number;
  width: number;
  parameters: number;
  seed: number;
  step: number;
  /** Training compute so far: step × FLOPs of a step (bench/flops.ts). */
  flops: number;
  /** Test cross-entropy, nats per token, on the test images (all 10,000 by default). */
  testLoss: number;
  /**
   * The same over the last scale's tokens (VAR's L_last): next-scale's 7×7 scale; raster order
   * over single-scale tokens has one 7×7 map, so its test loss.
   */
  lastScaleLoss: number;
  fid: number;
  precision: number;
  recall: number;
  agreement: number;
}

/** A depth's raster ÷ next-scale time per image, over rounds timed in turns. */
export interface SpeedRatio {
  depth: number;
  ratio: Spread;
}

/** A size's sampling time for one image (the final model of the sweep's first seed). */
export interface ScalingSpeed {
  config: string;
  msPerImage: Spread;
}

const MEASURES = [
  "testLoss",
  "lastScaleLoss",
  "fid",
  "precision",
  "recall",
  "agreement",
] as const;
type Measure = typeof MEASURES[number];

/** A size at one budget: means over seeds. */
export type BudgetSummary =
  & { step: number; flops: number; seeds: number[] }
  & Record<
    Measure,
    MeanInterval
  >;

/** One order at one size. */
export interface SizeSummary {
  config: string;
  order: Order;
  depth: number;
  width: number;
  parameters: number;
  flopsPerStep: number;
  budgets: BudgetSummary[];
  /** Milliseconds to sample one image (batch 1), median with min and max. */
  msPerImage?: Spread;
}

/** An order's fits. */
export interface OrderFits {
  /** Test loss against parameters at the last budget, every seed a point. */
  lossVsParameters: PowerLawFit;
  /** The last scale's loss against parameters at the last budget. */
  lastScaleLossVsParameters: PowerLawFit;
  /**
   * Test loss against training compute on the compute-optimal frontier (VAR's C_min): the
   * (size, budget) means each lower than every mean of less compute (all means if fewer than
   * three are), one point each — copies along one run are not independent draws.
   */
  lossVsCompute: PowerLawFit;
  /** FID against parameters at the last budget. */
  fidVsParameters: PowerLawFit;
  /** FID against training compute on its frontier, as `lossVsCompute`. */
  fidVsCompute: PowerLawFit;
}

/** The orders side by side at one depth (each with its own parameter count). */
export interface GapAtSize {
  depth: number;
  parameters: number;
  /** next-scale FID ÷ raster FID at the last budget, paired by seed. */
  fidRatio: MeanInterval;
  /** raster recall − next-scale recall at the last budget, paired by seed. */
  recallGap: MeanInterval;
  /**
   * raster's ÷ next-scale's milliseconds per image at batch 1: the median over rounds timed in
   * turns where there are some (`speedRatioSpread` their min and max), else the medians' ratio.
   */
  speedRatio?: number;
  speedRatioSpread?: Spread;
}

/** The two orders nearest to equal training compute at one depth. */
export interface EqualCompute {
  depth: number;
  nextScale: { step: number; flops: number; fid: MeanInterval; recall: MeanInterval };
  raster: { step: number; flops: number; fid: MeanInterval; recall: MeanInterval };
  /** next-scale's compute ÷ raster's. */
  computeRatio: number;
}

/** Where next-scale's FID-against-compute law meets raster's, if the fits say they meet. */
export interface Crossing {
  /** next-scale's exponent − raster's, with half its 95 % interval (the halves in quadrature). */
  exponentDifference: number;
  exponentDifferenceHalf: number;
  /** Training FLOPs where the two laws give the same FID (absent where they do not meet ahead). */
  flops?: number;
  /**
   * The meeting point's range when each exponent moves within its 95 % interval, each fitted
   * line turning about its points' centre: a rough interval, the two fits' errors taken as
   * independent; [0, ∞] where some such pair does not close (∞ is `null` in scaling.json).
   */
  flopsRange?: [number, number];
  /**
   * Where next-scale's law reaches raster's: next-scale's fitted FID is already at or below
   * raster's at the largest compute measured ("already"); else its law falls faster and meets
   * raster's within the measured compute or beyond it ("extrapolated"); else "none".
   */
  where: "already" | "measured" | "extrapolated" | "none";
  /** Parameters of a next-scale model that spends `flops` in the study's steps (FLOPs per step ∝ N^k, fitted). */
  parameters?: number;
  /** raster ÷ next-scale time per image at that size, from the speed ratio's fit against N. */
  speedRatio?: number;
  /** Whether the speed ratio keeps ≥ 5× there. */
  fiveTimesFaster?: boolean;
}

/** The study's numbers. */
export interface ScalingSummary {
  sizes: SizeSummary[];
  fits: Record<Order, OrderFits>;
  gap: GapAtSize[];
  /** Trend of the FID ratio against next-scale's parameters (power law). */
  fidRatioTrend: PowerLawFit;
  /** Trend of the recall gap per doubling of parameters (slope against log₂ N). */
  recallGapTrend: LineFit;
  /** Trend of the batch-1 speed ratio against parameters (power law). */
  speedRatioTrend?: PowerLawFit;
  equalCompute: EqualCompute[];
  crossing: Crossing;
}

/**
 * Summarises the measured points (and batch-1 speeds) into the report's numbers; `steps` is the
 * runs' last budget. Halves of intervals are ∞ where two points make a fit (`null` in JSON).
 */
export function summarizeScaling(
  points: ScalingPoint[],
  steps: number,
  speeds: ScalingSpeed[] = [],
  ratios: SpeedRatio[] = [],
): ScalingSummary {
  for (const o of ORDERS) {
    const n = new Set(points.filter((p) => p.order === o && p.step === steps).map((p) => p.depth));
    if (n.size < 2) {
      throw new InputError(
        `a scaling report needs both orders at two sizes or more at ${steps} steps; ${o} has ${n.size}`,
      );
    }
  }
  const sizes = summarizeSizes(points, speeds);
  const fits = Object.fromEntries(
    ORDERS.map((o) => [o, orderFits(points, sizes, o, steps)]),
  ) as Record<
    Order,
    OrderFits
  >;
  const pairs = pairedBySeed(points, steps);
  if (new Set(pairs.map((p) => p.ns.depth)).size < 2) {
    throw new InputError(
      `a scaling report needs next-scale and raster at the same depth and seed at two depths or more`,
    );
  }
  const gap = gapAtSizes(sizes, pairs, ratios);
  const fidRatioTrend = powerLawFit(pairs.map((p) => p.ns.parameters), pairs.map((p) => p.ratio));
  const recallGapTrend = lineFit(
    pairs.map((p) => Math.log2(p.ns.parameters)),
    pairs.map((p) => p.recallGap),
  );
  const timed = gap.filter((g) => g.speedRatio !== undefined);
  const speedRatioTrend = timed.length >= 2
    ? powerLawFit(timed.map((g) => g.parameters), timed.map((g) => g.speedRatio!))
    : undefined;
  return {
    sizes,
    fits,
    gap,
    fidRatioTrend,
    recallGapTrend,
    speedRatioTrend,
    equalCompute: equalCompute(sizes),
    crossing: crossing(fits, sizes, steps, speedRatioTrend),
  };
}

function summarizeSizes(points: ScalingPoint[], speeds: ScalingSpeed[]): SizeSummary[] {
  const configs = [...new Set(points.map((p) => p.config))];
  return configs.map((config) => {
    const mine = points.filter((p) => p.config === config);
    const { order, depth, width, parameters } = mine[0];
    const steps = [...new Set(mine.map((p) => p.step))].sort((a, b) => a - b);
    const budgets = steps.map((step) => {
      const at = mine.filter((p) => p.step === step).sort((a, b) => a.seed - b.seed);
      const per = Object.fromEntries(
        MEASURES.map((m) => [m, meanInterval(at.map((p) => p[m]))]),
      ) as Record<Measure, MeanInterval>;
      return { step, flops: at[0].flops, seeds: at.map((p) => p.seed), ...per };
    });
    const b0 = budgets[0];
    return {
      config,
      order,
      depth,
      width,
      parameters,
      flopsPerStep: b0.flops / b0.step,
      budgets,
      msPerImage: speeds.find((s) => s.config === config)?.msPerImage,
    };
  }).sort((a, b) => a.order.localeCompare(b.order) || a.parameters - b.parameters);
}

function orderFits(
  all: ScalingPoint[],
  sizes: SizeSummary[],
  order: Order,
  steps: number,
): OrderFits {
  const last = all.filter((p) => p.order === order && p.step === steps);
  const fit = (ps: ScalingPoint[], y: Measure) =>
    powerLawFit(ps.map((p) => p.parameters), ps.map((p) => p[y]));
  const mine = sizes.filter((s) => s.order === order);
  return {
    lossVsParameters: fit(last, "testLoss"),
    lastScaleLossVsParameters: fit(last, "lastScaleLoss"),
    lossVsCompute: frontierFit(mine, "testLoss"),
    fidVsParameters: fit(last, "fid"),
    fidVsCompute: frontierFit(mine, "fid"),
  };
}

/**
 * A power law through the compute-optimal frontier of `sizes`' budget means: each mean lower
 * than every mean of less compute (VAR's C_min); through all means if the frontier has fewer
 * than three.
 */
function frontierFit(sizes: SizeSummary[], y: Measure): PowerLawFit {
  const means = sizes.flatMap((s) => s.budgets.map((b) => ({ x: b.flops, y: b[y].mean })))
    .sort((a, b) => a.x - b.x);
  let best = Infinity;
  const front = means.filter((p) => p.y < best ? (best = p.y, true) : false);
  const use = front.length >= 3 ? front : means;
  return powerLawFit(use.map((p) => p.x), use.map((p) => p.y));
}

/** next-scale and raster at the same depth and seed, at the last budget. */
function pairedBySeed(points: ScalingPoint[], steps: number) {
  const last = points.filter((p) => p.step === steps);
  return last.filter((p) => p.order === "next-scale").flatMap((ns) => {
    const r = last.find((p) => p.order === "raster" && p.depth === ns.depth && p.seed === ns.seed);
    return r ? [{ ns, ratio: ns.fid / r.fid, recallGap: r.recall - ns.recall }] : [];
  });
}

/** Each depth's pairs (next-scale and raster at one seed) summed up over the seeds. */
function gapAtSizes(
  sizes: SizeSummary[],
  pairs: ReturnType<typeof pairedBySeed>,
  ratios: SpeedRatio[],
): GapAtSize[] {
  return sizes.filter((s) => s.order === "next-scale").flatMap((a) => {
    const b = sizes.find((s) => s.order === "raster" && s.depth === a.depth);
    const mine = pairs.filter((p) => p.ns.depth === a.depth).sort((x, y) => x.ns.seed - y.ns.seed);
    if (!b || mine.length === 0) return [];
    return [{
      depth: a.depth,
      parameters: a.parameters,
      fidRatio: meanInterval(mine.map((p) => p.ratio)),
      recallGap: meanInterval(mine.map((p) => p.recallGap)),
      ...speedRatioAt(a, b, ratios),
    }];
  });
}

/** The raster ÷ next-scale speed ratio at `a`'s depth: timed in turns if it was, else medians. */
function speedRatioAt(a: SizeSummary, b: SizeSummary, ratios: SpeedRatio[]) {
  const turns = ratios.find((r) => r.depth === a.depth);
  if (turns) return { speedRatio: turns.ratio.median, speedRatioSpread: turns.ratio };
  if (!a.msPerImage || !b.msPerImage) return {};
  return { speedRatio: b.msPerImage.median / a.msPerImage.median };
}

/** At each depth, next-scale's budgets against the raster budget nearest in compute. */
function equalCompute(sizes: SizeSummary[]): EqualCompute[] {
  const out: EqualCompute[] = [];
  for (const a of sizes.filter((s) => s.order === "next-scale")) {
    const b = sizes.find((s) => s.order === "raster" && s.depth === a.depth);
    if (!b) continue;
    for (const x of a.budgets) {
      const y = b.budgets.reduce((best, c) =>
        Math.abs(Math.log(c.flops / x.flops)) < Math.abs(Math.log(best.flops / x.flops)) ? c : best
      );
      if (Math.abs(Math.log(y.flops / x.flops)) > Math.log(1.5)) continue; // not near enough
      const side = (s: BudgetSummary) => ({
        step: s.step,
        flops: s.flops,
        fid: s.fid,
        recall: s.recall,
      });
      out.push({
        depth: a.depth,
        nextScale: side(x),
        raster: side(y),
        computeRatio: x.flops / y.flops,
      });
    }
  }
  return out;
}

function crossing(
  fits: Record<Order, OrderFits>,
  sizes: SizeSummary[],
  steps: number,
  speedTrend?: PowerLawFit,
): Crossing {
  const a = fits["next-scale"].fidVsCompute, b = fits.raster.fidVsCompute;
  const difference = a.exponent - b.exponent;
  const half = Math.hypot(a.exponentHalf, b.exponentHalf);
  const base = { exponentDifference: difference, exponentDifferenceHalf: half };
  const measured = sizes.flatMap((s) => s.budgets.map((x) => x.flops));
  const most = Math.max(...measured);
  if (powerLawAt(a, most) <= powerLawAt(b, most)) return { ...base, where: "already" };
  // a·C^ka = b·C^kb  ⇔  ln C = (ln b − ln a) / (ka − kb): ahead of `most` when ka < kb
  if (!(difference < 0)) return { ...base, where: "none" };
  const flops = Math.exp((Math.log(b.coefficient) - Math.log(a.coefficient)) / difference);
  const flopsRange = meetingRange(a, b);
  const where = flops <= most ? "measured" : "extrapolated";
  const ns = sizes.filter((s) => s.order === "next-scale");
  const perStep = powerLawFit(ns.map((s) => s.parameters), ns.map((s) => s.flopsPerStep));
  const parameters = (flops / steps / perStep.coefficient) ** (1 / perStep.exponent);
  const speedRatio = speedTrend ? powerLawAt(speedTrend, parameters) : undefined;
  return {
    ...base,
    flops,
    flopsRange,
    where,
    parameters,
    speedRatio,
    fiveTimesFaster: speedRatio === undefined ? undefined : speedRatio >= 5,
  };
}

/**
 * Where two power laws meet, over their exponents' 95 % intervals (each line turned about its
 * centre): [lowest, highest] compute; the highest is ∞ where a pair does not close.
 */
function meetingRange(a: PowerLawFit, b: PowerLawFit): [number, number] {
  const meets: number[] = [];
  for (const ka of [a.exponent - a.exponentHalf, a.exponent + a.exponentHalf]) {
    for (const kb of [b.exponent - b.exponentHalf, b.exponent + b.exponentHalf]) {
      if (!(ka < kb)) return [0, Infinity]; // some pair of slopes does not close: unbounded
      // ln F = ȳ + k (x − x̄) for each; equal at x = (ȳb − ȳa + ka x̄a − kb x̄b) / (ka − kb)
      const x = (b.logYMean - a.logYMean + ka * a.logXMean - kb * b.logXMean) / (ka - kb);
      meets.push(Math.exp(x));
    }
  }
  return [Math.min(...meets), Math.max(...meets)];
}
