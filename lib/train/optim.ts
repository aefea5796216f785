/**
 * Adam over all of a model's variables at once.
 *
 * `tf.train.adam` updates each variable with its own dozen kernels; a VQ-VAE has some forty
 * variables, so the optimizer alone launches ~500 kernels a step, and with tfjs-node each
 * kernel costs tens of microseconds of overhead whatever its size. `FlatAdam` concatenates the
 * gradients into one vector, keeps the two moments as one vector each, and splits the update
 * back: about three kernels per variable plus a fixed handful. The arithmetic is Adam's
 * (Kingma & Ba, with bias correction folded into the step size), as in `tf.train.adam`; with
 * `weightDecay` it is AdamW, and `clipNorm` clips the gradient's global norm first (VAR's
 * optimiser: AdamW, weight decay 0.05, clipping at 2).
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { checkRange } from "../core/validate.ts";

/** Adam's hyper-parameters (`tf.train.adam`'s defaults; PyTorch's ε is 1e-8). */
export interface FlatAdamOptions {
  /** Step size (default 1e-3). */
  learningRate?: number;
  /** Decay of the first moment (default 0.9). */
  beta1?: number;
  /** Decay of the second moment (default 0.999). */
  beta2?: number;
  /** Added to the root of the second moment (default 1e-7, as `tf.train.adam`). */
  epsilon?: number;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter; PyTorch's `AdamW`): each step first
   * multiplies the decayed variables by `1 − learningRate · weightDecay` (default 0: Adam).
   */
  weightDecay?: number;
  /** Which variables `weightDecay` applies to (default: those of rank ≥ 2). */
  decays?: (variable: tf.Variable, index: number) => boolean;
  /**
   * Clips the gradient to this global L2 norm before the update (PyTorch's
   * `clip_grad_norm_(max_norm)`: scaled by `max / (norm + 1e-6)` when above; default 0: off).
   */
  clipNorm?: number;
}

/**
 * Adam over all variables at once: one flat vector of moments, one update per step.
 *
 * @example
 * ```ts
 * import { FlatAdam, tf } from "vqvar";
 * import { assert } from "@std/assert";
 * const w = tf.variable(tf.tensor1d([5]));
 * const opt = new FlatAdam([w], { learningRate: 0.5 });
 * for (let i = 0; i < 50; i++) opt.minimize(() => w.square().sum() as tf.Scalar).dispose();
 * assert(Math.abs(w.dataSync()[0]) < 1); // on its way to the minimum at 0
 * opt.dispose();
 * w.dispose();
 * ```
 */
export class FlatAdam {
  /** Step size; the schedule changes it between steps. */
  learningRate: number;
  /** Decay of the first moment. */
  readonly beta1: number;
  /** Decay of the second moment. */
  readonly beta2: number;
  /** Added to the root of the second moment. */
  readonly epsilon: number;
  private readonly sizes: number[];
  private readonly m: tf.Variable<tf.Rank.R1>;
  private readonly v: tf.Variable<tf.Rank.R1>;
  /** Decoupled weight decay (0: plain Adam). */
  readonly weightDecay: number;
  /** Global gradient-norm bound (0: off). */
  readonly clipNorm: number;
  private readonly decayed: boolean[];
  private t = 0;

  /** An optimizer of `variables` (the trainable ones are updated). */
  constructor(readonly variables: tf.Variable[], options: FlatAdamOptions = {}) {
    if (variables.length === 0) throw new InputError("FlatAdam needs at least one variable");
    checkRange(options.learningRate ?? 1e-3, "learningRate", 0, Infinity);
    checkRange(options.beta1 ?? 0.9, "beta1", 0, 1, { maxOpen: true });
    checkRange(options.beta2 ?? 0.999, "beta2", 0, 1, { maxOpen: true });
    checkRange(options.epsilon ?? 1e-7, "epsilon", 0, Infinity);
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7; // tf.train.adam's default
    checkRange(options.weightDecay ?? 0, "weightDecay", 0, Infinity);
    checkRange(options.clipNorm ?? 0, "clipNorm", 0, Infinity);
    this.weightDecay = options.weightDecay ?? 0;
    this.clipNorm = options.clipNorm ?? 0;
    const decays = options.decays ?? ((v: tf.Variable) => v.rank >= 2);
    this.decayed = variables.map((v, i) => this.weightDecay > 0 && decays(v, i));
    this.sizes = variables.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.m = tf.tidy(() => tf.variable(tf.zeros([total]), false));
    this.v = tf.tidy(() => tf.variable(tf.zeros([total]), false));
  }

  /**
   * One step: computes the gradients of `loss()` with respect to the variables, updates them,
   * and returns the loss (the caller disposes it). `scalars` are this step's numbers
   * ({@link FlatAdam.nextScalars}, taken when not given): a step run as a graph
   * (`GraphFunction`) takes them as an input, since they change from step to step.
   */
  minimize(loss: () => tf.Scalar, scalars?: tf.Tensor1D): tf.Scalar {
    const numbers = scalars ?? this.nextScalars();
    const { value, grads } = tf.variableGrads(loss, this.variables);
    tf.tidy(() => {
      // A variable the loss does not reach (e.g. an unused φ) gets a zero gradient.
      let g: tf.Tensor = tf.concat(
        this.variables.map((v) => (grads[v.name] ?? tf.zerosLike(v)).reshape([-1])),
      );
      if (this.clipNorm > 0) {
        const norm = g.square().sum().sqrt();
        g = g.mul(tf.minimum(1, tf.div(this.clipNorm, norm.add(1e-6))));
      }
      const m = this.m.mul(this.beta1).add(g.mul(1 - this.beta1));
      const v = this.v.mul(this.beta2).add(g.square().mul(1 - this.beta2));
      this.m.assign(m as tf.Tensor1D);
      this.v.assign(v as tf.Tensor1D);
      // lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)
      const [c2, rate, shrink] = tf.split(numbers, 3);
      const step = m.div(v.div(c2).sqrt().add(this.epsilon)).mul(rate);
      tf.split(step, this.sizes).forEach((u, i) => {
        const variable = this.variables[i];
        const kept = this.decayed[i] ? variable.mul(shrink) : variable;
        variable.assign(kept.add(u.reshape(variable.shape)));
      });
    });
    tf.dispose(Object.values(grads));
    if (!scalars) numbers.dispose();
    return value;
  }

  /**
   * Advances Adam's step count `t` and returns this step's numbers `[1 − β2ᵗ, −lr/(1 − β1ᵗ),
   * 1 − lr·weightDecay]` (the caller disposes them, or {@link FlatAdam.minimize} does when it
   * took them itself).
   */
  nextScalars(): tf.Tensor1D {
    this.t++;
    const c1 = 1 - Math.pow(this.beta1, this.t);
    const c2 = 1 - Math.pow(this.beta2, this.t);
    return tf.tensor1d([c2, -this.learningRate / c1, 1 - this.learningRate * this.weightDecay]);
  }

  /** Steps taken (Adam's `t`, which sets the bias corrections); restore it to resume. */
  get iterations(): number {
    return this.t;
  }
  set iterations(t: number) {
    this.t = t;
  }

  /** The moments `m` and `v` (flat), to save with a training checkpoint and assign on resume. */
  stateVariables(): Map<string, tf.Variable> {
    return new Map<string, tf.Variable>([["m", this.m], ["v", this.v]]);
  }

  /** Frees the moments. */
  dispose(): void {
    tf.dispose([this.m, this.v]);
  }
}
