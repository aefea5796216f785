/**
 * Adam over all of a model's variables at once.
 *
 * `tf.train.adam` updates each variable with its own dozen kernels; a VQ-VAE has some forty
 * variables, so the optimizer alone launches ~500 kernels a step, and with tfjs-node each
 * kernel costs tens of microseconds of overhead whatever its size. `FlatAdam` concatenates the
 * gradients into one vector, keeps the two moments as one vector each, and splits the update
 * back: about three kernels per variable plus a fixed handful. The arithmetic is Adam's
 * (Kingma & Ba, with bias correction folded into the step size), as in `tf.train.adam`.
 */
import { tf } from "./backend.ts";
export interface FlatAdamOptions {
    learningRate?: number;
    beta1?: number;
    beta2?: number;
    epsilon?: number;
}
export declare class FlatAdam {
    readonly variables: tf.Variable[];
    learningRate: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
    private readonly sizes;
    private readonly m;
    private readonly v;
    private t;
    constructor(variables: tf.Variable[], options?: FlatAdamOptions);
    /**
     * One step: computes the gradients of `loss()` with respect to the variables, updates them,
     * and returns the loss (the caller disposes it).
     */
    minimize(loss: () => tf.Scalar): tf.Scalar;
    dispose(): void;
}
