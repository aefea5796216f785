/**
 * Fitting a codebook alone to fixed vectors (no encoder): the smallest experiment that shows
 * how codes move, which ones die, and what dead-code restarts, EMA updates and k-means
 * initialisation do about it. Notebook 01 runs it on 2-D data.
 */
import { tf } from "../core/backend.ts";
import { codeCounts, perplexityOfCounts, usageOfCounts } from "./codebook_health.ts";
import type { VectorQuantizer } from "./vector_quantizer.ts";
import { checkTensor } from "../core/validate.ts";
import { InputError } from "../core/errors.ts";

/** Options of {@link fitCodebook}. */
export interface FitCodebookOptions {
  /** Full-batch steps. */
  steps: number;
  /** Adam's learning rate for the codebook (ignored with EMA, which moves codes itself). */
  lr?: number;
  /** Restart dead codes every this many steps (0: never). */
  restartEvery?: number;
  /** Keep a copy of the codebook every this many steps (0: never; the last one is always kept). */
  snapshotEvery?: number;
}

/** One step's health, measured on all the vectors. */
export interface FitRecord {
  /** The step after which this was recorded. */
  step: number;
  /** The quantizer's loss (codebook + β·commitment; β·commitment alone with EMA). */
  loss: number;
  /** Share of codes that some vector chooses. */
  usage: number;
  /** exp(entropy) of the code frequencies: the number of codes "effectively" in use. */
  perplexity: number;
  /** Codes restarted at this step. */
  restarted: number;
}

/** What {@link fitCodebook} recorded. */
export interface FitResult {
  /** Loss, usage and perplexity after every step. */
  history: FitRecord[];
  /** The codebook at the requested steps. */
  snapshots: { step: number; codebook: number[][] }[];
}

/**
 * Fits `quantizer.codebook` to the vectors `zNc` (`[N, C]`) for `steps` full-batch steps.
 * Without EMA the codebook learns by gradient descent on the quantizer loss; with EMA the
 * forward pass moves it. Every step is recorded (`history`).
 *
 * @example
 * ```ts
 * import { fitCodebook, tf, VectorQuantizer } from "vqvar";
 * import { assert } from "@std/assert";
 * const q = new VectorQuantizer({ vocabSize: 8, cvae: 2 });
 * const z = tf.randomNormal([500, 2]) as tf.Tensor2D; // data to fit the codes to
 * const { history } = fitCodebook(q, z, { steps: 50, restartEvery: 10, snapshotEvery: 10 });
 * assert(history.at(-1)!.usage > 0.5); // the codes spread over the data
 * tf.dispose(z);
 * q.dispose();
 * ```
 */
export function fitCodebook(
  quantizer: VectorQuantizer,
  zNc: tf.Tensor2D,
  { steps, lr = 0.05, restartEvery = 0, snapshotEvery = 0 }: FitCodebookOptions,
): FitResult {
  checkTensor(zNc, "z", 2, `[N, C=${quantizer.cvae}]`);
  if (zNc.shape[1] !== quantizer.cvae) {
    throw new InputError(`z must be [N, C=${quantizer.cvae}], got [${zNc.shape}]`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new InputError(`steps must be ≥ 1, got ${steps}`);
  }
  const z4 = zNc.reshape([zNc.shape[0], 1, 1, quantizer.cvae]) as tf.Tensor4D;
  const optimizer = quantizer.ema ? undefined : tf.train.adam(lr);
  const history: FitRecord[] = [];
  const snapshots: FitResult["snapshots"] = [];
  const snapshot = (step: number) =>
    snapshots.push({ step, codebook: quantizer.codebook.arraySync() });
  snapshot(0);
  for (let step = 1; step <= steps; step++) {
    let lossValue: number;
    if (optimizer) {
      const loss = optimizer.minimize(
        () => quantizer.forward(z4, { training: true }).loss,
        true,
        [quantizer.codebook],
      )!;
      lossValue = loss.dataSync()[0];
      loss.dispose();
    } else {
      const out = quantizer.forward(z4, { training: true });
      lossValue = out.loss.dataSync()[0];
      tf.dispose([out.fHat, out.loss, out.indices]);
    }
    const restarted = restartEvery > 0 && step % restartEvery === 0
      ? quantizer.restartDeadCodes()
      : 0;
    const [usage, perplexity] = tf.tidy(() => {
      const counts = codeCounts(quantizer.nearest(zNc), quantizer.vocabSize);
      return [usageOfCounts(counts).dataSync()[0], perplexityOfCounts(counts).dataSync()[0]];
    });
    history.push({ step, loss: lossValue, usage, perplexity, restarted });
    if ((snapshotEvery > 0 && step % snapshotEvery === 0) || step === steps) {
      if (snapshots[snapshots.length - 1].step !== step) snapshot(step);
    }
  }
  optimizer?.dispose();
  z4.dispose();
  return { history, snapshots };
}
