/**
 * The output folder of a training command and the options of a long run: `--out` is created
 * (or refused) before anything else, reports are written atomically.
 */
import { access, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { InputError } from "../../lib/core/errors.ts";
import type { Budget } from "../../lib/train/loop.ts";
import type { RunState } from "../../lib/train/run_checkpoint.ts";
import type { OptionSpec, ParsedOptions } from "./options.ts";

/** The options of a long run: where, how long, how often to save, and resuming. */
export function runOptions(defaultOut: string, defaultMinutes: string): OptionSpec[] {
  return [
    { name: "out", kind: "text", placeholder: "DIR", default: defaultOut, help: "output folder" },
    {
      name: "minutes",
      kind: "number",
      above: 0,
      help: `training time budget, minutes of training steps [default: ${defaultMinutes}, ` +
        "or none with --steps]",
    },
    {
      name: "steps",
      kind: "int",
      min: 1,
      help: "step budget (with --minutes: whichever ends first)",
    },
    {
      name: "seed",
      kind: "int",
      min: 0,
      default: "0",
      help: "seed of the model, batches and sampling",
    },
    {
      name: "save-every",
      kind: "number",
      above: 0,
      default: "5",
      help: "minutes (wall clock) between two checkpoints; also saved on Ctrl-C and at the end",
    },
    {
      name: "resume",
      kind: "text",
      placeholder: "DIR",
      help: "continue the run saved in DIR (a previous --out): steps, curves and budget go on",
    },
  ];
}

/**
 * The run's folder, ready: for a new run `out` is created and must be writable and not hold a
 * run already (a checkpoint in `out/runDir`); for `--resume DIR` it is DIR, which must hold one.
 */
export async function prepareOut(
  out: string,
  resume: string | undefined,
  /** The subfolder of the run's checkpoint. */
  runDir = "checkpoint",
): Promise<string> {
  const dir = (resume ?? out).replace(/\/+$/, "") || "/";
  const info = await stat(dir).catch(() => undefined);
  if (resume) {
    if (!info?.isDirectory()) throw new InputError(`--resume ${resume}: no such folder`);
    if (!(await exists(`${dir}/${runDir}/checkpoint.json`))) {
      throw new InputError(`--resume ${resume}: no checkpoint in it (${dir}/${runDir}/)`);
    }
    return dir;
  }
  if (info && !info.isDirectory()) throw new InputError(`--out ${out}: a file, not a folder`);
  if (await exists(`${dir}/${runDir}/checkpoint.json`)) {
    throw new InputError(
      `--out ${out} holds a run already (${runDir}/): continue it with --resume ${out}, or choose another --out`,
    );
  }
  try {
    await mkdir(dir, { recursive: true });
    const probe = `${dir}/.write-test-${crypto.randomUUID()}`;
    await writeFile(probe, "");
    await rm(probe);
  } catch (err) {
    const why = (err as Error).message.split("\n")[0];
    throw new InputError(`--out ${out}: cannot create or write there (${why})`);
  }
  return dir;
}

async function exists(path: string): Promise<boolean> {
  return await access(path).then(() => true, () => false);
}

/** Writes `value` as JSON to `path` through a temporary file and a rename (atomic). */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp-${crypto.randomUUID()}`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + "\n");
  await rename(tmp, path);
}

/**
 * The budget of a run: `--steps` and `--minutes` as given; if neither, a resumed run keeps its
 * own, a new one trains `defaultMinutes`. A resumed run whose budget is already spent is an
 * `InputError` that says how much it has trained (rather than a run that ends at once).
 */
export function budgetFrom(o: ParsedOptions, defaultMinutes: number, saved?: RunState): Budget {
  const budget: Budget = o.has("steps") || o.has("minutes")
    ? {
      steps: o.has("steps") ? o.num("steps") : undefined,
      minutes: o.has("minutes") ? o.num("minutes") : undefined,
    }
    : saved
    ? { steps: saved.budget.steps ?? undefined, minutes: saved.budget.minutes ?? undefined }
    : { minutes: defaultMinutes };
  if (!saved) return budget;
  const spent = (budget.minutes !== undefined && saved.ms >= budget.minutes * 60_000) ||
    (budget.steps !== undefined && saved.step >= budget.steps);
  if (spent) {
    const given = [
      budget.minutes !== undefined ? `--minutes ${budget.minutes}` : "",
      budget.steps !== undefined ? `--steps ${budget.steps}` : "",
    ].filter(Boolean).join(" and ");
    throw new InputError(
      `--resume: this run has already trained ${saved.step} steps in ${
        (saved.ms / 1000).toFixed(0)
      } s, so ${given} is spent; give a larger budget to go on`,
    );
  }
  return budget;
}
