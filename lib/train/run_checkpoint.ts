/**
 * Training checkpoints: a model checkpoint that also holds what its run needs to continue —
 * the optimizer's moments and step count, the step and training time reached, the state of
 * every random generator, and the trainer's own bookkeeping (its history of metrics).
 *
 * It is one ordinary checkpoint folder (atomic, see `saveCheckpoint`): the run's tensors are
 * stored under names that start with `training/`, which `loadCheckpoint` ignores, and the rest
 * goes to `checkpoint.json`'s `metrics.run`. So the folder of a run is also a usable model.
 */
import type { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import {
  type Checkpointable,
  loadWeightsInto,
  readCheckpointManifest,
  saveCheckpoint,
  TRAINING_PREFIX,
} from "./checkpoint.ts";
import type { FlatAdam } from "./optim.ts";
import type { Budget, LoopProgress } from "./loop.ts";

/** What a trainer (`train`, `trainVAR`) needs to save, resume and interrupt a long run. */
export interface RunOptions {
  /**
   * Folder of the run's checkpoint (model, optimizer, step, random state: see
   * {@link saveRunCheckpoint}), written every `saveEveryMinutes`, when `signal` interrupts the run,
   * and at its end. Without it, nothing is saved.
   */
  checkpointDir?: string;
  /** Wall-clock minutes between two checkpoints (default 5). */
  saveEveryMinutes?: number;
  /**
   * Continue the run saved in `checkpointDir` (the model must have its config: build it with
   * `loadCheckpoint(checkpointDir)`, or `(c) => new VAR(c)` for VAR). Steps, time and history go on from where it stopped; the
   * budget counts them.
   */
  resume?: boolean;
  /** Aborting it (Ctrl-C) stops training after the current step; the result says `interrupted`. */
  signal?: AbortSignal;
  /** Progress (step, loss, steps/s, ETA) at most once a second. */
  progress?: (p: LoopProgress) => void;
}

/** Where a run stands: what {@link saveRunCheckpoint} writes beside the tensors. */
export interface RunState {
  /** The trainer that wrote it (`train`, `trainVAR`): a run resumes with the same one. */
  trainer: string;
  /** Steps done. */
  step: number;
  /** Milliseconds spent in training steps. */
  ms: number;
  /** The run's budget (`null`: none), which a resumed run keeps unless given another. */
  budget: { steps: number | null; minutes: number | null };
  /** The optimizer's step count (Adam's `t`). */
  optimizerIterations: number;
  /** States of the run's random generators by name (see `SeededRandom.state`). */
  random: Record<string, number>;
  /** The trainer's bookkeeping (history of metrics, …), as JSON. */
  extra: Record<string, unknown>;
}

/** The tensors of a run: the model, the optimizer, and any other state by name. */
export interface RunTensors {
  /** The model being trained. */
  model: Checkpointable;
  /** Its optimizer. */
  optimizer: FlatAdam;
  /** More state to save and restore (e.g. dead-code counts), by a stable name. */
  state?: Map<string, tf.Variable>;
}

function withRunState(run: RunTensors): Checkpointable {
  return {
    config: run.model.config,
    variables: () => {
      const all = new Map(run.model.variables());
      for (const [k, v] of run.optimizer.stateVariables()) {
        all.set(`${TRAINING_PREFIX}adam.${k}`, v);
      }
      for (const [k, v] of run.state ?? []) all.set(`${TRAINING_PREFIX}${k}`, v);
      return all;
    },
  };
}

/** A budget as {@link RunState} stores it: JSON has no `Infinity`. */
export function budgetOf(b: Budget): RunState["budget"] {
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  return { steps: finite(b.steps), minutes: finite(b.minutes) };
}

/**
 * Writes the model, the run's tensors and `state` to `dir`, atomically (the previous
 * checkpoint stays whole if this is interrupted). `metrics` go beside them, as in any
 * checkpoint.
 */
export async function saveRunCheckpoint(
  dir: string,
  run: RunTensors,
  state: Omit<RunState, "optimizerIterations">,
  metrics: Record<string, unknown> = {},
): Promise<void> {
  const full: RunState = { ...state, optimizerIterations: run.optimizer.iterations };
  await saveCheckpoint(dir, withRunState(run), { ...metrics, run: full });
}

/** The run state in `dir`'s checkpoint, or an error saying why it cannot be resumed. */
export async function readRunState(dir: string, trainer: string): Promise<RunState> {
  const manifest = await readCheckpointManifest<unknown>(dir);
  const run = manifest.metrics.run as RunState | undefined;
  if (!run) {
    throw new InputError(
      `${dir}: a model checkpoint without a run's state; --resume needs the folder a run saved`,
    );
  }
  if (run.trainer !== trainer) {
    throw new InputError(`${dir}: a checkpoint of ${run.trainer}, not of ${trainer}`);
  }
  return run;
}

/**
 * Loads everything {@link saveRunCheckpoint} wrote into `run` (model weights, optimizer
 * moments and step count, the other state tensors) and returns the run state. The model must
 * have been built with the checkpoint's config.
 */
export async function restoreRun(dir: string, run: RunTensors, trainer: string): Promise<RunState> {
  const state = await readRunState(dir, trainer);
  await loadWeightsInto(dir, withRunState(run));
  run.optimizer.iterations = state.optimizerIterations;
  return state;
}

/** What a trainer adds to a {@link RunState}: its generators and its bookkeeping. */
export type TrainerState = Pick<RunState, "random" | "extra">;

/**
 * The checkpoint side every trainer (`train`, `trainVAR`) shares: resuming from and saving to
 * `options.checkpointDir` with the same checks, messages and metrics.
 */
export class RunCheckpoints {
  /** `trainer` names the run's kind; `log` gets a line per resume and per periodic save. */
  constructor(
    private readonly trainer: string,
    private readonly run: RunTensors,
    private readonly options: RunOptions & Budget,
    private readonly log?: ((line: string) => void) | null,
  ) {}

  /**
   * With `options.resume`, restores the run from `checkpointDir` and returns its state after
   * `check` accepted it; without, `undefined`. On any failure the optimizer is freed.
   */
  async resume(check?: (state: RunState) => void): Promise<RunState | undefined> {
    const { resume, checkpointDir } = this.options;
    if (!resume) return undefined;
    try {
      if (!checkpointDir) throw new InputError(`${this.trainer}: resume needs checkpointDir`);
      const state = await restoreRun(checkpointDir, this.run, this.trainer);
      check?.(state);
      this.log?.(
        `resuming ${checkpointDir} at step ${state.step} (${(state.ms / 1000).toFixed(0)} s)`,
      );
      return state;
    } catch (err) {
      this.run.optimizer.dispose();
      throw err;
    }
  }

  /** Saves the run as it stands at `at` (nothing without `checkpointDir`). */
  async save(
    at: { step: number; ms: number },
    state: TrainerState,
    metrics: Record<string, unknown> = {},
  ): Promise<void> {
    const dir = this.options.checkpointDir;
    if (!dir) return;
    await saveRunCheckpoint(dir, this.run, {
      trainer: this.trainer,
      step: at.step,
      ms: at.ms,
      budget: budgetOf(this.options),
      ...state,
    }, { steps: at.step, ...metrics });
  }

  /**
   * `budgetedLoop`'s `save`: saves what `state()` gives and logs it; `undefined` without
   * `checkpointDir` (the loop then saves nothing).
   */
  periodic(
    state: () => TrainerState,
  ): ((at: { step: number; ms: number }) => Promise<void>) | undefined {
    const dir = this.options.checkpointDir;
    if (!dir) return undefined;
    return async (at) => {
      await this.save(at, state());
      this.log?.(`checkpoint saved at step ${at.step}: ${dir}`);
    };
  }
}
