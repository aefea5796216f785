/**
 * VAR's residual refinement `φ` (models/quant.py `Phi`): a 3×3 convolution blended with its
 * input, `φ(h) = (1 − r)·h + r·(conv3×3(h) + b)` with `r = |quantResi|`, and the rule that picks
 * which of K shared φ serves scale `si` of `SN`.
 */
import { tf } from "./backend.ts";
export interface PhiWeights {
    /** `[3, 3, C, C]`, HWIO (as tf.conv2d takes it). */
    kernel: tf.Tensor4D;
    /** `[C]` */
    bias: tf.Tensor1D;
}
export declare class Phi {
    readonly channels: number;
    readonly ratio: number;
    readonly kernel: tf.Variable<tf.Rank.R4>;
    readonly bias: tf.Variable<tf.Rank.R1>;
    constructor(channels: number, ratio: number, seed?: number);
    /** `hBhwc` (`[B, H, W, C]`) refined. */
    apply(hBhwc: tf.Tensor4D): tf.Tensor4D;
    setWeights({ kernel, bias }: PhiWeights): void;
    dispose(): void;
}
/** How many φ a configuration has: `shareQuantResi` K ≥ 2 → K, 1 → 1, 0 → one per scale. */
export declare function phiCount(shareQuantResi: number, scales: number): number;
/**
 * Which φ (0-based) serves scale `si` of `scales`: the one whose tick is nearest to
 * `si / (scales − 1)`, ticks = linspace(1/3/K, 1 − 1/3/K, K) for K = 4, else
 * linspace(1/2/K, 1 − 1/2/K, K). The first of equally near ticks wins, as with np.argmin.
 */
export declare function phiIndexForScale(si: number, scales: number, count: number): number;
