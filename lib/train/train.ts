/**
 * Training a VQ model: Adam with linear warm-up and cosine decay, loss = reconstruction MSE +
 * quantizer loss, dead-code restarts on a schedule, metrics every `evalEvery` steps, and a
 * stop after a step count or a time budget (whichever comes first).
 */
import { VQStep } from "./vq_step.ts";
import { InputError } from "../core/errors.ts";
import type { ImageDataset } from "../data/datasets.ts";
import { evaluate, type TestMetrics } from "./metrics.ts";
import type { LoopStart, LoopStepDone, ScheduleOptions } from "./loop.ts";
import { Milestones } from "./tally.ts";
import type { TrainerState } from "./run_checkpoint.ts";
import { TrainingRun, type TrainingRunOptions } from "./training_run.ts";
import type { VQModel } from "../models/vqvae.ts";

/**
 * {@link train}'s peak learning rate. Measured on the Fashion-MNIST VQVAE with the multi-scale
 * quantizer, 3 minutes: 2e-3 → 21.8 dB, 5e-3 → 22.4 dB, 7e-3 → 22.7–22.8 dB.
 */
export const DEFAULT_TRAIN_LR = 7e-3;

/**
 * Options of {@link train}: the budget, checkpoints, batch size (default 128) and log
 * ({@link TrainingRunOptions}), the schedule ({@link ScheduleOptions}: here `lr` defaults to
 * {@link DEFAULT_TRAIN_LR}, `warmupSteps` to 50, `finalLrRatio` to 0.05), restarts, metrics.
 */
export interface TrainOptions extends TrainingRunOptions, ScheduleOptions {
  /**
   * Dead-code restart every this many steps (0: never); also at the steps of `earlyRestarts`,
   * which place the codes onto real encoder outputs while the codebook is still young.
   */
  restartEvery?: number;
  /** Steps with an extra restart (default 1, 10, 25, 50, 100). */
  earlyRestarts?: number[];

  /** Metrics every this many steps (0: only at the end). */
  evalEvery?: number;
  /** Images of the test set used by the periodic metrics (the final one uses all). */
  evalImages?: number;
  /**
   * Minutes of training after which the whole test set is measured once (default 1, 3, 10):
   * the `atMinutes` of the result. Only those reached within the budget are measured.
   */
  milestoneMinutes?: number[];
  /** Seed of the batches' order. */
  seed?: number;
  /** Called with every metrics record (for live plots). */
  onMetrics?: (m: MetricsRecord) => void | Promise<void>;
}

/** One record of {@link train}'s history. */
export interface MetricsRecord {
  /** Steps done. */
  step: number;
  /** Seconds spent in training steps so far. */
  seconds: number;
  /** Learning rate of the last step. */
  lr: number;
  /** Training loss and its parts, averaged since the previous record. */
  loss: number;
  /** Reconstruction MSE part of `loss`. */
  reconstruction: number;
  /** Quantizer part of `loss`. */
  vq: number;
  /** Training throughput since the previous record. */
  imagesPerSecond: number;
  /** Codes restarted since the previous record. */
  restarted: number;
  /** Test metrics at this step. */
  test?: TestMetrics;
}

/** Test metrics on the whole test set after some minutes of training. */
export interface MilestoneRecord {
  /** The milestone, in minutes of training steps. */
  minutes: number;
  /** Steps done when it was reached. */
  step: number;
  /** Seconds spent in training steps at that point (≥ `minutes · 60`). */
  seconds: number;
  /** Test metrics on the whole test set. */
  test: TestMetrics;
}

/** What {@link train} returns. */
export interface TrainResult {
  /** Steps done. */
  steps: number;
  /** Seconds spent in training steps (without evaluation). */
  seconds: number;
  /** Training throughput overall. */
  imagesPerSecond: number;
  /** Every metrics record. */
  history: MetricsRecord[];
  /** Final test metrics on the whole test set. */
  test: TestMetrics;
  /** Training loss of the last record. */
  trainLoss: number;
  /**
   * Whole-test-set metrics at each of `milestoneMinutes` the budget reached. Before the end of
   * the budget the learning rate has not finished its decay, so a milestone inside a longer run
   * is lower than a run of that many minutes.
   */
  atMinutes: MilestoneRecord[];
  /** True when `signal` stopped the run before its budget was spent. */
  interrupted: boolean;
}

/**
 * Trains a VQ model (`VQVAE`, `SimpleVQVAE`) on `trainSet`, measuring it on `testSet`; returns
 * the history of metrics and the final test metrics (on all of `testSet`).
 *
 * @example
 * ```ts
 * import { DummyDataset, train, VQVAE } from "vqvar";
 * const data = new DummyDataset({ length: 64 });
 * const model = new VQVAE({ channels: 16, latentChannels: 8, vocabSize: 32 });
 * const result = await train(model, data, data, { steps: 5, batchSize: 16, log: null });
 * console.log(result.test.psnr);
 * model.dispose();
 * ```
 */
export async function train(
  model: VQModel,
  trainSet: ImageDataset,
  testSet: ImageDataset,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const run = new VQTrainingRun(model, trainSet, testSet, options);
  const loop = await run.loop(
    {
      ...options,
      what: "train",
      lr: run.lr,
      steps: run.steps,
      minutes: run.minutes,
      length: trainSet.length,
      seed: options.seed ?? 0,
    },
    await run.resume(),
    (loop) => run.finish(loop.interrupted),
  );
  return run.result(loop.interrupted);
}

/** One run of {@link train}: the shared run (optimizer, checkpoints, tally), history, milestones. */
class VQTrainingRun extends TrainingRun<MetricsRecord> {
  readonly steps: number;
  readonly minutes: number;
  readonly lr: number;
  atMinutes: MilestoneRecord[] = [];
  milestones: Milestones;
  restarted = 0;
  /** The training step (one graph call per step where it can). */
  readonly trainStep: VQStep;

  constructor(
    readonly model: VQModel,
    readonly trainSet: ImageDataset,
    readonly testSet: ImageDataset,
    readonly options: TrainOptions,
  ) {
    const lr = options.lr ?? DEFAULT_TRAIN_LR;
    const { variables } = model.quantizer.runState();
    super(
      "train",
      { model, state: new Map([...variables].map(([k, v]) => [`quantizer.${k}`, v])) },
      model.trainableVariables,
      { learningRate: lr },
      options,
      3,
    );
    this.lr = lr;
    this.steps = options.steps ?? Infinity;
    this.minutes = options.minutes ?? Infinity;
    this.milestones = new Milestones(options.milestoneMinutes ?? [1, 3, 10]);
    this.trainStep = new VQStep(model, this.optimizer);
  }

  /** Frees the step's graphs. */
  protected override freeStep(): void {
    this.trainStep.dispose();
  }

  /** Picks up a checkpointed run, if `options.resume` asks; returns where it stopped. */
  async resume(): Promise<LoopStart | undefined> {
    const { trainSet, options } = this;
    const resumed = await this.checkpoints.resume((state) => {
      if (state.extra.data !== trainSet.name) {
        throw new InputError(
          `${options.checkpointDir}: the run trained on ${state.extra.data}, not on ${trainSet.name}`,
        );
      }
    });
    if (!resumed) return undefined;
    const extra = resumed.extra as { history: MetricsRecord[]; atMinutes: MilestoneRecord[] };
    this.history = extra.history;
    this.atMinutes = extra.atMinutes;
    this.model.quantizer.restoreRunState(resumed.extra.quantizer as Record<string, number>);
    this.milestones = new Milestones(
      options.milestoneMinutes ?? [1, 3, 10],
      this.atMinutes.map((m) => m.minutes),
    );
    return this.resumedAt(resumed);
  }

  /** What a checkpoint keeps of the run besides its tensors. */
  trainerState(): TrainerState {
    return {
      random: {},
      extra: {
        data: this.trainSet.name,
        history: this.history,
        atMinutes: this.atMinutes,
        quantizer: this.model.quantizer.runState().numbers,
      },
    };
  }

  /** One training step (step `done` + 1) on the batch `indices`; restarts dead codes on cue. */
  step(done: number, indices: Int32Array): number {
    const { model } = this;
    const xBhwc = this.trainSet.images(indices, "01");
    this.values = this.trainStep.run(xBhwc); // the loss and its two terms
    xBhwc.dispose();
    const n = done + 1;
    const { restartEvery = 200, earlyRestarts = [1, 10, 25, 50, 100] } = this.options;
    if (restartEvery > 0 && (earlyRestarts.includes(n) || n % restartEvery === 0)) {
      this.restarted += model.restartDeadCodes();
    }
    return this.values[0];
  }

  /** After a step: tally it; record metrics and milestones when due (not after the last). */
  async after(done: LoopStepDone): Promise<void> {
    const { tally } = this;
    tally.add(done, this.values);
    // The last step is recorded once, on the whole test set, after the loop.
    if (tally.step >= this.steps || tally.ms >= this.minutes * 60_000) return;
    const evalEvery = this.options.evalEvery ?? 0;
    if (evalEvery > 0 && tally.step % evalEvery === 0) await this.record(false);
    const due = this.milestones.due(tally.ms);
    if (due.length) {
      const test = evaluate(this.model, this.testSet);
      for (const minutes of due) {
        this.atMinutes.push({ minutes, step: tally.step, seconds: tally.ms / 1000, test });
      }
      this.log?.(`after ${due.at(-1)} min: test PSNR ${test.psnr.toFixed(2)} dB`);
    }
  }

  /**
   * A metrics record of the steps since the last one, with test metrics (on the whole test set
   * when `final`). A final record right after a periodic one remeasures that one instead.
   */
  async record(final: boolean): Promise<void> {
    const { history, tally, model, testSet } = this;
    const previous = history[history.length - 1];
    if (final && tally.sinceSteps === 0 && previous?.step === tally.step) {
      previous.test = evaluate(model, testSet);
      this.log?.(
        `final test PSNR ${previous.test.psnr.toFixed(2)} dB on ${previous.test.images} images`,
      );
      await this.options.onMetrics?.(previous);
      return;
    }
    const { means: [loss, reconstruction, vq], rowsPerSecond } = tally.take(this.batchSize);
    const limit = final ? Infinity : this.options.evalImages ?? 2000;
    const rec: MetricsRecord = {
      step: tally.step,
      seconds: tally.ms / 1000,
      lr: tally.lr,
      loss,
      reconstruction,
      vq,
      imagesPerSecond: rowsPerSecond,
      restarted: this.restarted,
      test: evaluate(model, testSet, { limit }),
    };
    this.restarted = 0;
    history.push(rec);
    this.log?.(progressLine(rec, this.batchSize));
    await this.options.onMetrics?.(rec);
  }

  /**
   * After the loop: the last record (on part of the test set only when interrupted, to stop
   * soon), the milestones its time reached, and the final checkpoint.
   */
  async finish(interrupted: boolean): Promise<void> {
    const { tally, history } = this;
    if (!interrupted) await this.record(true);
    else if (tally.sinceSteps > 0 || history.length === 0) await this.record(false);
    const last = history[history.length - 1];
    for (const minutes of this.milestones.due(tally.ms)) {
      this.atMinutes.push({
        minutes,
        step: tally.step,
        seconds: tally.ms / 1000,
        test: last.test!,
      });
    }
    const at = { step: tally.step, ms: tally.ms };
    await this.checkpoints.save(at, this.trainerState(), { test: last.test });
  }

  /** What {@link train} returns. */
  result(interrupted: boolean): TrainResult {
    const { tally, history } = this;
    const final = history[history.length - 1];
    return {
      steps: tally.step,
      seconds: tally.ms / 1000,
      imagesPerSecond: (tally.step * this.batchSize) / (tally.ms / 1000),
      history,
      test: final.test!,
      trainLoss: final.loss,
      atMinutes: this.atMinutes,
      interrupted,
    };
  }
}

/** One metrics record as the progress line `train` logs. */
function progressLine(rec: MetricsRecord, batchSize: number): string {
  const t = rec.test!;
  return `step ${String(rec.step).padStart(5)}  ${rec.seconds.toFixed(0).padStart(4)} s  ` +
    `loss ${rec.loss.toFixed(4)} (rec ${rec.reconstruction.toFixed(4)}, vq ${
      rec.vq.toFixed(4)
    })  ` +
    `test PSNR ${t.psnr.toFixed(2)} dB  perplexity ${t.perplexity.toFixed(0)}  ` +
    `usage ${(100 * t.usage).toFixed(1)} %  ${rec.imagesPerSecond.toFixed(0)} img/s  ${
      (rec.imagesPerSecond / batchSize).toFixed(2)
    } steps/s`;
}
