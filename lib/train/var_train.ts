/**
 * Training VAR on token maps: tokenize a dataset once with a trained VQ-VAE, then train the
 * next-scale transformer on batches of (tokens, labels) with teacher forcing.
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import type { ImageDataset } from "../data/datasets.ts";
import type { TokenOrder } from "../quant/token_order.ts";
import { FlatAdam } from "./optim.ts";
import { seededRandom } from "../core/random.ts";
import { type Budget, budgetedLoop, type LoopStart } from "./loop.ts";
import {
  RunCheckpoints,
  type RunOptions,
  type RunTensors,
  type TrainerState,
} from "./run_checkpoint.ts";
import type { VAR } from "../models/var.ts";
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
  const B = indices.length, L = set.L;
  if (patchNums.reduce((n, pn) => n + pn * pn, 0) !== L) {
    throw new InputError(
      `the token order's steps [${patchNums}] do not add up to the set's ${L} tokens per image`,
    );
  }
  const tok = new Int32Array(B * L);
  const lab = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const k = indices[i];
    tok.set(set.tokens.subarray(k * L, (k + 1) * L), i * L);
    lab[i] = set.labels[k];
  }
  const tokBL = tf.tensor2d(tok, [B, L], "int32");
  const idxBl = tf.split(tokBL, patchNums.map((pn) => pn * pn), 1) as tf.Tensor2D[];
  return { tokBL, idxBl, labels: tf.tensor1d(lab, "int32") };
}

/** Options of {@link trainVAR}: the budget, the schedule, evaluation. */
export interface VARTrainOptions extends Budget, RunOptions {
  /** Sequences per batch (default 128). */
  batchSize?: number;
  /** Peak learning rate (default 2e-3). */
  lr?: number;
  /** Steps of linear warm-up (default 100). */
  warmupSteps?: number;
  /** Test loss every this many steps (on `evalSamples` test rows). */
  evalEvery?: number;
  /** Test rows of each evaluation (default 1000). */
  evalSamples?: number;
  /** Seed of the batches' order and of class dropout. */
  seed?: number;
  /** Called with every metrics record (live plots). */
  onMetrics?: (m: VARMetrics) => void | Promise<void>;
  /** Progress lines (default console.log; `null` for silence). */
  log?: ((line: string) => void) | null;
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

/** Test loss and top-1 token accuracy (teacher forcing, no class dropout) on `set`. */
export function evaluateVAR(
  model: VAR,
  quantizer: TokenOrder,
  set: TokenSet,
  limit = Infinity,
  batchSize = 500,
): { loss: number; accuracy: number } {
  const n = Math.min(limit, set.length);
  let loss = 0, right = 0;
  for (let start = 0; start < n; start += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const b = tokenBatch(set, idx, model.config.patchNums);
    const [l, r] = tf.tidy(() => {
      const logits = model.forward(b.labels, quantizer.idxBlToVarInput(b.idxBl));
      const V = model.config.vocabSize;
      const flat = logits.reshape([-1, V]);
      const target = b.tokBL.reshape([-1]);
      const nll = tf.losses.softmaxCrossEntropy(
        tf.oneHot(target, V),
        flat,
        undefined,
        undefined,
        tf.Reduction.SUM,
      );
      const hits = flat.argMax(1).equal(target).sum();
      return [nll.dataSync()[0], hits.dataSync()[0]];
    });
    loss += l;
    right += r;
    tf.dispose([b.tokBL, b.labels, ...b.idxBl]);
  }
  return { loss: loss / (n * set.L), accuracy: right / (n * set.L) };
}

/** Trains `model` on `train` token maps (teacher forcing) for a step or time budget. */
export async function trainVAR(
  model: VAR,
  quantizer: TokenOrder,
  train: TokenSet,
  test: TokenSet,
  options: VARTrainOptions = {},
): Promise<{ steps: number; seconds: number; history: VARMetrics[]; interrupted: boolean }> {
  const {
    steps,
    minutes,
    batchSize = 128,
    lr = 2e-3,
    warmupSteps = 100,
    evalEvery = 200,
    evalSamples = 1000,
    seed = 0,
    onMetrics,
  } = options;
  const stepTokens = model.config.patchNums.reduce((n, pn) => n + pn * pn, 0);
  for (const [name, set] of [["train", train], ["test", test]] as const) {
    if (set.L !== stepTokens) {
      throw new InputError(
        `the token order's steps [${model.config.patchNums}] do not add up to the ${name} set's ${set.L} tokens per image`,
      );
    }
  }
  const log = options.log === undefined ? console.log : options.log;
  const opt = new FlatAdam(model.trainableVariables, { learningRate: lr, beta2: 0.95 });
  const rand = seededRandom(seed);
  let history: VARMetrics[] = [];
  const run: RunTensors = { model, optimizer: opt };
  const checkpoints = new RunCheckpoints("trainVAR", run, options, log);
  const resumed = await checkpoints.resume();
  if (resumed) {
    history = (resumed.extra as { history: VARMetrics[] }).history;
    rand.state = resumed.random.classDropout;
  }
  const start: LoopStart | undefined = resumed && { step: resumed.step, ms: resumed.ms };
  const trainerState = (): TrainerState => ({
    random: { classDropout: rand.state },
    extra: { history },
  });
  const scales = model.config.patchNums.length;
  let step = start?.step ?? 0, trainMs = start?.ms ?? 0;
  let sinceMs = 0, sinceSteps = 0, sum = 0, lrNow = 0;
  let interrupted = false;
  let sumPerScale = new Array(scales).fill(0);
  let perScale: ArrayLike<number> = [];
  const record = async () => {
    const t = evaluateVAR(model, quantizer, test, evalSamples);
    const m: VARMetrics = {
      step,
      seconds: trainMs / 1000,
      lr: lrNow,
      trainLoss: sum / Math.max(1, sinceSteps),
      trainLossPerScale: sumPerScale.map((s) => s / Math.max(1, sinceSteps)),
      testLoss: t.loss,
      testAccuracy: t.accuracy,
      samplesPerSecond: (sinceSteps * batchSize) / Math.max(1e-9, sinceMs / 1000),
    };
    history.push(m);
    sum = 0;
    sumPerScale = new Array(scales).fill(0);
    sinceSteps = 0;
    sinceMs = 0;
    log?.(
      `step ${String(step).padStart(5)}  ${m.seconds.toFixed(0).padStart(4)} s  train loss ${
        m.trainLoss.toFixed(3)
      }  test loss ${m.testLoss.toFixed(3)}  test token acc ${
        (100 * m.testAccuracy).toFixed(1)
      } %  ${m.samplesPerSecond.toFixed(0)} seq/s`,
    );
    await onMetrics?.(m);
  };
  try {
    const loop = await budgetedLoop({
      ...options,
      what: "trainVAR",
      steps,
      minutes,
      lr,
      warmupSteps,
      finalLrRatio: 0.1,
      length: train.length,
      batchSize,
      seed,
      optimizer: opt,
      start,
      save: checkpoints.periodic(trainerState),
      step: ({ indices }) => {
        const b = tokenBatch(train, indices, model.config.patchNums);
        let per: tf.Tensor | undefined;
        const loss = opt.minimize(() =>
          tf.tidy(() => {
            const x = quantizer.idxBlToVarInput(b.idxBl);
            const out = model.loss(x, b.tokBL, b.labels, rand);
            per = tf.keep(out.perScale);
            return out.loss;
          })
        );
        const v = loss.dataSync()[0];
        perScale = per!.dataSync();
        tf.dispose([loss, per!, b.tokBL, b.labels, ...b.idxBl]);
        return v;
      },
      after: async (done) => {
        step = done.step;
        lrNow = done.lr;
        trainMs += done.ms;
        sinceMs += done.ms;
        sinceSteps++;
        sum += done.loss;
        for (let s = 0; s < scales; s++) sumPerScale[s] += perScale[s];
        if (evalEvery > 0 && step % evalEvery === 0) await record();
      },
    });
    interrupted = loop.interrupted;
    if (sinceSteps > 0 || history.length === 0) await record();
    await checkpoints.save({ step, ms: trainMs }, trainerState(), {
      testLoss: history[history.length - 1].testLoss,
    });
  } finally {
    opt.dispose();
  }
  return { steps: step, seconds: trainMs / 1000, history, interrupted };
}
