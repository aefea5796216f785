/**
 * `deno task var:scaling --sweep FILE`: the scaling study of notebook 07. Reads a sweep's runs
 * (`deno task var:sweep` trains them: both orders at several sizes, seeds, copies along each
 * run), measures every copy and final model — test loss and the last scale's loss on the test
 * images (all 10,000 unless the sweep's `measure.testImages` says fewer), FID, precision,
 * recall and class agreement of the sweep's samples, as its row for that configuration says —
 * and each size's time to sample one image; then fits the
 * power laws and compares the orders (`scaling_report.ts`). Measurements are kept in the
 * sweep's `out` as they are made, so a stopped report goes on where it stopped. Writes
 * OUT/scaling.json and OUT/scaling.md.
 */
import { InputError } from "../../lib/core/errors.ts";
import { loadFashionMnist } from "../../lib/data/datasets.ts";
import { Classifier, type ClassifierConfig } from "../../lib/models/classifier.ts";
import { VAR, type VARConfig } from "../../lib/models/var.ts";
import type { VQModel } from "../../lib/models/vqvae.ts";
import { loadCheckpoint } from "../../lib/train/checkpoint.ts";
import {
  judgeGenerator,
  type JudgeReference,
  judgeReference,
} from "../../lib/train/generator_quality.ts";
import { SAMPLING_WARMUP, spread } from "../../lib/train/sampling_speed.ts";
import { generateImages } from "../../lib/train/samples.ts";
import { evaluateVAR, tokenize, type TokenSet } from "../../lib/train/var_train.ts";
import { varTrainStepFlops } from "../../bench/flops.ts";
import type { CommandSpec } from "./options.ts";
import { writeJsonAtomic } from "./out.ts";
import { reportHeader } from "./report_header.ts";
import { EXIT_INTERRUPTED, runCommand } from "./run.ts";
import {
  readMeasurements,
  readSweep,
  rowSampling,
  type StudyRow,
  type Sweep,
  sweepOutFile,
} from "./study.ts";
import { findRuns } from "./study_measure.ts";
import {
  type Order,
  type ScalingPoint,
  type ScalingSpeed,
  type SpeedRatio,
  summarizeScaling,
} from "./scaling_report.ts";
import { scalingTable } from "./scaling_table.ts";
import { readVarRun, tokenOrderOf, type VarRun } from "./var_runs.ts";

const spec: CommandSpec = {
  usage: "deno task var:scaling",
  summary: "Measures a scaling sweep's runs (both orders, several sizes, seeds, copies along " +
    "each run): test loss and last-scale loss, FID, precision, recall and agreement of every " +
    "copy, batch-1 sampling time of every size; fits loss and FID against parameters and " +
    "training compute (power laws, Pearson r, 95 % intervals) and compares the orders by size " +
    "(FID ratio, recall gap, equal compute). Writes OUT/scaling.json and OUT/scaling.md.",
  options: [
    { name: "sweep", kind: "text", placeholder: "FILE", help: "the sweep file (JSON)" },
    {
      name: "run-dirs",
      kind: "text",
      placeholder: "DIR,DIR,…",
      help: "more folders to look for the sweep's run folders in (runs made elsewhere)",
    },
    {
      name: "out",
      kind: "text",
      placeholder: "DIR",
      default: "out/scaling",
      help: "output folder",
    },
    {
      name: "references",
      kind: "text",
      placeholder: "DIR,DIR,…",
      help: "other generators (deno task var output folders) to measure the same way, final " +
        "models only, sampled as the sweep's first row: is the largest model the best one?",
    },
    {
      name: "speed-repeats",
      kind: "int",
      min: 1,
      default: "7",
      help: "rounds of timed batch-1 samplings per size, the two orders in turns (after " +
        "three untimed calls each: the step graphs are built by then)",
    },
  ],
  examples: [[
    "deno task var:scaling --sweep data/var/study/scaling-sweep.json --out data/var/study",
    "the study of notebook 07's Scaling section",
  ]],
};

await runCommand(spec, "var:scaling", async ({ options: o, say, signal }) => {
  if (!o.has("sweep")) throw new InputError("--sweep needs a sweep file (see data/var/study)");
  const sweep = await readSweep(o.text("sweep"));
  const dirs = o.has("run-dirs") ? o.text("run-dirs").split(",").filter(Boolean) : [];
  const { found, missing } = await findRuns(sweep, dirs);
  if (missing.length > 0) {
    throw new InputError(
      `${missing.length} runs are not finished (${missing.slice(0, 4).join(", ")}${
        missing.length > 4 ? ", …" : ""
      }): deno task var:sweep --sweep ${o.text("sweep")} trains them`,
    );
  }
  const references = o.has("references") ? o.text("references").split(",").filter(Boolean) : [];
  const jobs = await jobsOf(sweep, found, references);
  const measured = await measureAll(sweep, jobs, say, signal);
  if (!measured) return EXIT_INTERRUPTED;
  const timed = await timeInTurns(sweep, found, o.num("speed-repeats"), say, signal);
  if (!timed) return EXIT_INTERRUPTED;
  const points = measured.filter((p) => found.has(p.config)); // the rest: --references
  const summary = summarizeScaling(points, sweep.steps, timed.speeds, timed.ratios);
  const report = {
    ...(await reportHeader("var:scaling")),
    sweepFile: o.text("sweep"),
    sweep: sweep.description,
    steps: sweep.steps,
    seeds: sweep.seeds,
    samples: sweep.measure.samples,
    judge: sweep.measure.judge,
    speedRepeats: o.num("speed-repeats"),
    minutesPerRun: Object.fromEntries(
      [...found].map(([c, runs]) => [c, runs.map((r) => r.seconds / 60)]),
    ),
    points,
    ...summary,
    references: measured.filter((p) => !found.has(p.config)).map((p) => ({
      ...p,
      sampling: sweep.rows[0],
    })),
  };
  const out = o.text("out");
  await Deno.mkdir(out, { recursive: true });
  const table = scalingTable(report);
  await Deno.writeTextFile(`${out}/scaling.md`, table + "\n");
  // the table as `deno fmt` lays it out (aligned columns), so that a checked-in copy stays clean
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", `${out}/scaling.md`] })
    .output();
  await writeJsonAtomic(`${out}/scaling.json`, report);
  console.log(table);
});

/** A run to measure: which copies, reported under which name, sampled how. */
interface Job {
  config: string;
  run: VarRun;
  row: StudyRow;
  copies: { step: number; dir: string }[];
}

/**
 * The sweep's runs, every copy each, then the `references` (final models only, named by their
 * folders, sampled as the sweep's first row).
 */
async function jobsOf(
  sweep: Sweep,
  found: Map<string, VarRun[]>,
  references: string[],
): Promise<Job[]> {
  const jobs = [...found].flatMap(([config, runs]) =>
    runs.map((run) => ({ config, run, row: rowOf(sweep, config), copies: copiesOf(run) }))
  );
  for (const dir of references) {
    const run = await readVarRun(dir);
    const copies = [{ step: run.steps, dir: `${run.dir}/var` }];
    jobs.push({ config: dir, run, row: sweep.rows[0], copies });
  }
  return jobs;
}

/**
 * Every copy of every job measured (or read from the memo); undefined if Ctrl-C stopped it
 * (what was measured is kept).
 */
async function measureAll(
  sweep: Sweep,
  jobs: Job[],
  say: (line: string) => void,
  signal: AbortSignal,
): Promise<ScalingPoint[] | undefined> {
  const { model: judge } = await loadCheckpoint(
    sweep.measure.judge,
    (c: ClassifierConfig) => new Classifier(c),
  );
  const all = await loadFashionMnist("test");
  const test = all.take(Math.min(sweep.measure.testImages ?? Infinity, all.length));
  const reference = judgeReference(judge, test);
  await Deno.mkdir(sweep.out, { recursive: true });
  const memo: Memo = await readMeasurements(memoPath(sweep));
  const points: ScalingPoint[] = [];
  const tokenSets = new Map<string, TokenSet>();
  try {
    for (const { config, run, row, copies } of jobs) {
      if (signal.aborted) return undefined;
      const { model: tokenizer } = await loadCheckpoint(run.tokenizer);
      try {
        if (!tokenSets.has(run.tokenizer)) {
          say(`tokenizing the ${test.length} test images with ${run.tokenizer}`);
          tokenSets.set(run.tokenizer, tokenize(tokenizer, test));
        }
        const set = tokenSets.get(run.tokenizer)!;
        const ctx = { sweep, row, reference, tokenizer, set, memo };
        for (const copy of copies) points.push(await measureCopy(run, config, copy, ctx, say));
      } finally {
        tokenizer.dispose();
      }
    }
  } finally {
    reference.featuresND.dispose();
    judge.dispose();
  }
  return points;
}

/** The sweep's row for `config`: how its samples are drawn. */
function rowOf(sweep: Sweep, config: string): StudyRow {
  const row = sweep.rows.find((r) => r.config === config);
  if (!row) throw new InputError(`the sweep has no row for config ${config}: how to sample it?`);
  return row;
}

/** A run's copies along the way and its final model, as (step, checkpoint folder). */
function copiesOf(run: VarRun): { step: number; dir: string }[] {
  return [
    ...run.snapshots.map((s) => ({ step: s.step, dir: s.dir })),
    { step: run.steps, dir: `${run.dir}/var` },
  ];
}

type Memo = Map<string, Omit<ScalingPoint, "config" | "order">>;

/** One copy's point: from the memo, or measured and kept there. */
async function measureCopy(
  run: VarRun,
  config: string,
  copy: { step: number; dir: string },
  { sweep, row, reference, tokenizer, set, memo }: {
    sweep: Sweep;
    row: StudyRow;
    reference: JudgeReference;
    tokenizer: VQModel;
    set: TokenSet;
    memo: Memo;
  },
  say: (line: string) => void,
): Promise<ScalingPoint> {
  const { samples, seed, judge, testImages } = sweep.measure;
  const key = JSON.stringify([
    copy.dir,
    copy.step,
    samples,
    seed,
    judge,
    testImages ?? "all",
    row.cfg,
    row.topP,
    row.topK ?? 0,
  ]);
  const order: Order = run.order;
  const known = memo.get(key);
  if (known) return { config, order, ...known };
  const { model } = await loadCheckpoint(copy.dir, (c: VARConfig) => new VAR(c));
  const m = measureModel(model, run, { sweep, row, reference, tokenizer, set });
  model.dispose();
  const batch = run.batch ?? Number(/--batch[=\s]+(\d+)/.exec(run.command ?? "")?.[1] ?? 64); // 64: var's default
  const point = {
    depth: run.config.depth,
    width: run.config.width,
    parameters: run.parameters,
    seed: run.seed,
    step: copy.step,
    flops: copy.step * varTrainStepFlops(run.config, batch).total,
    ...m,
  };
  memo.set(key, point);
  await writeJsonAtomic(memoPath(sweep), Object.fromEntries(memo));
  say(
    `${config} seed ${run.seed} step ${copy.step}: test loss ${m.testLoss.toFixed(3)} ` +
      `(last scale ${m.lastScaleLoss.toFixed(3)}), FID ${m.fid.toFixed(2)}, recall ${
        m.recall.toFixed(3)
      }`,
  );
  return { config, order, ...point };
}

/** A model's test losses on `set` and its samples' FID, precision, recall and agreement. */
function measureModel(
  model: VAR,
  run: VarRun,
  { sweep, row, reference, tokenizer, set }: {
    sweep: Sweep;
    row: StudyRow;
    reference: JudgeReference;
    tokenizer: VQModel;
    set: TokenSet;
  },
) {
  const order = tokenOrderOf(tokenizer, run.order);
  const loss = evaluateVAR(model, order, set);
  const q = judgeGenerator(model, tokenizer, reference, { order, ...rowSampling(sweep, row) });
  return {
    testLoss: loss.loss,
    // single-scale tokens are one 7×7 map: its last scale is all of it (evaluateVAR's last
    // step would be raster order's last token)
    lastScaleLoss: run.tokens === "single-scale" ? loss.loss : loss.lastScaleLoss,
    fid: q.fid,
    precision: q.precision,
    recall: q.recall,
    agreement: q.agreement,
  };
}

/**
 * Each depth's two orders timed in turns at batch 1 (their first seed's final models, sampled
 * as their rows say): `SAMPLING_WARMUP` untimed calls each (the step graphs are traced,
 * checked and built),
 * then `repeats` rounds of one call each, the order within a round alternating, so that a slow
 * moment of the machine falls on both; each round gives a raster ÷ next-scale ratio.
 */
async function timeInTurns(
  sweep: Sweep,
  found: Map<string, VarRun[]>,
  repeats: number,
  say: (line: string) => void,
  signal: AbortSignal,
): Promise<{ speeds: ScalingSpeed[]; ratios: SpeedRatio[] } | undefined> {
  const speeds: ScalingSpeed[] = [], ratios: SpeedRatio[] = [];
  const first = [...found].map(([config, runs]) => ({ config, run: runs[0] }));
  for (const ns of first.filter((f) => f.run.order === "next-scale")) {
    const ra = first.find((f) =>
      f.run.order === "raster" && f.run.config.depth === ns.run.config.depth
    );
    if (!ra) continue;
    if (signal.aborted) return undefined;
    const [a, b] = await Promise.all([ns, ra].map((f) => sampler(f.run, rowOf(sweep, f.config))));
    const samplers = [a, b];
    for (let i = 0; i < SAMPLING_WARMUP; i++) samplers.forEach((s) => s(i));
    const ms: [number[], number[]] = [[], []];
    for (let i = 0; i < repeats; i++) {
      for (const k of i % 2 ? [1, 0] : [0, 1]) ms[k].push(samplers[k](SAMPLING_WARMUP + i));
    }
    samplers.forEach((s) => s(-1));
    const [nsMs, raMs] = ms.map(spread);
    const ratio = spread(ms[1].map((r, i) => r / ms[0][i]));
    speeds.push({ config: ns.config, msPerImage: nsMs }, { config: ra.config, msPerImage: raMs });
    ratios.push({ depth: ns.run.config.depth, ratio });
    say(
      `depth ${ns.run.config.depth}: next-scale ${nsMs.median.toFixed(1)} ms, raster ` +
        `${raMs.median.toFixed(1)} ms per image at batch 1; raster ÷ next-scale ` +
        `${ratio.median.toFixed(2)} (${ratio.min.toFixed(2)}–${
          ratio.max.toFixed(2)
        } over ${repeats} rounds)`,
    );
  }
  return { speeds, ratios };
}

/**
 * A function that samples one image with `run`'s final model as `row` says and returns its
 * milliseconds (seed `i`), or frees the model when called with −1.
 */
async function sampler(run: VarRun, row: StudyRow): Promise<(i: number) => number> {
  const { model: tokenizer } = await loadCheckpoint(run.tokenizer);
  const { model } = await loadCheckpoint(`${run.dir}/var`, (c: VARConfig) => new VAR(c));
  const order = tokenOrderOf(tokenizer, run.order);
  return (i: number) => {
    if (i < 0) {
      model.dispose();
      tokenizer.dispose();
      return 0;
    }
    const t0 = performance.now();
    const images = generateImages(model, tokenizer, [i % model.config.numClasses], {
      order,
      cfg: row.cfg,
      topP: row.topP,
      topK: row.topK ?? 0,
      seed: i,
    });
    images.dataSync(); // generation done before the clock stops
    images.dispose();
    return performance.now() - t0;
  };
}

/** Where the measurements are kept between calls. */
function memoPath(sweep: Sweep): string {
  return sweepOutFile(sweep, "scaling-measurements.json");
}
