/**
 * The training loop every trainer here shares (`train`, `trainVAR`, `trainClassifier`):
 * seeded epochs of full batches, a learning rate with linear warm-up and cosine decay over
 * the budget, and a stop after a step count or a time budget, whichever comes first. Only the
 * steps themselves count against the time budget; what runs between steps (evaluation, live
 * plots) does not.
 */
import { seededRandom, shuffledIndices } from "../core/random.ts";
import { InputError } from "../core/errors.ts";

/** How long to train: a step count, minutes of training, or both (the first reached ends). */
export interface Budget {
  /** Stop after this many steps. */
  steps?: number;
  /** Stop after this many minutes spent in training steps. */
  minutes?: number;
}

/** The learning-rate schedule: warm-up to `lr`, then cosine decay to `lr · finalLrRatio`. */
export interface ScheduleOptions {
  /** Peak learning rate (default 7e-3). */
  lr?: number;
  /** Steps of linear warm-up (default 50). */
  warmupSteps?: number;
  /** The learning rate decays (cosine) to `lr · finalLrRatio` at the end of the budget. */
  finalLrRatio?: number;
}

/**
 * Learning rate at `step`, `progress` ∈ [0, 1] of the budget: linear warm-up over
 * `warmupSteps`, then cosine decay from `lr` to `lr · finalLrRatio`.
 *
 * @example
 * ```ts
 * import { learningRate } from "vqvar";
 * learningRate(0, 0, { lr: 1e-3, warmupSteps: 10 }); // 1e-4: first warm-up step
 * learningRate(99, 1, { lr: 1e-3, finalLrRatio: 0.1 }); // 1e-4: end of the decay
 * ```
 */
export function learningRate(
  step: number,
  progress: number,
  { lr = 7e-3, warmupSteps = 50, finalLrRatio = 0.05 }: ScheduleOptions = {},
): number {
  const warm = Math.min(1, (step + 1) / Math.max(1, warmupSteps));
  const cos = 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
  return lr * warm * (finalLrRatio + (1 - finalLrRatio) * cos);
}

/**
 * Endless seeded epochs over `length` rows: epoch `e` is a shuffle of 0..length−1 seeded with
 * `seed + e`, cut into full batches of `batchSize` (the remainder is dropped).
 */
export function* epochBatches(
  length: number,
  batchSize: number,
  seed: number,
): Generator<Int32Array> {
  if (!(batchSize >= 1 && batchSize <= length)) {
    throw new InputError(`batchSize must be in 1..${length} (the data's length), got ${batchSize}`);
  }
  for (let epoch = 0;; epoch++) {
    const order = shuffledIndices(length, seededRandom(seed + epoch));
    for (let start = 0; start + batchSize <= length; start += batchSize) {
      yield order.subarray(start, start + batchSize);
    }
  }
}

/** What one step is given. */
export interface LoopStep {
  /** Steps done before this one. */
  step: number;
  /** The learning rate of this step (already set on the optimizer). */
  lr: number;
  /** The rows of this step's batch. */
  indices: Int32Array;
}

/** What the loop reports after each step. */
export interface LoopStepDone {
  /** Steps done, this one included. */
  step: number;
  /** Milliseconds this step took. */
  ms: number;
  /** The learning rate of the step. */
  lr: number;
  /** The loss the step returned. */
  loss: number;
}

/** Where a resumed run starts: steps already done and milliseconds already spent in them. */
export interface LoopStart {
  /** Steps done before (the batch order skips that many batches). */
  step: number;
  /** Milliseconds spent in training steps before. */
  ms: number;
}

/** A progress report of {@link budgetedLoop} (at most once per `progressEveryMs`). */
export interface LoopProgress {
  /** Steps done. */
  step: number;
  /** Mean loss of the steps since the previous report. */
  loss: number;
  /** Steps per second of training time since the previous report. */
  stepsPerSecond: number;
  /** Seconds of training left by the budget (steps or minutes, whichever ends first). */
  etaSeconds: number;
  /** Share of the budget done, in [0, 1]. */
  fraction: number;
}

/** Options of {@link budgetedLoop}. */
export interface LoopOptions extends Budget, ScheduleOptions {
  /** The caller's name, for error messages (`train`, `trainVAR`, …). */
  what: string;
  /** Rows of the training data, and rows per batch. */
  length: number;
  /** Rows per batch. */
  batchSize: number;
  /** Seed of the epochs' shuffles. */
  seed: number;
  /** The optimizer whose learning rate the schedule sets before every step. */
  optimizer: { learningRate: number };
  /** One training step on a batch; returns its loss (a non-finite loss stops training). */
  step: (s: LoopStep) => number;
  /** Called after every step, outside the timed part (evaluation, logging, plots). */
  after?: (done: LoopStepDone) => void | Promise<void>;
  /** Continue a run: skip its batches, count its steps and time against the budget. */
  start?: LoopStart;
  /** When it aborts (Ctrl-C), the loop stops after the current step and says `interrupted`. */
  signal?: AbortSignal;
  /** Called between steps every `saveEveryMinutes` of wall-clock time (not counted). */
  save?: (at: LoopStart) => void | Promise<void>;
  /** Wall-clock minutes between two calls of `save` (default 5). */
  saveEveryMinutes?: number;
  /** Called with the progress at most once per `progressEveryMs` (default 1000). */
  progress?: (p: LoopProgress) => void;
  /** Milliseconds between two progress reports. */
  progressEveryMs?: number;
}

/** What {@link budgetedLoop} returns. */
export interface LoopResult {
  /** Steps done, those before a resume included. */
  steps: number;
  /** Seconds spent in training steps, those before a resume included. */
  seconds: number;
  /** True when `signal` stopped the loop before its budget was spent. */
  interrupted: boolean;
}

/** The non-finite loss error of {@link budgetedLoop}. */
export class NonFiniteLossError extends Error {
  /** `step` is the step (1-based) whose loss was `loss`. */
  constructor(readonly step: number, readonly loss: number, message: string) {
    super(message);
    this.name = "NonFiniteLossError";
  }
}

/**
 * Runs training steps until the budget is spent; returns the steps done and the seconds spent
 * in them.
 *
 * @example
 * ```ts
 * import { budgetedLoop } from "vqvar";
 * const optimizer = { learningRate: 0 };
 * const { steps } = await budgetedLoop({
 *   what: "demo", steps: 3, length: 8, batchSize: 4, seed: 0, optimizer,
 *   step: ({ indices }) => indices.length, // a real step would train here
 * });
 * // steps === 3
 * ```
 */
export async function budgetedLoop(options: LoopOptions): Promise<LoopResult> {
  const { what, steps = Infinity, minutes = Infinity, signal, progress } = options;
  if (!Number.isFinite(steps) && !Number.isFinite(minutes)) {
    throw new InputError(`${what}: give steps or minutes (or both)`);
  }
  const budgetMs = minutes * 60_000;
  const batches = epochBatches(options.length, options.batchSize, options.seed);
  let step = options.start?.step ?? 0;
  let trainMs = options.start?.ms ?? 0;
  for (let i = 0; i < step; i++) batches.next();
  const saveEveryMs = (options.saveEveryMinutes ?? 5) * 60_000;
  const progressEveryMs = options.progressEveryMs ?? 1000;
  let lastSave = performance.now();
  let lastYield = performance.now();
  const meter = progress && new ProgressMeter(progress, progressEveryMs, steps, budgetMs);
  while (step < steps && trainMs < budgetMs) {
    if (signal?.aborted) return { steps: step, seconds: trainMs / 1000, interrupted: true };
    const t0 = performance.now();
    const lr = learningRate(step, Math.max(step / steps, trainMs / budgetMs), options);
    options.optimizer.learningRate = lr;
    const loss = options.step({ step, lr, indices: batches.next().value! });
    if (!Number.isFinite(loss)) {
      throw new NonFiniteLossError(
        step + 1,
        loss,
        `${what}: the loss became ${loss} at step ${step + 1} (lr ${lr.toExponential(2)})`,
      );
    }
    step++;
    const ms = performance.now() - t0;
    trainMs += ms;
    meter?.add(ms, loss);
    await options.after?.({ step, ms, lr, loss });
    const now = performance.now();
    if (now - lastYield >= 100) {
      // Let the event loop run (a Ctrl-C listener, a kernel's messages): awaiting resolved
      // promises alone never gives it a turn.
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    meter?.report(now, step, trainMs);
    const more = step < steps && trainMs < budgetMs;
    if (options.save && more && now - lastSave >= saveEveryMs) {
      await options.save({ step, ms: trainMs });
      lastSave = performance.now();
    }
  }
  return { steps: step, seconds: trainMs / 1000, interrupted: false };
}

/** The loop's progress reports: mean loss and speed since the last one, ETA, fraction done. */
class ProgressMeter {
  #since = { steps: 0, ms: 0, loss: 0 };
  #last = performance.now();

  constructor(
    readonly progress: (p: LoopProgress) => void,
    readonly everyMs: number,
    readonly steps: number,
    readonly budgetMs: number,
  ) {}

  /** Counts a step of `ms` milliseconds and its loss. */
  add(ms: number, loss: number) {
    const s = this.#since;
    this.#since = { steps: s.steps + 1, ms: s.ms + ms, loss: s.loss + loss };
  }

  /** Reports at `now` if `everyMs` have passed since the last report. */
  report(now: number, step: number, trainMs: number) {
    if (now - this.#last < this.everyMs) return;
    const { steps, budgetMs } = this, since = this.#since;
    const rate = since.steps / (since.ms / 1000);
    const eta = Math.min((steps - step) / rate, (budgetMs - trainMs) / 1000);
    this.progress({
      step,
      loss: since.loss / since.steps,
      stepsPerSecond: rate,
      etaSeconds: Math.max(0, eta),
      fraction: Math.min(1, Math.max(step / steps, trainMs / budgetMs)),
    });
    this.#since = { steps: 0, ms: 0, loss: 0 };
    this.#last = now;
  }
}
