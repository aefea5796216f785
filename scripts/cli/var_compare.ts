/**
 * `deno task var:compare`: VAR's headline at this project's scale, with its reasons. Reads
 * trained generators (`deno task var` runs: next-scale on the multi-scale tokenizer, raster
 * order on a single-scale one) and measures them side by side with one judge (a classifier):
 *
 * - each tokenizer's ceiling: FID, precision and recall of its own reconstructions of the test
 *   images, with its PSNR and perplexity;
 * - each run's final model at every `--cfg` guidance weight (the longest run of each order) or
 *   at `--curve-cfg` (the others): FID, precision/recall, class agreement;
 * - the copies saved along each run (`deno task var --snapshot-minutes/--snapshot-steps`) at
 *   `--curve-cfg`: quality against training time, and at equal steps across the orders;
 * - sampling speed of each run's final model at `--speed-batches` images per call (batch 1:
 *   latency; batch 250: throughput), after warm-up, with the passes and token positions an
 *   image takes.
 *
 * Writes OUT/report.json and OUT/table.md. `deno task var:compare --help` lists the options.
 */
import { backendName, tf } from "../../lib/core/backend.ts";
import { InputError } from "../../lib/core/errors.ts";
import { type ImageDataset, loadFashionMnist } from "../../lib/data/datasets.ts";
import { Classifier, type ClassifierConfig } from "../../lib/models/classifier.ts";
import { VAR, type VARConfig } from "../../lib/models/var.ts";
import type { VQModel } from "../../lib/models/vqvae.ts";
import type { TokenOrder } from "../../lib/quant/token_order.ts";
import { loadCheckpoint } from "../../lib/train/checkpoint.ts";
import { featureStatistics, frechetDistanceOfStatistics } from "../../lib/train/fid.ts";
import {
  judgeFeatures,
  judgeGenerator,
  judgeReconstructions,
  type JudgeReference,
  judgeReference,
} from "../../lib/train/generator_quality.ts";
import { type SamplingSpeed, samplingSpeed } from "../../lib/train/sampling_speed.ts";
import type { CommandSpec, ParsedOptions } from "./options.ts";
import { writeJsonAtomic } from "./out.ts";
import { reportHeader } from "./report_header.ts";
import { runCommand } from "./run.ts";
import { readSweep } from "./study.ts";
import { measureSweep, studyTable } from "./study_measure.ts";
import { readVarRun, tokenOrderOf, type VarRun } from "./var_runs.ts";
import {
  compareTable,
  equalSteps,
  type Measured,
  type Point,
  type RunResult,
  type TokenizerResult,
} from "./var_compare_report.ts";

const spec: CommandSpec = {
  usage: "deno task var:compare",
  summary: "Measures trained generators (deno task var runs) side by side with one judge: " +
    "each tokenizer's ceiling (its reconstructions' FID, PSNR, perplexity), FID, precision, " +
    "recall and class agreement at each guidance weight, along each run (its snapshots) and at " +
    "equal steps, and sampling time at batch 1 and 250, with passes and token positions per image.",
  options: [
    {
      name: "runs",
      kind: "text",
      placeholder: "DIR,DIR,…",
      help: "output folders of deno task var (each holds report.json, var/, maybe snapshots/)",
    },
    {
      name: "judge",
      kind: "text",
      placeholder: "DIR",
      default: "data/var/fashion-mnist-var/classifier",
      help:
        "the classifier whose features FID, precision and recall use and whose verdict is the agreement",
    },
    {
      name: "samples",
      kind: "int",
      min: 10,
      default: "5000",
      help: "samples per measurement (and reconstructions per tokenizer)",
    },
    {
      name: "cfg",
      kind: "text",
      placeholder: "W,W,…",
      default: "0,1,1.5,3",
      help: "guidance weights of each order's longest run",
    },
    {
      name: "curve-cfg",
      kind: "number",
      above: -1,
      default: "1.5",
      help: "guidance weight of the snapshots and the other runs (VAR's README samples at 1.5)",
    },
    {
      name: "speed-batches",
      kind: "ints",
      default: "1,250",
      help: "images per generate call when timing (1: latency; 250: throughput)",
    },
    {
      name: "speed-repeats",
      kind: "int",
      min: 1,
      default: "5",
      help: "timed calls per batch size (after three untimed: the steps' graphs are built by then)",
    },
    { name: "top-p", kind: "number", above: 0, default: "0.9", help: "nucleus sampling mass" },
    { name: "seed", kind: "int", min: 0, default: "0", help: "seed of the sampling" },
    {
      name: "sweep",
      kind: "text",
      placeholder: "FILE",
      help: "measure a sweep's runs row by row instead (deno task var:sweep; its file says how)",
    },
    {
      name: "run-dirs",
      kind: "text",
      placeholder: "DIR,DIR,…",
      help: "with --sweep: more folders to find its runs in (runs made on other machines)",
    },
    {
      name: "out",
      kind: "text",
      placeholder: "DIR",
      default: "out/compare",
      help: "output folder",
    },
  ],
  examples: [
    [
      "deno task var:compare --runs out/var-scale,out/var-raster --samples 5000",
      "next-scale against raster order",
    ],
  ],
};

await runCommand(spec, "var:compare", async ({ options: o, say }) => {
  if (o.has("sweep")) return await writeStudy(o, say);
  if (!o.has("runs")) throw new InputError("--runs needs at least one deno task var output folder");
  const cfgs = o.text("cfg").split(",").map(Number);
  if (cfgs.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new InputError(`--cfg must be numbers ≥ 0 separated by commas, got "${o.text("cfg")}"`);
  }
  // Every run read (and refused, if it must be) before any long work.
  const runs: VarRun[] = [];
  for (const dir of o.text("runs").split(",").filter(Boolean)) runs.push(await readVarRun(dir));
  for (const r of runs.filter((r) => r.tokenizerFrom !== "report")) {
    say(`${r.dir}: no tokenizer in its report; ${r.tokenizer} (its ${r.tokenizerFrom}) fits it`);
  }
  const { model: judge } = await loadCheckpoint(
    o.text("judge"),
    (c: ClassifierConfig) => new Classifier(c),
  );
  const [test, train] = [await loadFashionMnist("test"), await loadFashionMnist("train")];
  const reference = judgeReference(judge, test);
  const floor = realFloor(reference, train);
  say(`backend ${backendName}; FID of ${test.length} train vs test images (the floor): ${floor}`);
  const measured = {
    samples: o.num("samples"),
    topP: o.num("top-p"),
    seed: o.num("seed"),
    curveCfg: o.num("curve-cfg"),
  };
  const tokenizers = await measureTokenizers(runs, reference, measured.samples, say);
  const longest = new Set(
    ["next-scale", "raster"].map((order) =>
      runs.filter((r) => r.order === order).sort((a, b) => b.steps - a.steps)[0]
    ),
  );
  const results: RunResult[] = [];
  for (const run of runs) {
    results.push(
      await measureRun(run, reference, {
        ...measured,
        cfgs: longest.has(run) ? cfgs : [measured.curveCfg],
        speedBatches: o.ints("speed-batches"),
        speedRepeats: o.num("speed-repeats"),
      }, say),
    );
  }
  await writeOutputs(o, { floor, testImages: test.length, ...measured, tokenizers, results });
  tf.dispose(reference.featuresND);
  judge.dispose();
});

/** FID of as many training images as test images against the test images. */
function realFloor(reference: JudgeReference, train: ImageDataset) {
  const trainND = judgeFeatures(reference.judge, train.take(reference.images.length));
  const floor = frechetDistanceOfStatistics(featureStatistics(trainND), reference.stats);
  trainND.dispose();
  return floor;
}

async function measureTokenizers(
  runs: VarRun[],
  reference: JudgeReference,
  samples: number,
  say: (line: string) => void,
): Promise<TokenizerResult[]> {
  const out: TokenizerResult[] = [];
  for (const run of runs) {
    if (out.some((t) => t.dir === run.tokenizer)) continue;
    const { model: tokenizer } = await loadCheckpoint(run.tokenizer);
    const { test, ...quality } = judgeReconstructions(tokenizer, reference, samples);
    tokenizer.dispose();
    const t = {
      dir: run.tokenizer,
      order: run.order,
      tokensPerImage: run.config.patchNums.reduce((n, pn) => n + pn * pn, 0),
      ...quality,
      psnr: test.psnr,
      perplexity: test.perplexity,
      usage: test.usage,
    };
    out.push(t);
    say(
      `tokenizer ${t.dir} (${t.order}): reconstructions FID ${t.fid.toFixed(2)}, precision ${
        t.precision.toFixed(3)
      }, recall ${t.recall.toFixed(3)}; PSNR ${t.psnr.toFixed(2)} dB, perplexity ${
        t.perplexity.toFixed(0)
      }`,
    );
  }
  return out;
}

interface MeasureOptions {
  samples: number;
  topP: number;
  seed: number;
  curveCfg: number;
  cfgs: number[];
  speedBatches: number[];
  speedRepeats: number;
}

async function measureRun(
  run: VarRun,
  reference: JudgeReference,
  m: MeasureOptions,
  say: (line: string) => void,
): Promise<RunResult> {
  const { model: tokenizer } = await loadCheckpoint(run.tokenizer);
  const order = tokenOrderOf(tokenizer);
  const point = (model: VAR, step: number, seconds: number, cfg: number): Point => {
    const q = judgeGenerator(model, tokenizer, reference, { order, cfg, ...m });
    say(
      `${run.dir} (${run.order}) step ${step}, w = ${cfg}: FID ${q.fid.toFixed(2)}, precision ${
        q.precision.toFixed(3)
      }, recall ${q.recall.toFixed(3)}, agreement ${(100 * q.agreement).toFixed(1)} %`,
    );
    return { step, minutes: seconds / 60, cfg, ...q };
  };
  const curve: Point[] = [];
  for (const s of run.snapshots.filter((s) => s.step < run.steps)) {
    const { model } = await loadCheckpoint(s.dir, (c: VARConfig) => new VAR(c));
    curve.push(point(model, s.step, s.seconds, m.curveCfg));
    model.dispose();
  }
  const { model } = await loadCheckpoint(`${run.dir}/var`, (c: VARConfig) => new VAR(c));
  const guidance = m.cfgs.map((cfg) => point(model, run.steps, run.seconds, cfg));
  curve.push(
    guidance.find((p) => p.cfg === m.curveCfg) ?? point(model, run.steps, run.seconds, m.curveCfg),
  );
  const speed = measureSpeed(run, model, tokenizer, order, m, say);
  const parameters = model.parameterCount;
  model.dispose();
  tokenizer.dispose();
  return {
    run: run.dir,
    order: run.order,
    seed: run.seed,
    tokenizer: run.tokenizer,
    tokenizerFrom: run.tokenizerFrom,
    parameters,
    steps: run.steps,
    minutes: run.seconds / 60,
    testLoss: run.testLoss,
    tokensPerImage: run.config.patchNums.reduce((n, pn) => n + pn * pn, 0),
    sequencesPerSecond: run.sequencesPerSecond,
    guidance,
    curve,
    speed,
  };
}

/** The final model's sampling speed at each of `m.speedBatches`, at the curve's guidance. */
function measureSpeed(
  run: VarRun,
  model: VAR,
  tokenizer: VQModel,
  order: TokenOrder,
  m: MeasureOptions,
  say: (line: string) => void,
): SamplingSpeed[] {
  return m.speedBatches.map((batch) => {
    const s = samplingSpeed(model, tokenizer, order, {
      batch,
      cfg: m.curveCfg,
      topP: m.topP,
      repeats: m.speedRepeats,
    });
    const { min, median, max } = s.msPerBatch;
    say(
      `${run.dir} (${run.order}) batch ${s.batch}: ${median.toFixed(1)} ms per call ` +
        `(${min.toFixed(1)}–${max.toFixed(1)}), ${s.imagesPerSecond.toFixed(1)} images/s; ` +
        `${s.passesPerImage} passes, ${s.tokenPositionsPerImage} positions per image`,
    );
    return s;
  });
}

/** `--sweep`: the study's report.json and table.md in `--out`. */
async function writeStudy(o: ParsedOptions, say: (line: string) => void) {
  const sweep = await readSweep(o.text("sweep"));
  const dirs = o.has("run-dirs") ? o.text("run-dirs").split(",").filter(Boolean) : [];
  const measured = await measureSweep(sweep, dirs, say);
  const report = {
    ...measured,
    ...(await reportHeader("var:compare")),
    sweepFile: o.text("sweep"),
  };
  const out = o.text("out");
  await Deno.mkdir(out, { recursive: true });
  const table = studyTable(measured);
  await Deno.writeTextFile(`${out}/table.md`, table + "\n");
  await writeJsonAtomic(`${out}/report.json`, report);
  console.log(table);
}

/** table.md and report.json in `--out`; the table on stdout. */
async function writeOutputs(o: ParsedOptions, measured: Measured) {
  const out = o.text("out");
  await Deno.mkdir(out, { recursive: true });
  const report = {
    ...(await reportHeader("var:compare")),
    judge: o.text("judge"),
    fidFloor: measured.floor,
    testImages: measured.testImages,
    samples: measured.samples,
    topP: measured.topP,
    seed: measured.seed,
    curveCfg: measured.curveCfg,
    orders: Object.fromEntries(
      ["next-scale", "raster"].map((order) => [order, {
        tokenizer: measured.tokenizers.find((t) => t.order === order),
        runs: measured.results.filter((r) => r.order === order),
      }]),
    ),
    equalSteps: equalSteps(measured.results),
  };
  const table = compareTable(report);
  await Deno.writeTextFile(`${out}/table.md`, table + "\n");
  await writeJsonAtomic(`${out}/report.json`, report);
  console.log(table);
}
