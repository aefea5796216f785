/**
 * VAR's residual refinement `φ` (models/quant.py `Phi`): a 3×3 convolution blended with its
 * input, `φ(h) = (1 − r)·h + r·(conv3×3(h) + b)` with `r = |quantResi|`, and the rule that picks
 * which of K shared φ serves scale `si` of `SN`.
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";

/** One φ's weights. */
export interface PhiWeights {
  /** `[3, 3, C, C]`, HWIO (as tf.conv2d takes it). */
  kernel: tf.Tensor4D;
  /** `[C]` */
  bias: tf.Tensor1D;
}

/** φ folded into one convolution: `kernel` `[3, 3, C, C]` and `bias` `[C]`. */
export type FoldedPhi = PhiWeights;

/**
 * One φ: `φ(h) = (1 − r)·h + r·(conv3×3(h) + b)`, computed as one convolution with the blend
 * folded into its kernel: `conv(h, r·K + (1 − r)·δ) + r·b`, δ the identity kernel (1 at the
 * centre tap, per channel).
 */
export class Phi {
  /** `[3, 3, C, C]` HWIO (VAR's `Conv2d` weight, transposed). */
  readonly kernel: tf.Variable<tf.Rank.R4>;
  /** `[C]` */
  readonly bias: tf.Variable<tf.Rank.R1>;

  /** `(1 − r)·δ`: the identity part of the folded kernel, built once. */
  private readonly delta: tf.Tensor4D;

  /** A φ for `channels` channels blending with `ratio` r = |quantResi|, PyTorch's init. */
  constructor(readonly channels: number, readonly ratio: number, seed = 0) {
    const identity = tf.buffer([3, 3, channels, channels]);
    for (let i = 0; i < channels; i++) identity.set(1 - ratio, 1, 1, i, i);
    this.delta = identity.toTensor() as tf.Tensor4D;
    // PyTorch's Conv2d default: uniform in ±1/sqrt(fan_in) for kernel and bias.
    const bound = 1 / Math.sqrt(channels * 9);
    this.kernel = tf.tidy(() =>
      tf.variable(tf.randomUniform([3, 3, channels, channels], -bound, bound, "float32", seed))
    );
    this.bias = tf.tidy(() =>
      tf.variable(tf.randomUniform([channels], -bound, bound, "float32", seed + 1))
    );
  }

  /** The blend folded into one kernel and bias (build once, apply at every scale it serves). */
  folded(): FoldedPhi {
    return tf.tidy(() => ({
      kernel: this.kernel.mul(this.ratio).add(this.delta) as tf.Tensor4D,
      bias: this.bias.mul(this.ratio) as tf.Tensor1D,
    }));
  }

  /** `hBhwc` (`[B, H, W, C]`) refined; pass `folded()` when applying it more than once. */
  apply(hBhwc: tf.Tensor4D, folded?: FoldedPhi): tf.Tensor4D {
    return tf.tidy(() => {
      const { kernel, bias } = folded ?? this.folded();
      return tf.fused.conv2d({ x: hBhwc, filter: kernel, strides: 1, pad: "same", bias });
    });
  }

  /** Replaces the kernel (`[3, 3, C, C]` HWIO) and bias (`[C]`). */
  setWeights({ kernel, bias }: PhiWeights): void {
    const c = this.channels;
    if (kernel.shape.join() !== [3, 3, c, c].join()) {
      throw new InputError(`phi kernel must be [3, 3, ${c}, ${c}] (HWIO), got [${kernel.shape}]`);
    }
    if (bias.shape.join() !== `${c}`) {
      throw new InputError(`phi bias must be [${c}], got [${bias.shape}]`);
    }
    this.kernel.assign(kernel);
    this.bias.assign(bias);
  }

  /** Frees the weights. */
  dispose(): void {
    tf.dispose([this.kernel, this.bias, this.delta]);
  }
}

/** How many φ a configuration has: `shareQuantResi` K ≥ 2 → K, 1 → 1, 0 → one per scale. */
export function phiCount(shareQuantResi: number, scales: number): number {
  return shareQuantResi === 0 ? scales : shareQuantResi;
}

/**
 * Which φ (0-based) serves scale `si` of `scales`: the one whose tick is nearest to
 * `si / (scales − 1)`, ticks = linspace(1/3/K, 1 − 1/3/K, K) for K = 4, else
 * linspace(1/2/K, 1 − 1/2/K, K). The first of equally near ticks wins, as with np.argmin.
 */
export function phiIndexForScale(si: number, scales: number, count: number): number {
  if (count === 1) return 0;
  const at = scales > 1 ? si / (scales - 1) : 0;
  const start = count === 4 ? 1 / 3 / count : 1 / 2 / count;
  const stop = 1 - start;
  const step = (stop - start) / (count - 1); // np.linspace's arithmetic
  let best = 0;
  let bestD = Infinity;
  for (let k = 0; k < count; k++) {
    const tick = k === count - 1 ? stop : start + k * step;
    const d = Math.abs(tick - at);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

/**
 * How many of the scales `0 .. upTo − 1` (of `scales`) each of `count` φ serves, in φ order.
 * {@link phiIndexForScale} never falls as the scale rises, so φ k serves one run of consecutive
 * scales, right after those of φ k − 1 (a count of 0: φ k serves none of them).
 */
export function scalesPerPhi(scales: number, count: number, upTo = scales): number[] {
  const served = new Array<number>(count).fill(0);
  for (let si = 0; si < upTo; si++) served[phiIndexForScale(si, scales, count)]++;
  return served;
}
