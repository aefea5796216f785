/**
 * One training step of {@link VAR} on a batch of token maps, as `trainVAR` takes it: the token
 * order's teacher-forcing input, the cross-entropy of every position, Adam's update; run as one
 * TensorFlow graph per step (lib/core/graph/graph_function.ts) where it can, eagerly elsewhere.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type GraphCalls, GraphFunction } from "../core/graph/graph_function.ts";
import type { VAR } from "../models/var.ts";
import type { TokenOrder } from "../quant/token_order.ts";
import type { FlatAdam } from "./optim.ts";

/**
 * `trainVAR`'s step (and the benchmark's): class dropout drawn in JavaScript, then the rest as
 * one graph call with the step's inputs: tokens `[B, L]`, the dropped labels, and Adam's
 * numbers for this step ({@link FlatAdam.nextScalars}).
 */
export class VARStep {
  private readonly graph: GraphFunction;

  /** A step of `model` on `order`'s tokens, updated by `optimizer`. */
  constructor(
    readonly model: VAR,
    readonly order: TokenOrder,
    readonly optimizer: FlatAdam,
  ) {
    const sizes = model.config.patchNums.map((pn) => pn * pn);
    this.graph = new GraphFunction(([tokBL, labels, scalars]) => {
      let perScale: tf.Tensor | undefined;
      const loss = optimizer.minimize(() =>
        tf.tidy(() => {
          const idxBl = tf.split(tokBL, sizes, 1) as tf.Tensor2D[];
          const x = order.idxBlToVarInput(idxBl);
          const out = model.loss(labels as tf.Tensor1D, x, tokBL as tf.Tensor2D);
          perScale = tf.keep(out.perScale);
          return out.loss;
        }), scalars as tf.Tensor1D);
      return [loss, perScale!];
    });
  }

  /**
   * One step on tokens `tokBL` (`int32 [B, L]`) of classes `labels` (`int32 [B]`), class
   * dropout drawn from `rand`; returns the loss and each scale's mean loss, read back.
   */
  run(tokBL: tf.Tensor2D, labels: tf.Tensor1D, rand: () => number): number[] {
    const dropped = this.model.dropLabels(labels, rand);
    const scalars = this.optimizer.nextScalars();
    const [loss, perScale] = this.graph.call([tokBL, dropped, scalars]);
    const values = [loss.dataSync()[0], ...perScale.dataSync()];
    tf.dispose([dropped, scalars, loss, perScale]);
    return values;
  }

  /** How the steps so far ran (eagerly, as a graph). */
  get calls(): GraphCalls {
    return this.graph.calls;
  }

  /** Why the step runs eagerly, if it cannot run as a graph. */
  get why(): string | undefined {
    return this.graph.why;
  }

  /** Frees the step's graphs. */
  dispose(): void {
    this.graph.dispose();
  }
}
