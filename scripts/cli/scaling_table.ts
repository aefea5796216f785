/**
 * The scaling report as Markdown (`scaling.md` beside `scaling.json`): each size's budgets, the
 * fits, the orders by size, and the equal-compute pairs.
 */
import { formatInterval } from "../../lib/train/interval.ts";
import type { LineFit, PowerLawFit } from "../../lib/train/power_law.ts";
import type { ScalingPoint, ScalingSummary } from "./scaling_report.ts";

/** What the table needs of the report. */
export type ScalingTableInput = ScalingSummary & {
  steps: number;
  seeds: number[];
  samples: number;
  cpu: string;
  /** Other generators measured the same way (`--references`), one model each. */
  references?: ScalingPoint[];
};

const millions = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toPrecision(3)} billion` : `${(n / 1e6).toFixed(2)} M`;
const exp = (n: number) => n.toExponential(2);

/** `k ± h (r = …, n = …)` for a power law. */
export function formatPowerLaw(f: PowerLawFit): string {
  return `exponent ${f.exponent.toFixed(3)} ± ${f.exponentHalf.toFixed(3)}, r ${
    f.r.toFixed(3)
  }, n ${f.n}`;
}

/** `slope ± h (r, n)` for a line. */
export function formatLine(f: LineFit, digits = 3): string {
  return `slope ${f.slope.toFixed(digits)} ± ${f.slopeHalf.toFixed(digits)}, r ${
    f.r.toFixed(3)
  }, n ${f.n}`;
}

/** The Markdown tables of the report. */
export function scalingTable(r: ScalingTableInput): string {
  return [
    ...sizeLines(r),
    ...fitLines(r),
    ...gapLines(r),
    ...equalComputeLines(r),
    ...referenceLines(r.references ?? []),
  ].join("\n");
}

function referenceLines(refs: ScalingPoint[]): string[] {
  if (refs.length === 0) return [];
  return [
    "",
    "### Other generators, measured the same way (one model each)",
    "",
    "| generator | order | parameters | steps | test loss | FID | precision | recall |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...refs.map((p) =>
      `| ${p.config} | ${p.order} | ${millions(p.parameters)} | ${p.step} | ${
        p.testLoss.toFixed(3)
      } | ${p.fid.toFixed(2)} | ${p.precision.toFixed(3)} | ${p.recall.toFixed(3)} |`
    ),
  ];
}

function sizeLines(r: ScalingTableInput): string[] {
  const lines = [
    `${r.steps} steps per run with copies along it, seeds ${r.seeds.join(", ")}; ${r.samples} ` +
    `samples per FID; mean ± half the 95 % interval over seeds (Student's t). CPU: ${r.cpu}.`,
    "",
    "| config | parameters | step | training FLOPs | test loss | last-scale loss | FID | precision | recall | ms per image (batch 1) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const s of r.sizes) {
    for (const b of s.budgets) {
      const ms = s.msPerImage && b === s.budgets.at(-1)
        ? `${s.msPerImage.median.toFixed(1)} (${s.msPerImage.min.toFixed(1)}–${
          s.msPerImage.max.toFixed(1)
        })`
        : "";
      lines.push(
        `| ${s.config} | ${millions(s.parameters)} | ${b.step} | ${exp(b.flops)} | ${
          formatInterval(b.testLoss, 3)
        } | ${formatInterval(b.lastScaleLoss, 3)} | ${formatInterval(b.fid)} | ${
          formatInterval(b.precision, 3)
        } | ${formatInterval(b.recall, 3)} | ${ms} |`,
      );
    }
  }
  return lines;
}

function fitLines(r: ScalingTableInput): string[] {
  const lines = ["", "### Power laws (y = a · x^k, fitted on log–log axes)", ""];
  lines.push("| order | fit | exponent, r, points |", "| --- | --- | --- |");
  for (const [order, f] of Object.entries(r.fits)) {
    for (const [name, fit] of Object.entries(f)) {
      lines.push(`| ${order} | ${name} | ${formatPowerLaw(fit as PowerLawFit)} |`);
    }
  }
  return lines;
}

function gapLines(r: ScalingTableInput): string[] {
  const lines = ["", `### The orders by size (at ${r.steps} steps, paired by seed)`, ""];
  lines.push(
    "| depth | next-scale parameters | FID ratio (next-scale ÷ raster) | recall gap (raster − next-scale) | speed ratio at batch 1 (raster ÷ next-scale time; min–max over rounds in turns) |",
    "| --- | --- | --- | --- | --- |",
  );
  for (const g of r.gap) {
    lines.push(
      `| ${g.depth} | ${millions(g.parameters)} | ${formatInterval(g.fidRatio)} | ${
        formatInterval(g.recallGap, 3)
      } | ${g.speedRatio?.toFixed(2) ?? ""}${
        g.speedRatioSpread
          ? ` (${g.speedRatioSpread.min.toFixed(2)}–${g.speedRatioSpread.max.toFixed(2)})`
          : ""
      } |`,
    );
  }
  lines.push(
    "",
    `FID ratio against parameters: ${formatPowerLaw(r.fidRatioTrend)}. Recall gap per doubling ` +
      `of parameters: ${formatLine(r.recallGapTrend)}.` +
      (r.speedRatioTrend
        ? ` Speed ratio against parameters: ${formatPowerLaw(r.speedRatioTrend)}.`
        : ""),
  );
  return lines;
}

function equalComputeLines(r: ScalingTableInput): string[] {
  const lines = [
    "",
    "### Nearest to equal training compute",
    "",
    "| depth | next-scale step | raster step | compute ratio | next-scale FID | raster FID | next-scale recall | raster recall |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const e of r.equalCompute) {
    lines.push(
      `| ${e.depth} | ${e.nextScale.step} | ${e.raster.step} | ${e.computeRatio.toFixed(2)} | ${
        formatInterval(e.nextScale.fid)
      } | ${formatInterval(e.raster.fid)} | ${formatInterval(e.nextScale.recall, 3)} | ${
        formatInterval(e.raster.recall, 3)
      } |`,
    );
  }
  lines.push("", crossingLine(r));
  return lines;
}

/** The sentence on where the FID-against-compute laws meet. */
function crossingLine(r: ScalingTableInput): string {
  const c = r.crossing;
  const head = `FID against compute (frontier fits), next-scale's exponent − raster's: ${
    c.exponentDifference.toFixed(3)
  } ± ${c.exponentDifferenceHalf.toFixed(3)}; `;
  if (c.where === "already") {
    return head + "next-scale's fitted FID is already at or below raster's at the largest compute.";
  }
  if (c.where === "none") {
    return head + "the laws do not meet ahead (next-scale's does not fall faster).";
  }
  const [low, high] = c.flopsRange!;
  const range = low === 0 || !Number.isFinite(high)
    ? "not pinned down over the exponents' intervals"
    : `${exp(low)} to ${exp(high)} over the exponents' intervals`;
  const speed = c.speedRatio === undefined ? "" : `; speed ratio there ${c.speedRatio.toFixed(2)}`;
  return head +
    `the laws meet ${c.where === "measured" ? "within the measured compute" : "beyond it"}` +
    ` at ${exp(c.flops!)} FLOPs (${range}; a next-scale model of ${millions(c.parameters!)} ` +
    `parameters in ${r.steps} steps${speed}).`;
}
