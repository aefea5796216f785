/**
 * Training VAR on token maps: tokenize a dataset once with a trained VQ-VAE, then train the
 * next-scale transformer on batches of (tokens, labels) with teacher forcing.
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import type { ImageDataset } from "../data/datasets.ts";
import type { TokenOrder } from "../quant/token_order.ts";
import { type SeededRandom, seededRandom } from "../core/random.ts";
import type { LoopStart, LoopStepDone, ScheduleOptions } from "./loop.ts";
import type { TrainerState } from "./run_checkpoint.ts";
import { TrainingRun, type TrainingRunOptions } from "./training_run.ts";
import { type Snapshot, type SnapshotPlan, SnapshotTaker } from "./snapshots.ts";
import { VAR } from "../models/var.ts";
import { VARStep } from "./var_step.ts";
import type { VQModel } from "../models/vqvae.ts";

/** A dataset's token maps: `tokens` is `[N, L]` (all scales concatenated), row-major. */
export interface TokenSet {
  /** `[N, L]` token indices, all scales of a row concatenated. */
  tokens: Int32Array;
  /** Class of each row. */
  labels: Uint8Array;
  /** Tokens per row. */
  L: number;
  /** Token-map sizes of the scales. */
  patchNums: number[];
  /** Rows. */
  get length(): number;
}

/** Tokenizes every image of `data` with `model.imgToIdxBl`: all scales' token maps per row. */
export function tokenize(model: VQModel, data: ImageDataset, batchSize = 1000): TokenSet {
  let tokens = new Int32Array(0);
  let patchNums: number[] = [];
  let L = 0, at = 0;
  for (const { xBhwc, labels } of data.batches(batchSize)) {
    const t = tf.tidy(() => {
      const idxBl = model.imgToIdxBl(xBhwc);
      if (!L) {
        patchNums = idxBl.map((idx) => Math.round(Math.sqrt(idx.shape[1])));
        L = idxBl.reduce((n, idx) => n + idx.shape[1], 0);
        tokens = new Int32Array(data.length * L);
      }
      return tf.concat(idxBl, 1);
    });
    tokens.set(t.dataSync() as Int32Array, at);
    at += t.size;
    tf.dispose([t, xBhwc, labels]);
  }
  return {
    tokens,
    labels: data.labels,
    L,
    patchNums,
    get length() {
      return this.labels.length;
    },
  };
}

/** The rows `indices` of a token set: `tokBL` `[B, L]` int32, `idxBl` per scale, labels. */
export function tokenBatch(
  set: TokenSet,
  indices: ArrayLike<number>,
  patchNums: readonly number[] = set.patchNums,
): { tokBL: tf.Tensor2D; idxBl: tf.Tensor2D[]; labels: tf.Tensor1D } {
  if (patchNums.reduce((n, pn) => n + pn * pn, 0) !== set.L) {
    throw new InputError(
      `the token order's steps [${patchNums}] do not add up to the set's ${set.L} tokens per image`,
    );
  }
  const { tokBL, labels } = tokenRows(set, indices);
  const idxBl = tf.split(tokBL, patchNums.map((pn) => pn * pn), 1) as tf.Tensor2D[];
  return { tokBL, idxBl, labels };
}

/** The rows `indices` of a token set: `tokBL` `[B, L]` int32 and labels `[B]` int32. */
function tokenRows(
  set: TokenSet,
  indices: ArrayLike<number>,
): { tokBL: tf.Tensor2D; labels: tf.Tensor1D } {
  const B = indices.length, L = set.L;
  const tok = new Int32Array(B * L);
  const lab = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const k = indices[i];
    tok.set(set.tokens.subarray(k * L, (k + 1) * L), i * L);
    lab[i] = set.labels[k];
  }
  return { tokBL: tf.tensor2d(tok, [B, L], "int32"), labels: tf.tensor1d(lab, "int32") };
}

/** {@link trainVAR}'s peak learning rate. */
export const DEFAULT_VAR_LR = 2e-3;

/**
 * Options of {@link trainVAR}: the budget, checkpoints, batch size (default 128) and log
 * ({@link TrainingRunOptions}), the schedule ({@link ScheduleOptions}: here `lr` defaults to
 * {@link DEFAULT_VAR_LR}, `warmupSteps` to 100, `finalLrRatio` to 0.1), AdamW, evaluation.
 */
export interface VARTrainOptions extends TrainingRunOptions, ScheduleOptions {
  /**
   * AdamW's decoupled weight decay (default 0: Adam), on the variables {@link VAR.decays}
   * names (VAR's recipe: 0.05).
   */
  weightDecay?: number;
  /** Clip the gradient's global norm at this (default 0: off; VAR's recipe: 2). */
  clipNorm?: number;
  /** Test loss every this many steps (on `evalSamples` test rows). */
  evalEvery?: number;
  /** Test rows of each evaluation (default 1000). */
  evalSamples?: number;
  /** Seed of the batches' order and of class dropout. */
  seed?: number;
  /** Called with every metrics record (live plots). */
  onMetrics?: (m: VARMetrics) => void | Promise<void>;
  /** Copies of the model to save along the run (quality against training time, at equal steps). */
  snapshots?: SnapshotPlan;
}

/** One record of {@link trainVAR}'s history. */
export interface VARMetrics {
  /** Steps done. */
  step: number;
  /** Seconds spent in training steps so far. */
  seconds: number;
  /** Learning rate of the last step. */
  lr: number;
  /** Mean training loss since the previous record. */
  trainLoss: number;
  /** Mean training loss per scale since the previous record. */
  trainLossPerScale: number[];
  /** Cross-entropy on the test rows (nats per token). */
  testLoss: number;
  /** Top-1 accuracy of the next-scale predictions on the test rows. */
  testAccuracy: number;
  /** Training sequences per second since the previous record. */
  samplesPerSecond: number;
}

/**
 * Test loss and top-1 token accuracy (teacher forcing, no class dropout) on `set`, and the loss
 * of the last step's tokens alone (`lastScaleLoss`: the finest scale, pn_K² tokens, of
 * next-scale order — VAR's L_last of its scaling laws; in raster order, a token a step, the last
 * token).
 */
export function evaluateVAR(
  model: VAR,
  quantizer: TokenOrder,
  set: TokenSet,
  limit = Infinity,
  batchSize = 500,
): { loss: number; accuracy: number; lastScaleLoss: number } {
  const n = Math.min(limit, set.length);
  const last = model.config.patchNums.at(-1)! ** 2;
  let loss = 0, right = 0, lastLoss = 0;
  for (let start = 0; start < n; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const b = tokenBatch(set, idx, model.config.patchNums);
    const [l, r, ll] = tf.tidy(() => {
      const logits = model.forward(b.labels, quantizer.idxBlToVarInput(b.idxBl));
      const V = model.config.vocabSize;
      const nll = tf.losses.softmaxCrossEntropy(
        tf.oneHot(b.tokBL, V),
        logits,
        undefined,
        undefined,
        tf.Reduction.NONE,
      ) as tf.Tensor2D; // [B, L]
      const hits = logits.argMax(2).equal(b.tokBL).sum();
      const tail = nll.slice([0, set.L - last], [-1, last]).sum();
      return [nll.sum().dataSync()[0], hits.dataSync()[0], tail.dataSync()[0]];
    });
    loss += l;
    right += r;
    lastLoss += ll;
    tf.dispose([b.tokBL, b.labels, ...b.idxBl]);
  }
  return {
    loss: loss / (n * set.L),
    accuracy: right / (n * set.L),
    lastScaleLoss: lastLoss / (n * last),
  };
}

/** What {@link trainVAR} returns. */
export interface VARTrainResult {
  /** Steps done, those before a resume included. */
  steps: number;
  /** Seconds spent in training steps (without evaluation). */
  seconds: number;
  /** Every metrics record. */
  history: VARMetrics[];
  /** True when `signal` stopped the run before its budget was spent. */
  interrupted: boolean;
  /** The copies `options.snapshots` asked for that this call saved. */
  snapshots: Snapshot[];
}

/**
 * Trains `model` on `train` token maps (teacher forcing) for a step or time budget.
 *
 * @example
 * ```ts
 * import { asMultiScale, DummyDataset, tokenize, trainVAR, VAR, VQVAE } from "vqvar";
 * import { assert } from "@std/assert";
 * const tokenizer = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16 });
 * const q = asMultiScale(tokenizer.quantizer);
 * const data = new DummyDataset({ length: 64 });
 * const tokens = tokenize(tokenizer, data); // every image's token maps, once
 * const model = new VAR({
 *   vocabSize: 16, cvae: 4, patchNums: [...q.patchNums], width: 32, depth: 1, heads: 2,
 * });
 * const { history } = await trainVAR(model, q, tokens, tokens, { steps: 5, batchSize: 16, log: null });
 * assert(history.at(-1)!.testLoss < Math.log(16) + 0.5); // nats per token, about ln V at first
 * model.dispose();
 * tokenizer.dispose();
 * ```
 */
export async function trainVAR(
  model: VAR,
  quantizer: TokenOrder,
  train: TokenSet,
  test: TokenSet,
  options: VARTrainOptions = {},
): Promise<VARTrainResult> {
  const stepTokens = model.config.patchNums.reduce((n, pn) => n + pn * pn, 0);
  for (const [name, set] of [["train", train], ["test", test]] as const) {
    if (set.L !== stepTokens) {
      throw new InputError(
        `the token order's steps [${model.config.patchNums}] do not add up to the ${name} set's ${set.L} tokens per image`,
      );
    }
  }
  const run = new VARTrainingRun(model, quantizer, train, test, options);
  const { lr = DEFAULT_VAR_LR, warmupSteps = 100, finalLrRatio = 0.1, seed = 0 } = options;
  const start = await run.resume();
  if (options.snapshots) run.snapshots = new SnapshotTaker(options.snapshots, start);
  const loop = await run.loop(
    { ...options, what: "trainVAR", lr, warmupSteps, finalLrRatio, length: train.length, seed },
    start,
    () => run.finish(),
  );
  const { step, ms } = run.tally;
  return {
    steps: step,
    seconds: ms / 1000,
    history: run.history,
    interrupted: loop.interrupted,
    snapshots: run.taken,
  };
}

/**
 * One run of {@link trainVAR}: the shared run (optimizer, checkpoints, tally of the loss and of
 * each scale's loss), the class-dropout generator, snapshots.
 */
class VARTrainingRun extends TrainingRun<VARMetrics> {
  readonly rand: SeededRandom;
  /** The training step (one graph call per step where it can). */
  readonly trainStep: VARStep;
  snapshots?: SnapshotTaker;
  taken: Snapshot[] = [];

  constructor(
    readonly model: VAR,
    readonly quantizer: TokenOrder,
    readonly train: TokenSet,
    readonly test: TokenSet,
    readonly options: VARTrainOptions,
  ) {
    const names = [...model.variables().keys()];
    super(
      "trainVAR",
      { model },
      model.trainableVariables,
      {
        learningRate: options.lr ?? DEFAULT_VAR_LR,
        beta2: 0.95,
        weightDecay: options.weightDecay ?? 0,
        clipNorm: options.clipNorm ?? 0,
        decays: (_, i) => VAR.decays(names[i]),
      },
      options,
      1 + model.config.patchNums.length,
    );
    this.rand = seededRandom(options.seed ?? 0);
    this.trainStep = new VARStep(model, quantizer, this.optimizer);
  }

  /** After the loop: the last record (if steps came after it) and the final checkpoint. */
  async finish(): Promise<void> {
    if (this.tally.sinceSteps > 0 || this.history.length === 0) await this.record();
    await this.checkpoints.save({ step: this.tally.step, ms: this.tally.ms }, this.trainerState(), {
      testLoss: this.history[this.history.length - 1].testLoss,
    });
  }

  /** Picks up a checkpointed run, if `options.resume` asks; returns where it stopped. */
  async resume(): Promise<LoopStart | undefined> {
    const resumed = await this.checkpoints.resume();
    if (!resumed) return undefined;
    this.history = (resumed.extra as { history: VARMetrics[] }).history;
    this.rand.state = resumed.random.classDropout;
    return this.resumedAt(resumed);
  }

  /** What a checkpoint keeps of the run besides its tensors. */
  trainerState(): TrainerState {
    return { random: { classDropout: this.rand.state }, extra: { history: this.history } };
  }

  /** Frees the step's graphs. */
  protected override freeStep(): void {
    this.trainStep.dispose();
  }

  /** One teacher-forced step on the rows `indices`; returns its loss. */
  step(_done: number, indices: Int32Array): number {
    const b = tokenRows(this.train, indices); // trainVAR checked that the steps add up to L
    this.values = this.trainStep.run(b.tokBL, b.labels, this.rand);
    tf.dispose([b.tokBL, b.labels]);
    return this.values[0];
  }

  /** After a step: tally it; record metrics every `evalEvery` steps. */
  async after(done: LoopStepDone): Promise<void> {
    this.tally.add(done, this.values);
    const snapshot = await this.snapshots?.after(this.model, this.tally.step, this.tally.ms);
    if (snapshot) this.taken.push(snapshot);
    const evalEvery = this.options.evalEvery ?? 200;
    if (evalEvery > 0 && this.tally.step % evalEvery === 0) await this.record();
  }

  /** A metrics record of the steps since the last one, with the test loss. */
  async record(): Promise<void> {
    const { tally } = this;
    const t = evaluateVAR(this.model, this.quantizer, this.test, this.options.evalSamples ?? 1000);
    const { means: [trainLoss, ...trainLossPerScale], rowsPerSecond } = tally.take(
      this.batchSize,
    );
    const m: VARMetrics = {
      step: tally.step,
      seconds: tally.ms / 1000,
      lr: tally.lr,
      trainLoss,
      trainLossPerScale,
      testLoss: t.loss,
      testAccuracy: t.accuracy,
      samplesPerSecond: rowsPerSecond,
    };
    this.history.push(m);
    this.log?.(
      `step ${String(m.step).padStart(5)}  ${m.seconds.toFixed(0).padStart(4)} s  train loss ${
        m.trainLoss.toFixed(3)
      }  test loss ${m.testLoss.toFixed(3)}  test token acc ${
        (100 * m.testAccuracy).toFixed(1)
      } %  ${m.samplesPerSecond.toFixed(0)} seq/s  ${
        (m.samplesPerSecond / this.batchSize).toFixed(2)
      } steps/s`,
    );
    await this.options.onMetrics?.(m);
  }
}
