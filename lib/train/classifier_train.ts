/** Training the Fashion-MNIST judge (`Classifier`): cross-entropy, Adam, the shared loop. */
import { tf } from "../core/backend.ts";
import type { ImageDataset } from "../data/datasets.ts";
import type { Classifier } from "../models/classifier.ts";
import { type Budget, budgetedLoop } from "./loop.ts";
import type { RunOptions } from "./run_checkpoint.ts";
import { FlatAdam } from "./optim.ts";

/** Options of {@link trainClassifier}. */
export interface ClassifierTrainOptions extends Budget, Pick<RunOptions, "signal" | "progress"> {
  /** Images per batch (default 128). */
  batchSize?: number;
  /** Peak learning rate (default 3e-3; 20 warm-up steps, cosine decay). */
  lr?: number;
  /** Seed of the batches' order. */
  seed?: number;
}

/**
 * Trains `classifier` on labelled images for `steps` or `minutes`, whichever comes first;
 * returns the steps, the seconds and the last batch's loss.
 *
 * @example
 * ```ts
 * import { Classifier, loadFashionMnist, trainClassifier } from "vqvar";
 * import { assert } from "@std/assert";
 * const judge = new Classifier();
 * // The shipped judge trained 1.5 minutes ({ minutes: 1.5 }); 100 steps give ~70 % (chance: 10 %).
 * await trainClassifier(judge, await loadFashionMnist("train"), { steps: 100 });
 * assert(judge.accuracy((await loadFashionMnist("test")).take(2000)) > 0.5);
 * judge.dispose();
 * ```
 */
export async function trainClassifier(
  classifier: Classifier,
  data: ImageDataset,
  { steps, minutes, batchSize = 128, lr = 3e-3, seed = 0, signal, progress }:
    ClassifierTrainOptions = {},
): Promise<{ steps: number; seconds: number; loss: number }> {
  const optimizer = new FlatAdam([...classifier.variables().values()], { learningRate: lr });
  let loss = NaN;
  try {
    const r = await budgetedLoop({
      what: "trainClassifier",
      signal,
      progress,
      steps,
      minutes,
      lr,
      warmupSteps: 20,
      length: data.length,
      batchSize,
      seed,
      optimizer,
      step: ({ indices }) => {
        const { xBhwc, labels } = data.batch(indices);
        const l = optimizer.minimize(() =>
          tf.losses.softmaxCrossEntropy(
            tf.oneHot(labels, classifier.config.classes),
            classifier.logits(xBhwc),
          ) as tf.Scalar
        );
        loss = l.dataSync()[0];
        tf.dispose([l, xBhwc, labels]);
        return loss;
      },
    });
    return { ...r, loss };
  } finally {
    optimizer.dispose();
  }
}
