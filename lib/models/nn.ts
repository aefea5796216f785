/**
 * Small convolutional building blocks holding their own `tf.Variable`s, channels-last.
 * Every block has `apply(x)`, `variables` (name → variable, for optimizers and checkpoints)
 * and `dispose()`.
 */
import { tf } from "../core/backend.ts";
import { relu } from "../quant/grad.ts";

export interface Module {
  /** Variables by a name unique inside the model, e.g. `enc.conv1.kernel`. */
  variables(prefix: string): Map<string, tf.Variable>;
  dispose(): void;
}

/** He-uniform initialisation, seeded: uniform in ±sqrt(6 / fanIn). */
function heUniform(shape: number[], fanIn: number, seed: number): tf.Tensor {
  const bound = Math.sqrt(6 / fanIn);
  return tf.randomUniform(shape, -bound, bound, "float32", seed);
}

/** A layer made of one kernel and one bias. */
abstract class KernelAndBias implements Module {
  abstract readonly kernel: tf.Variable<tf.Rank.R4>;
  abstract readonly bias: tf.Variable<tf.Rank.R1>;

  variables(prefix: string): Map<string, tf.Variable> {
    return new Map<string, tf.Variable>([
      [`${prefix}.kernel`, this.kernel],
      [`${prefix}.bias`, this.bias],
    ]);
  }

  dispose(): void {
    tf.dispose([this.kernel, this.bias]);
  }
}

export class Conv2D extends KernelAndBias {
  readonly kernel: tf.Variable<tf.Rank.R4>; // HWIO
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(
    inChannels: number,
    readonly outChannels: number,
    readonly size: number,
    readonly stride = 1,
    readonly padding: "same" | "valid" = "same",
    seed = 0,
  ) {
    super();
    this.kernel = tf.tidy(() =>
      tf.variable(heUniform([size, size, inChannels, outChannels], size * size * inChannels, seed))
    ) as tf.Variable<tf.Rank.R4>;
    this.bias = tf.tidy(() => tf.variable(tf.zeros([outChannels]))) as tf.Variable<tf.Rank.R1>;
  }

  apply(xBhwc: tf.Tensor4D): tf.Tensor4D {
    return tf.conv2d(xBhwc, this.kernel, this.stride, this.padding).add(this.bias);
  }
}

/** Transposed convolution that doubles H and W (kernel 4, stride 2, as PyTorch's k4 s2 p1). */
export class UpConv2D extends KernelAndBias {
  readonly kernel: tf.Variable<tf.Rank.R4>; // [h, w, out, in], as conv2dTranspose takes it
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(inChannels: number, readonly outChannels: number, seed = 0) {
    super();
    this.kernel = tf.tidy(() =>
      tf.variable(heUniform([4, 4, outChannels, inChannels], 4 * inChannels, seed))
    ) as tf.Variable<tf.Rank.R4>;
    this.bias = tf.tidy(() => tf.variable(tf.zeros([outChannels]))) as tf.Variable<tf.Rank.R1>;
  }

  apply(xBhwc: tf.Tensor4D): tf.Tensor4D {
    const [b, h, w] = xBhwc.shape;
    return tf.conv2dTranspose(xBhwc, this.kernel, [b, 2 * h, 2 * w, this.outChannels], 2, "same")
      .add(this.bias);
  }
}

/** VQ-VAE's residual block: `x + conv1×1(relu(conv3×3(relu(x))))`. */
export class ResBlock implements Module {
  readonly conv1: Conv2D;
  readonly conv2: Conv2D;

  constructor(channels: number, hidden: number, seed = 0) {
    this.conv1 = new Conv2D(channels, hidden, 3, 1, "same", seed);
    this.conv2 = new Conv2D(hidden, channels, 1, 1, "same", seed + 1);
  }

  apply(xBhwc: tf.Tensor4D): tf.Tensor4D {
    return xBhwc.add(this.conv2.apply(relu(this.conv1.apply(relu(xBhwc)))));
  }

  variables(prefix: string): Map<string, tf.Variable> {
    return new Map([
      ...this.conv1.variables(`${prefix}.conv1`),
      ...this.conv2.variables(`${prefix}.conv2`),
    ]);
  }

  dispose(): void {
    this.conv1.dispose();
    this.conv2.dispose();
  }
}
