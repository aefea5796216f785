/**
 * `deno task var:compare --sweep FILE`: measures a sweep's runs (see `study.ts`) row by row with
 * the judge of `var:compare` (lib's `judgeGenerator`: FID, precision, recall, agreement), each
 * row over every seed of its configuration with its mean and 95 % interval (teacher-forced rows
 * copy their first scales from training images, not from the test images measured against),
 * each tokenizer's
 * ceiling beside them, and the verdicts between rows by the one rule (`lib/train/interval.ts`:
 * a win only where the intervals are apart).
 */
import { backendName, versions } from "../../lib/core/backend.ts";
import { InputError } from "../../lib/core/errors.ts";
import { type ImageDataset, loadFashionMnist } from "../../lib/data/datasets.ts";
import { Classifier, type ClassifierConfig } from "../../lib/models/classifier.ts";
import { VAR, type VARConfig } from "../../lib/models/var.ts";
import { asMultiScale } from "../../lib/quant/multiscale.ts";
import { loadCheckpoint } from "../../lib/train/checkpoint.ts";
import {
  judgeGenerator,
  judgeReconstructions,
  type JudgeReference,
  judgeReference,
} from "../../lib/train/generator_quality.ts";
import { type MeanInterval, meanInterval, verdict } from "../../lib/train/interval.ts";
import {
  planRuns,
  readMeasurements,
  rowSampling,
  runState,
  type StudyRow,
  type Sweep,
  sweepOutFile,
} from "./study.ts";
import { readVarRun, tokenOrderOf, type VarRun } from "./var_runs.ts";
import { writeJsonAtomic } from "./out.ts";

/** The four measures of a set of samples. */
const MEASURES = ["fid", "precision", "recall", "agreement"] as const;
type Measure = typeof MEASURES[number];

/** One row measured: every seed's values and their intervals. */
export interface StudyRowResult extends StudyRow {
  /** The runs measured, one per seed. */
  runs: string[];
  seeds: number[];
  fid: MeanInterval;
  precision: MeanInterval;
  recall: MeanInterval;
  agreement: MeanInterval;
}

/** A configuration's runs: training figures over its seeds. */
export interface StudyConfigResult {
  name: string;
  label: string;
  args: string[];
  order: string;
  tokens: string;
  tokensPerImage: number;
  parameters: number;
  steps: number;
  /** Test cross-entropy, nats per token (teacher forcing, the last record of each run). */
  testLoss: MeanInterval;
  /** Minutes of training steps per run. */
  minutes: MeanInterval;
  runs: string[];
}

/** A verdict between two rows on one measure. */
export interface StudyVerdict {
  group: string;
  a: string;
  b: string;
  measure: Measure;
  verdict: "a wins" | "b wins" | "within noise";
}

/** Measures every row of `sweep`; run folders are looked for in its `out` and `runDirs`. */
export async function measureSweep(
  sweep: Sweep,
  runDirs: string[],
  say: (line: string) => void,
) {
  const { found: runs, missing } = await findRuns(sweep, runDirs);
  const { model: judge } = await loadCheckpoint(
    sweep.measure.judge,
    (c: ClassifierConfig) => new Classifier(c),
  );
  const test = await loadFashionMnist("test");
  const reference = judgeReference(
    judge,
    test.take(Math.min(sweep.measure.testImages ?? Infinity, test.length)),
  );
  const tokenizers = await ceilings(runs, reference, sweep.measure.samples, say);
  const copied = (await loadFashionMnist("train")).take(sweep.measure.samples);
  const values = await measureRows(sweep, runs, reference, copied, say);
  if (missing.length > 0) {
    reference.featuresND.dispose();
    judge.dispose();
    throw new InputError(
      `${missing.length} runs of the sweep are not finished anywhere (${
        missing.slice(0, 4).join(", ")
      }${missing.length > 4 ? ", …" : ""}): the finished ones are measured and kept in ${
        memoPath(sweep)
      }; deno task var:sweep trains the rest (--run-dirs adds folders to look in)`,
    );
  }
  const rows: StudyRowResult[] = sweep.rows.map((row, i) => {
    const rs = runs.get(row.config)!;
    const per = (m: Measure) => meanInterval(values[i].map((v) => v[m]));
    return {
      ...row,
      runs: rs.map((r) => r.dir),
      seeds: rs.map((r) => r.seed),
      fid: per("fid"),
      precision: per("precision"),
      recall: per("recall"),
      agreement: per("agreement"),
    };
  });
  reference.featuresND.dispose();
  judge.dispose();
  return {
    backend: backendName,
    versions: versions(),
    sweep: sweep.description,
    steps: sweep.steps,
    seeds: sweep.seeds,
    samples: sweep.measure.samples,
    judge: sweep.measure.judge,
    configs: sweep.configs.map((c) => configResult(c, runs.get(c.name)!)),
    tokenizers,
    rows,
    verdicts: verdicts(rows),
  };
}

/**
 * Every finished run of the sweep, by configuration (seeds in the sweep's order), and the folder
 * names of those missing; `runDirs` are looked in besides the sweep's `out`.
 */
export async function findRuns(
  sweep: Sweep,
  runDirs: string[],
): Promise<{ found: Map<string, VarRun[]>; missing: string[] }> {
  const found = new Map<string, VarRun[]>();
  const missing: string[] = [];
  for (const planned of planRuns(sweep)) {
    const name = planned.dir.split("/").pop()!;
    const candidates = [planned.dir, ...runDirs.map((d) => `${d.replace(/\/+$/, "")}/${name}`)];
    let dir: string | undefined;
    for (const c of candidates) if (!dir && await runState(c) === "finished") dir = c;
    if (!dir) {
      missing.push(name);
      continue;
    }
    const run = await readVarRun(dir);
    if (run.steps !== sweep.steps) {
      throw new InputError(
        `${dir}: trained ${run.steps} steps; the sweep's budget is ${sweep.steps}`,
      );
    }
    found.set(planned.config.name, [...found.get(planned.config.name) ?? [], run]);
  }
  return { found, missing };
}

/** Each tokenizer's ceiling: its reconstructions of as many test images as samples. */
async function ceilings(
  runs: Map<string, VarRun[]>,
  reference: JudgeReference,
  samples: number,
  say: (line: string) => void,
) {
  const dirs = [...new Set([...runs.values()].flat().map((r) => r.tokenizer))];
  const out = [];
  for (const dir of dirs) {
    const { model: tokenizer } = await loadCheckpoint(dir);
    const { test, ...q } = judgeReconstructions(tokenizer, reference, samples);
    tokenizer.dispose();
    say(`tokenizer ${dir}: FID ${q.fid.toFixed(2)}, recall ${q.recall.toFixed(3)}`);
    out.push({ dir, ...q, psnr: test.psnr, perplexity: test.perplexity });
  }
  return out;
}

/** Scales copied → steps copied in the run's order. */
function forcedSteps(run: VarRun, patchNums: readonly number[], scales: number): number {
  if (!scales) return 0;
  if (run.tokens === "single-scale") {
    throw new InputError(`${run.dir}: a single-scale tokenizer has no scales to copy`);
  }
  return run.order === "next-scale"
    ? scales
    : patchNums.slice(0, scales).reduce((n, pn) => n + pn * pn, 0);
}

/** Measurements by {@link measurementKey}. */
type Memo = Map<string, Record<Measure, number>>;

/** A measurement's key: the trained model (folder, steps, test loss) and how it is sampled. */
function measurementKey(sweep: Sweep, run: VarRun, row: StudyRow): string {
  const { samples, seed } = sweep.measure;
  const how = [row.cfg, row.topP, row.topK ?? 0, row.forcedScales ?? 0];
  return JSON.stringify([run.dir, run.steps, run.testLoss, samples, seed, ...how]);
}

/** `values[row][seed]`: each row's measures of each of its runs (made once, kept in the memo). */
async function measureRows(
  sweep: Sweep,
  runs: Map<string, VarRun[]>,
  reference: JudgeReference,
  copied: ImageDataset,
  say: (line: string) => void,
): Promise<Record<Measure, number>[][]> {
  const values: Record<Measure, number>[][] = sweep.rows.map(() => []);
  const memo = await readMemo(sweep);
  for (const [config, list] of runs) {
    const rows = sweep.rows.flatMap((r, i) => r.config === config ? [i] : []);
    for (const [seedIndex, run] of list.entries()) {
      const todo = rows.filter((i) => !memo.has(measurementKey(sweep, run, sweep.rows[i])));
      if (todo.length > 0) {
        await measureRun(sweep, run, todo.map((i) => sweep.rows[i]), {
          reference,
          copied,
          memo,
          say,
        });
      }
      for (const i of rows) {
        values[i][seedIndex] = memo.get(measurementKey(sweep, run, sweep.rows[i]))!;
      }
    }
  }
  return values;
}

/** Measures one run at `rows`' samplings (one model load), each kept in the memo on disk. */
async function measureRun(
  sweep: Sweep,
  run: VarRun,
  rows: StudyRow[],
  { reference, copied, memo, say }: {
    reference: JudgeReference;
    copied: ImageDataset;
    memo: Memo;
    say: (line: string) => void;
  },
) {
  const { model: tokenizer } = await loadCheckpoint(run.tokenizer);
  const order = tokenOrderOf(tokenizer, run.order);
  const patchNums = run.tokens === "multi-scale" ? asMultiScale(tokenizer.quantizer).patchNums : [];
  const { model } = await loadCheckpoint(`${run.dir}/var`, (c: VARConfig) => new VAR(c));
  for (const row of rows) {
    const key = measurementKey(sweep, run, row);
    if (memo.has(key)) continue; // two rows, one sampling
    const q = judgeGenerator(model, tokenizer, reference, {
      order,
      ...rowSampling(sweep, row),
      forced: { images: copied, steps: forcedSteps(run, patchNums, row.forcedScales ?? 0) },
    });
    memo.set(key, q);
    await writeJsonAtomic(memoPath(sweep), Object.fromEntries(memo));
    say(
      `${run.dir} · ${row.name}: FID ${q.fid.toFixed(2)}, precision ${
        q.precision.toFixed(3)
      }, recall ${q.recall.toFixed(3)}`,
    );
  }
  model.dispose();
  tokenizer.dispose();
}

/** Where a sweep's measurements are kept, so that a measurement is made once. */
function memoPath(sweep: Sweep): string {
  return sweepOutFile(sweep, "measurements.json");
}

/** The measurements made so far (none if the file is not there). */
function readMemo(sweep: Sweep): Promise<Memo> {
  return readMeasurements(memoPath(sweep));
}

/** A configuration's training figures over its seeds. */
function configResult(c: Sweep["configs"][number], runs: VarRun[]): StudyConfigResult {
  return {
    name: c.name,
    label: c.label,
    args: c.args,
    order: runs[0].order,
    tokens: runs[0].tokens,
    tokensPerImage: runs[0].config.patchNums.reduce((n, pn) => n + pn * pn, 0),
    parameters: runs[0].parameters,
    steps: runs[0].steps,
    testLoss: meanInterval(runs.map((r) => r.testLoss)),
    minutes: meanInterval(runs.map((r) => r.seconds / 60)),
    runs: runs.map((r) => r.dir),
  };
}

/** The verdicts the notebook and README print: the 2×2 pairwise, the recipe step by step. */
function verdicts(rows: StudyRowResult[]): StudyVerdict[] {
  const out: StudyVerdict[] = [];
  const add = (group: string, a: StudyRowResult, b: StudyRowResult) => {
    for (const measure of MEASURES) {
      const better = measure === "fid" ? "lower" : "higher";
      out.push({
        group,
        a: a.name,
        b: b.name,
        measure,
        verdict: verdict(a[measure], b[measure], better),
      });
    }
  };
  const cells = rows.filter((r) => r.group === "2x2");
  cells.forEach((a, i) => cells.slice(i + 1).forEach((b) => add("2x2", a, b)));
  const recipe = rows.filter((r) => r.group === "recipe");
  recipe.slice(1).forEach((b, i) => add("recipe", recipe[i], b));
  const raster = recipe.at(-1);
  if (raster) recipe.slice(1, -1).forEach((a) => add("recipe vs raster", a, raster));
  return out;
}

/** The report as Markdown: the configurations, then one table per group of rows. */
export function studyTable(report: Awaited<ReturnType<typeof measureSweep>>): string {
  const iv = (m: MeanInterval, d: number) => `${m.mean.toFixed(d)} ± ${m.half.toFixed(d)}`;
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  const head = (cells: string[]) => [line(cells), line(cells.map(() => "---"))];
  const out = [
    `${report.steps} steps per run, seeds ${report.seeds.join(", ")}; ${report.samples} samples ` +
    "per measurement; mean ± half the 95 % interval over seeds (Student's t).",
    "",
    ...head(["config", "order", "tokens", "test loss (nats/token)", "minutes per run"]),
    ...report.configs.map((c) =>
      line([
        c.name,
        c.order,
        `${c.tokensPerImage} ${c.tokens}`,
        iv(c.testLoss, 3),
        iv(c.minutes, 1),
      ])
    ),
  ];
  for (const group of [...new Set(report.rows.map((r) => r.group))]) {
    out.push(
      "",
      `### ${group}`,
      "",
      ...head(["row", "config", "w", "top-k", "top-p", "FID", "precision", "recall", "agreement"]),
    );
    for (const r of report.rows.filter((r) => r.group === group)) {
      out.push(line([
        r.name,
        r.config,
        r.cfg,
        r.topK ?? 0,
        r.topP,
        iv(r.fid, 2),
        iv(r.precision, 3),
        iv(r.recall, 3),
        iv(r.agreement, 3),
      ]));
    }
  }
  return out.join("\n");
}
