/**
 * `deno task var:compare`'s report: what it measured (types), the two orders at equal steps,
 * and the report as Markdown tables.
 */
import type { ImageSetQuality } from "../../lib/train/generator_quality.ts";
import type { SamplingSpeed, Spread } from "../../lib/train/sampling_speed.ts";

/** A tokenizer's ceiling: its reconstructions measured as samples are. */
export interface TokenizerResult extends ImageSetQuality {
  dir: string;
  order: string;
  tokensPerImage: number;
  psnr: number;
  perplexity: number;
  usage: number;
}

/** A measured point: a model of a run at a step, at one guidance weight. */
export interface Point extends ImageSetQuality {
  step: number;
  minutes: number;
  cfg: number;
  samplesPerSecond: number;
}

/** Everything measured of one run. */
export interface RunResult {
  run: string;
  order: string;
  seed: number;
  tokenizer: string;
  tokenizerFrom: string;
  parameters: number;
  steps: number;
  minutes: number;
  testLoss: number;
  tokensPerImage: number;
  /** Training sequences per second over the run's metrics windows. */
  sequencesPerSecond: Spread;
  /** The final model at each guidance weight measured. */
  guidance: Point[];
  /** The snapshots and the final model at the curve's guidance weight, in step order. */
  curve: Point[];
  /** The final model's sampling speed at each batch size. */
  speed: SamplingSpeed[];
}

/** What the whole comparison measured. */
export interface Measured {
  floor: number;
  testImages: number;
  samples: number;
  topP: number;
  seed: number;
  curveCfg: number;
  tokenizers: TokenizerResult[];
  results: RunResult[];
}

/** The measurements of both orders at the step counts where each has a copy. */
export function equalSteps(results: RunResult[]) {
  const byOrder = (order: string) => results.filter((r) => r.order === order);
  const steps = new Set(byOrder("next-scale").flatMap((r) => r.curve.map((p) => p.step)));
  const shared = [...new Set(byOrder("raster").flatMap((r) => r.curve.map((p) => p.step)))]
    .filter((s) => steps.has(s)).sort((a, b) => a - b);
  const at = (order: string, step: number) => {
    for (const r of byOrder(order)) {
      const p = r.curve.find((p) => p.step === step);
      if (p) return { run: r.run, ...p };
    }
  };
  return shared.map((step) => ({
    step,
    "next-scale": at("next-scale", step)!,
    raster: at("raster", step)!,
  }));
}

/** report.json of `deno task var:compare`. */
export interface CompareReport {
  backend: string;
  versions: Record<string, unknown>;
  cpu: string;
  cpuFlags: string[];
  cores: number;
  command: string;
  judge: string;
  fidFloor: number;
  testImages: number;
  samples: number;
  topP: number;
  seed: number;
  curveCfg: number;
  /** Per order: its tokenizer's ceiling and its runs. */
  orders: Record<string, { tokenizer?: TokenizerResult; runs: RunResult[] }>;
  equalSteps: ReturnType<typeof equalSteps>;
}

const f2 = (x: number) => x.toFixed(2);
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** A Markdown table: header cells, alignment (`l`/`r` per column), rows. */
function md(header: string[], align: string, rows: (string | number)[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${[...align].map((a) => a === "r" ? "---:" : "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

/** "min / median / max" with `digits` decimals. */
const spreadText = (s: Spread, digits: number) =>
  [s.min, s.median, s.max].map((v) => v.toFixed(digits)).join(" / ");

/** FID, precision, recall and agreement, formatted. */
const quality = (
  q: ImageSetQuality,
) => [f2(q.fid), f3(q.precision), f3(q.recall), pct(q.agreement)];

/** The tokenizers' ceilings. */
function tokenizerTable(r: CompareReport): string {
  return md(
    [
      "order",
      "tokenizer",
      "tokens per image",
      "FID",
      "precision",
      "recall",
      "agreement",
      "PSNR (dB)",
      "perplexity",
      "usage",
    ],
    "llrrrrrrrr",
    Object.entries(r.orders).filter(([, o]) => o.tokenizer).map(([order, { tokenizer: t }]) => [
      order,
      t!.dir,
      t!.tokensPerImage,
      ...quality(t!),
      f2(t!.psnr),
      t!.perplexity.toFixed(0),
      pct(t!.usage),
    ]),
  );
}

/** The final models at each guidance weight, and every run's curve. */
function runTables(runs: RunResult[]): [string, string] {
  return [
    md(
      [
        "order",
        "run",
        "seed",
        "steps",
        "minutes",
        "training seq/s (min / median / max)",
        "w",
        "FID",
        "precision",
        "recall",
        "agreement",
        "samples/s",
      ],
      "llrrrrrrrrrr",
      runs.flatMap((run) =>
        run.guidance.map((p) => [
          run.order,
          run.run,
          run.seed,
          run.steps,
          run.minutes.toFixed(1),
          spreadText(run.sequencesPerSecond, 0),
          p.cfg,
          ...quality(p),
          p.samplesPerSecond.toFixed(0),
        ])
      ),
    ),
    md(
      ["order", "run", "step", "minutes", "FID", "precision", "recall", "agreement"],
      "llrrrrrr",
      runs.flatMap((run) =>
        run.curve.map((p) => [run.order, run.run, p.step, p.minutes.toFixed(1), ...quality(p)])
      ),
    ),
  ];
}

/** Both orders at equal steps. */
function equalStepsTable(r: CompareReport): string {
  const side = (
    p: Point,
  ) => [p.minutes.toFixed(1), f2(p.fid), `${f3(p.precision)} / ${f3(p.recall)}`];
  return md(
    [
      "step",
      "next-scale minutes",
      "next-scale FID",
      "next-scale P / R",
      "raster minutes",
      "raster FID",
      "raster P / R",
    ],
    "rrrrrrr",
    r.equalSteps.map((e) => [e.step, ...side(e["next-scale"]), ...side(e.raster)]),
  );
}

/** Sampling time per batch size. */
function speedTable(runs: RunResult[]): string {
  return md(
    [
      "order",
      "run",
      "batch",
      "passes per image",
      "token positions per image",
      "ms per call (min / median / max)",
      "images/s",
    ],
    "llrrrrr",
    runs.flatMap((run) =>
      run.speed.map((s) => [
        run.order,
        run.run,
        s.batch,
        s.passesPerImage,
        s.tokenPositionsPerImage,
        [s.msPerBatch.min, s.msPerBatch.median, s.msPerBatch.max].map((v) => v.toFixed(1)).join(
          " / ",
        ),
        s.imagesPerSecond.toFixed(1),
      ])
    ),
  );
}

/** The report as Markdown: ceilings, guidance, curves, equal steps, speed, floor and CPU. */
export function compareTable(r: CompareReport): string {
  const runs = Object.values(r.orders).flatMap((o) => o.runs);
  const [finals, curves] = runTables(runs);
  return [
    `## Tokenizers: the ceiling (their reconstructions of the first ${r.samples} test images)`,
    "",
    tokenizerTable(r),
    "",
    `## Final models (${r.samples} samples each, top-p ${r.topP})`,
    "",
    finals,
    "",
    `## Along each run (w = ${r.curveCfg})`,
    "",
    curves,
    "",
    `## Equal steps (w = ${r.curveCfg})`,
    "",
    equalStepsTable(r),
    "",
    `## Sampling speed (final models, w = ${r.curveCfg}: every pass on 2 × batch rows)`,
    "",
    speedTable(runs),
    "",
    `Real-data floor: FID of ${r.testImages} training images against the ${r.testImages} test images: ${
      f2(r.fidFloor)
    }.`,
    "",
    `Measured on ${r.cpu} (${r.cores} cores; ${
      r.cpuFlags.join(", ")
    }), backend ${r.backend}: \`${r.command}\``,
  ].join("\n");
}
