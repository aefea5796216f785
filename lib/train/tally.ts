/**
 * The bookkeeping both trainers keep between two metrics records: where the run is (steps,
 * training time, learning rate) and running sums of the step's numbers (losses), averaged and
 * reset when a record is taken.
 */
import type { LoopStart } from "./loop.ts";

/** Averages of a stretch of steps (see {@link StepTally.take}). */
export interface Stretch {
  /** The mean of each tallied number over the stretch. */
  means: number[];
  /** Rows (images, token sequences) trained per second of training time in the stretch. */
  rowsPerSecond: number;
}

/** Steps, training time and running sums of per-step numbers since the last record. */
export class StepTally {
  /** Steps done, those before a resume included. */
  step: number;
  /** Milliseconds spent in training steps, those before a resume included. */
  ms: number;
  /** Learning rate of the last step. */
  lr = 0;
  /** Steps since the last record. */
  sinceSteps = 0;
  #sinceMs = 0;
  #sums: number[];

  /** `width` numbers are tallied per step; `start` is where a resumed run stopped. */
  constructor(readonly width: number, start?: LoopStart) {
    this.step = start?.step ?? 0;
    this.ms = start?.ms ?? 0;
    this.#sums = new Array(width).fill(0);
  }

  /** Counts one finished step of `ms` milliseconds at `lr`, with its numbers. */
  add(done: { step: number; ms: number; lr: number }, values: ArrayLike<number>): void {
    this.step = done.step;
    this.lr = done.lr;
    this.ms += done.ms;
    this.#sinceMs += done.ms;
    this.sinceSteps++;
    for (let i = 0; i < this.width; i++) this.#sums[i] += values[i];
  }

  /** The stretch since the last record (`rowsPerStep`: batch size), then starts a new one. */
  take(rowsPerStep: number): Stretch {
    const n = Math.max(1, this.sinceSteps);
    const stretch = {
      means: this.#sums.map((s) => s / n),
      rowsPerSecond: (this.sinceSteps * rowsPerStep) / Math.max(1e-9, this.#sinceMs / 1000),
    };
    this.#sums.fill(0);
    this.sinceSteps = 0;
    this.#sinceMs = 0;
    return stretch;
  }
}

/** Minutes of training at which something is due once (whole-test-set milestones). */
export class Milestones {
  #pending: number[];

  /** `minutes` to reach, less those `reached` already (a resumed run). */
  constructor(minutes: number[], reached: number[] = []) {
    this.#pending = minutes.filter((m) => !reached.includes(m)).sort((a, b) => a - b);
  }

  /** The milestones reached by `ms` of training that were not reached before. */
  due(ms: number): number[] {
    const due: number[] = [];
    while (this.#pending.length && ms >= this.#pending[0] * 60_000) {
      due.push(this.#pending.shift()!);
    }
    return due;
  }
}
