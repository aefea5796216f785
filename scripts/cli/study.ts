/**
 * A study: a sweep of `deno task var` runs described in one JSON file (configurations, seeds,
 * a step budget) and the rows of its report (which configuration, sampled how). Read and
 * checked here; `deno task var:sweep` trains the runs, `deno task var:compare --sweep` measures
 * them and writes the report with every row's mean over seeds and 95 % interval.
 */
import { InputError } from "../../lib/core/errors.ts";

/** One configuration of `deno task var`: its arguments beside the sweep's. */
export interface StudyConfig {
  /** Short name: the run folders are `NAME-sSEED`. */
  name: string;
  /** What it is, in words. */
  label: string;
  /** Arguments of `deno task var` for it. */
  args: string[];
}

/** One row of the report: a configuration's runs sampled one way, over every seed. */
export interface StudyRow {
  /** The table it belongs to (`2x2`, `teacher-forced`, `truncation`, `recipe`). */
  group: string;
  /** The row's name. */
  name: string;
  /** The configuration measured. */
  config: string;
  /** Guidance weight. */
  cfg: number;
  /** Nucleus mass (1: off). */
  topP: number;
  /** Top-k (0 or absent: off). */
  topK?: number;
  /** Scales copied from real images before sampling (0 or absent: none). */
  forcedScales?: number;
  /** VAR's FID for the matching row of its Table 3, where there is one. */
  varFid?: number;
}

/** A sweep file. */
export interface Sweep {
  description: string;
  /** Step budget of every run. */
  steps: number;
  /** Seeds of every configuration. */
  seeds: number[];
  /** Folder of the run folders. */
  out: string;
  /** Arguments every run gets. */
  args: string[];
  configs: StudyConfig[];
  /**
   * How the rows are measured: samples per measurement, the sampling seed, the judge, and how
   * many of the test images to measure against (default all 10,000).
   */
  measure: { samples: number; seed: number; judge: string; testImages?: number };
  rows: StudyRow[];
}

/** One planned run: a configuration at a seed, in its folder. */
export interface PlannedRun {
  config: StudyConfig;
  seed: number;
  dir: string;
}

/** Reads and checks a sweep file: an `InputError` naming the file and the bad field. */
export async function readSweep(path: string): Promise<Sweep> {
  const text = await Deno.readTextFile(path).catch(() => {
    throw new InputError(`--sweep ${path}: no such file`);
  });
  let s: Sweep;
  try {
    s = JSON.parse(text);
  } catch (e) {
    throw new InputError(`--sweep ${path}: not JSON (${(e as Error).message})`);
  }
  const bad = (what: string) => new InputError(`--sweep ${path}: ${what}`);
  if (!Number.isInteger(s.steps) || s.steps < 1) throw bad("steps must be a positive integer");
  if (!Array.isArray(s.seeds) || s.seeds.length === 0 || !s.seeds.every(Number.isInteger)) {
    throw bad("seeds must be a list of integers");
  }
  if (typeof s.out !== "string" || !s.out) throw bad("out must name a folder");
  if (!Array.isArray(s.configs) || s.configs.length === 0) throw bad("configs must be a list");
  const names = new Set<string>();
  for (const c of s.configs) {
    if (!/^[a-z0-9-]+$/.test(c.name ?? "")) {
      throw bad(`a config's name must be lower-case letters, digits and -, got ${c.name}`);
    }
    if (names.has(c.name)) throw bad(`config ${c.name} is there twice`);
    if (!Array.isArray(c.args)) throw bad(`config ${c.name}: args must be a list`);
    names.add(c.name);
  }
  const t = s.measure?.testImages;
  if (t !== undefined && !(Number.isInteger(t) && t >= 10)) {
    throw bad(`measure.testImages must be an integer ≥ 10, got ${t}`);
  }
  for (const r of s.rows ?? []) {
    if (!names.has(r.config)) {
      throw bad(`row "${r.name}" measures config ${r.config}, not in configs`);
    }
    if (!(r.cfg >= 0) || !(r.topP > 0 && r.topP <= 1)) {
      throw bad(`row "${r.name}": cfg must be ≥ 0 and topP in (0, 1]`);
    }
  }
  return { ...s, args: s.args ?? [], rows: s.rows ?? [] };
}

/**
 * Every run of the sweep, seed by seed (so a partial sweep has every configuration at its first
 * seeds), and of them the shard `index` of `count` (`--shard 2/3`: every third run from the
 * second).
 */
export function planRuns(sweep: Sweep, shard: [number, number] = [1, 1]): PlannedRun[] {
  const all = sweep.seeds.flatMap((seed) =>
    sweep.configs.map((config) => ({
      config,
      seed,
      dir: `${sweep.out.replace(/\/+$/, "")}/${config.name}-s${seed}`,
    }))
  );
  const [index, count] = shard;
  return all.filter((_, i) => i % count === index - 1);
}

/** `--shard I/N` read: 1 ≤ I ≤ N. */
export function parseShard(text: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || n < 1 || i < 1 || i > n) {
    throw new InputError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/3), got "${text}"`);
  }
  return [i, n];
}

/** Where a run stands: finished (a final report), begun (a checkpoint), or not begun. */
export async function runState(dir: string): Promise<"finished" | "begun" | "new"> {
  try {
    const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`));
    if (report.interrupted === false && typeof report.testLoss === "number") return "finished";
  } catch { /* no report yet */ }
  try {
    await Deno.stat(`${dir}/var/checkpoint.json`);
    return "begun";
  } catch {
    return "new";
  }
}

/** A file of the sweep's own in its `out` folder, e.g. its measurements made so far. */
export function sweepOutFile(sweep: Sweep, name: string): string {
  return `${sweep.out.replace(/\/+$/, "")}/${name}`;
}

/** Measurements kept by key in the JSON file `path` (none if the file is not there). */
export async function readMeasurements<T>(path: string): Promise<Map<string, T>> {
  try {
    return new Map(Object.entries(JSON.parse(await Deno.readTextFile(path))));
  } catch {
    return new Map();
  }
}

/**
 * How a row's samples are drawn, as `judgeGenerator` takes it: the sweep's count and seed, the
 * row's sampling.
 */
export function rowSampling(sweep: Sweep, row: StudyRow) {
  return {
    samples: sweep.measure.samples,
    cfg: row.cfg,
    topP: row.topP,
    topK: row.topK ?? 0,
    seed: sweep.measure.seed,
  };
}
