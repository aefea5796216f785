/**
 * The training loop every trainer here shares (`train`, `trainVAR`, `Classifier.train`):
 * seeded epochs of full batches, a learning rate with linear warm-up and cosine decay over
 * the budget, and a stop after a step count or a time budget, whichever comes first. Only the
 * steps themselves count against the time budget; what runs between steps (evaluation, live
 * plots) does not.
 */
import { seededRandom, shuffledIndices } from "../core/random.ts";

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
    throw new Error(`batchSize must be in 1..${length} (the data's length), got ${batchSize}`);
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
export async function budgetedLoop(options: LoopOptions): Promise<{
  steps: number;
  seconds: number;
}> {
  const { what, steps = Infinity, minutes = Infinity } = options;
  if (!Number.isFinite(steps) && !Number.isFinite(minutes)) {
    throw new Error(`${what}: give steps or minutes (or both)`);
  }
  const budgetMs = minutes * 60_000;
  const batches = epochBatches(options.length, options.batchSize, options.seed);
  let step = 0;
  let trainMs = 0;
  while (step < steps && trainMs < budgetMs) {
    const t0 = performance.now();
    const lr = learningRate(step, Math.max(step / steps, trainMs / budgetMs), options);
    options.optimizer.learningRate = lr;
    const loss = options.step({ step, lr, indices: batches.next().value! });
    if (!Number.isFinite(loss)) {
      throw new Error(
        `${what}: the loss became ${loss} at step ${step + 1} (lr ${lr.toExponential(2)})`,
      );
    }
    step++;
    const ms = performance.now() - t0;
    trainMs += ms;
    await options.after?.({ step, ms, lr, loss });
  }
  return { steps: step, seconds: trainMs / 1000 };
}
