/**
 * Small convolutional building blocks holding their own `tf.Variable`s, channels-last.
 * Every block has `apply(x)`, `variables` (name → variable, for optimizers and checkpoints)
 * and `dispose()`.
 */
import { tf } from "./backend.ts";
export interface Module {
    /** Variables by a name unique inside the model, e.g. `enc.conv1.kernel`. */
    variables(prefix: string): Map<string, tf.Variable>;
    dispose(): void;
}
/** A layer made of one kernel and one bias. */
declare abstract class KernelAndBias implements Module {
    abstract readonly kernel: tf.Variable<tf.Rank.R4>;
    abstract readonly bias: tf.Variable<tf.Rank.R1>;
    variables(prefix: string): Map<string, tf.Variable>;
    dispose(): void;
}
export declare class Conv2D extends KernelAndBias {
    readonly outChannels: number;
    readonly size: number;
    readonly stride: number;
    readonly padding: "same" | "valid";
    readonly kernel: tf.Variable<tf.Rank.R4>;
    readonly bias: tf.Variable<tf.Rank.R1>;
    constructor(inChannels: number, outChannels: number, size: number, stride?: number, padding?: "same" | "valid", seed?: number);
    apply(xBhwc: tf.Tensor4D): tf.Tensor4D;
}
/** Transposed convolution that doubles H and W (kernel 4, stride 2, as PyTorch's k4 s2 p1). */
export declare class UpConv2D extends KernelAndBias {
    readonly outChannels: number;
    readonly kernel: tf.Variable<tf.Rank.R4>;
    readonly bias: tf.Variable<tf.Rank.R1>;
    constructor(inChannels: number, outChannels: number, seed?: number);
    apply(xBhwc: tf.Tensor4D): tf.Tensor4D;
}
/** VQ-VAE's residual block: `x + conv1×1(relu(conv3×3(relu(x))))`. */
export declare class ResBlock implements Module {
    readonly conv1: Conv2D;
    readonly conv2: Conv2D;
    constructor(channels: number, hidden: number, seed?: number);
    apply(xBhwc: tf.Tensor4D): tf.Tensor4D;
    variables(prefix: string): Map<string, tf.Variable>;
    dispose(): void;
}
export {};
