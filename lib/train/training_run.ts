/**
 * What the two trainers' runs share (`train`'s `VQTrainingRun`, `trainVAR`'s `VARTrainingRun`):
 * an optimizer, the run's checkpoints, a tally of the steps, a history of records, a log, and
 * the budgeted loop around a step, which frees the optimizer however the run ends.
 */
import { FlatAdam, type FlatAdamOptions } from "./optim.ts";
import {
  type Budget,
  budgetedLoop,
  type LoopOptions,
  type LoopResult,
  type LoopStart,
  type LoopStepDone,
} from "./loop.ts";
import { StepTally } from "./tally.ts";
import {
  RunCheckpoints,
  type RunOptions,
  type RunState,
  type RunTensors,
  type TrainerState,
} from "./run_checkpoint.ts";
import type { tf } from "../core/backend.ts";

/** The options every run reads: its budget, checkpoints, batch size and log. */
export interface TrainingRunOptions extends Budget, RunOptions {
  /** Rows per batch (default 128). */
  batchSize?: number;
  /** Progress lines (default console.log; `null` for silence). */
  log?: ((line: string) => void) | null;
}

/** A training run: subclasses give the step, what follows it, and what a checkpoint keeps. */
export abstract class TrainingRun<Metrics> {
  /** The optimizer of every trainable variable (freed when {@link loop} ends). */
  readonly optimizer: FlatAdam;
  /** Saving and resuming the run. */
  readonly checkpoints: RunCheckpoints;
  /** Rows per batch. */
  readonly batchSize: number;
  /** Sums of the step's values (loss first) since the last record. */
  tally: StepTally;
  /** The metrics records so far. */
  history: Metrics[] = [];
  /** The values of the last step, for the tally. */
  protected values: ArrayLike<number> = [];
  /** Where progress lines go (null: nowhere). */
  protected readonly log: ((line: string) => void) | null;

  /**
   * A run named `trainer` (checkpoints say it) of the variables `variables` (with `adam`'s
   * options), whose steps give `tallyWidth` values each.
   */
  constructor(
    trainer: string,
    tensors: Omit<RunTensors, "optimizer">,
    variables: tf.Variable[],
    adam: FlatAdamOptions,
    options: TrainingRunOptions,
    tallyWidth: number,
  ) {
    this.batchSize = options.batchSize ?? 128;
    this.log = options.log === undefined ? console.log : options.log;
    this.optimizer = new FlatAdam(variables, adam);
    this.checkpoints = new RunCheckpoints(
      trainer,
      { ...tensors, optimizer: this.optimizer },
      options,
      this.log,
    );
    this.tally = new StepTally(tallyWidth);
  }

  /**
   * Where a resumed run (`resumed`, from `checkpoints.resume`) goes on from; the tally counts
   * its steps and time from there.
   */
  protected resumedAt(resumed: RunState): LoopStart {
    const start = { step: resumed.step, ms: resumed.ms };
    this.tally = new StepTally(this.tally.width, start);
    return start;
  }

  /** One training step on the rows `indices` (the `done`-th step done before it); its loss. */
  abstract step(done: number, indices: Int32Array): number;
  /** After a step, outside the timed part: tally it, evaluate when due. */
  abstract after(done: LoopStepDone): Promise<void>;
  /** What a checkpoint keeps of the run besides its tensors. */
  abstract trainerState(): TrainerState;

  /**
   * The budgeted loop of this run from `start` (see `budgetedLoop`), saving checkpoints on
   * schedule; then `finish` (the last record and checkpoint), unless the loop threw. The
   * optimizer (and what the step holds, {@link freeStep}) is freed in every case.
   */
  async loop(
    options: Omit<LoopOptions, "optimizer" | "step" | "after" | "save" | "start" | "batchSize">,
    start: LoopStart | undefined,
    finish: (loop: LoopResult) => Promise<void>,
  ): Promise<LoopResult> {
    try {
      const loop = await budgetedLoop({
        ...options,
        batchSize: this.batchSize,
        optimizer: this.optimizer,
        start,
        save: this.checkpoints.periodic(() => this.trainerState()),
        step: ({ step, indices }) => this.step(step, indices),
        after: (done) => this.after(done),
      });
      await finish(loop);
      return loop;
    } finally {
      this.optimizer.dispose();
      this.freeStep();
    }
  }

  /** Frees what the step holds besides the optimizer (its graphs), when the loop ends. */
  protected freeStep(): void {}
}
