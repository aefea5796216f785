/**
 * Copies of a model taken along one training run, at chosen minutes of training steps and at
 * chosen step counts: what "quality against training time" and "quality at equal steps" are
 * measured on, without training a separate run for every budget.
 */
import { readdir } from "node:fs/promises";
import { InputError } from "../core/errors.ts";
import { type Checkpointable, readCheckpointManifest, saveCheckpoint } from "./checkpoint.ts";

/** When to take copies: each minute and step count is taken once (the first step at or past it). */
export interface SnapshotPlan {
  /** Folder of the copies: one `step-NNNNNN/` checkpoint each. */
  dir: string;
  /** Minutes of training steps (the loop's clock: evaluation and saving not counted). */
  minutes?: number[];
  /** Step counts. */
  steps?: number[];
}

/** One copy taken along a run: where it is, and how far the run was. */
export interface Snapshot {
  /** Its checkpoint folder. */
  dir: string;
  /** Steps done when it was taken. */
  step: number;
  /** Seconds of training steps done when it was taken. */
  seconds: number;
}

/** Takes the copies a {@link SnapshotPlan} asks for, as the run goes. */
export class SnapshotTaker {
  #minutes: number[];
  #steps: number[];

  /** `start`: where a resumed run stopped (what it passed is not taken again). */
  constructor(
    readonly plan: SnapshotPlan,
    start: { step: number; ms: number } = { step: 0, ms: 0 },
  ) {
    for (const v of [...(plan.minutes ?? []), ...(plan.steps ?? [])]) {
      if (!(v > 0) || !Number.isFinite(v)) {
        throw new InputError(`snapshot times and step counts must be positive numbers, got ${v}`);
      }
    }
    this.#minutes = [...(plan.minutes ?? [])].filter((m) => m * 60_000 > start.ms).sort((a, b) =>
      a - b
    );
    this.#steps = [...(plan.steps ?? [])].filter((s) => s > start.step).sort((a, b) => a - b);
  }

  /** After a step: saves `model` to `dir/step-N` if a planned minute or step was reached. */
  async after(
    model: Checkpointable,
    step: number,
    ms: number,
    metrics: Record<string, unknown> = {},
  ): Promise<Snapshot | undefined> {
    let due = false;
    while (this.#minutes.length && ms >= this.#minutes[0] * 60_000) {
      this.#minutes.shift();
      due = true;
    }
    while (this.#steps.length && step >= this.#steps[0]) {
      this.#steps.shift();
      due = true;
    }
    if (!due) return undefined;
    const snapshot = { dir: snapshotDir(this.plan.dir, step), step, seconds: ms / 1000 };
    await saveCheckpoint(snapshot.dir, model, { ...metrics, step, seconds: snapshot.seconds });
    return snapshot;
  }
}

/** The folder of the copy at `step` in `dir`. */
function snapshotDir(dir: string, step: number): string {
  return `${dir}/step-${String(step).padStart(6, "0")}`;
}

/** The copies saved in `dir` (by {@link SnapshotTaker}), in step order; none if it is missing. */
export async function readSnapshots(dir: string): Promise<Snapshot[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: Snapshot[] = [];
  for (const name of names.filter((n) => /^step-\d+$/.test(n)).sort()) {
    const { metrics } = await readCheckpointManifest(`${dir}/${name}`);
    found.push({
      dir: `${dir}/${name}`,
      step: Number(metrics.step),
      seconds: Number(metrics.seconds),
    });
  }
  return found;
}
