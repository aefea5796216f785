/**
 * One training step of a VQ-VAE (`train`'s step, and the benchmark's): the training forward,
 * the loss and its two terms, Adam's update; run as one TensorFlow graph per step
 * (lib/core/graph/graph_function.ts) when the quantizer can say what a step takes from
 * JavaScript (`Quantizer.beginTrainingStep`: the multi-scale quantizer), eagerly otherwise.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type GraphCalls, GraphFunction } from "../core/graph/graph_function.ts";
import type { VQModel } from "../models/vqvae.ts";
import type { QuantizerStepInputs } from "../quant/quantizer.ts";
import type { FlatAdam } from "./optim.ts";

/**
 * A VQ-VAE's training step: the quantizer's numbers for the step and Adam's are drawn in
 * JavaScript, then the rest runs as one graph call with them as inputs.
 */
export class VQStep {
  private readonly graph: GraphFunction;
  /** The key of the step being run (the graph's function reads it). */
  private key = "";

  /** A step of `model`, updated by `optimizer`. */
  constructor(readonly model: VQModel, readonly optimizer: FlatAdam) {
    // One graph per key: the multi-scale quantizer keeps one scale's residuals a step, in turn.
    const maxGraphs = 24;
    this.graph = new GraphFunction(
      ([x, scalars, ...numbers]) =>
        this.minimize(x as tf.Tensor4D, scalars as tf.Tensor1D, {
          key: this.key,
          tensors: numbers,
        }),
      { maxGraphs },
    );
  }

  /** Adam's update of the training loss on `xBhwc`: the loss, and it with its two terms. */
  private minimize(
    xBhwc: tf.Tensor4D,
    scalars: tf.Tensor1D,
    step?: QuantizerStepInputs,
  ): tf.Tensor[] {
    let parts: tf.Tensor | undefined; // the loss and its two terms
    const loss = this.optimizer.minimize(() => {
      const out = this.model.trainForward(xBhwc, step);
      parts = tf.keep(tf.stack([out.loss, out.reconstruction, out.vq]));
      return out.loss;
    }, scalars);
    return [loss, parts!];
  }

  /** One step on images `xBhwc`; returns the loss, its reconstruction and VQ terms, read back. */
  run(xBhwc: tf.Tensor4D): number[] {
    const { quantizer } = this.model;
    const step: QuantizerStepInputs | undefined = quantizer.beginTrainingStep?.(xBhwc.shape[0]);
    const scalars = this.optimizer.nextScalars();
    if (step) this.key = step.key;
    const results = step
      ? this.graph.call([xBhwc, scalars, ...step.tensors], step.key)
      : this.minimize(xBhwc, scalars); // its training forward may not become a graph: eager
    const values = Array.from(results[1].dataSync());
    tf.dispose([...results, scalars, ...(step?.tensors ?? [])]);
    return values;
  }

  /** How the steps so far ran (eagerly, as graphs). */
  get calls(): GraphCalls {
    return this.graph.calls;
  }

  /** Frees the step's graphs. */
  dispose(): void {
    this.graph.dispose();
  }
}
