/**
 * Small convolutional building blocks holding their own `tf.Variable`s, channels-last.
 * Every block has `apply(x)`, `variables` (name → variable, for optimizers and checkpoints)
 * and `dispose()`.
 */
import { tf } from "../core/backend.ts";
import { relu } from "./ops.ts";
import { addBias, conv2dWithBias } from "../core/native_ops.ts";

/** A layer: its variables by name, and `dispose`. */
export interface Module {
  /** Variables by a name unique inside the model, e.g. `enc.conv1.kernel`. */
  variables(prefix: string): Map<string, tf.Variable>;
  /** Frees the variables. */
  dispose(): void;
}

/** He-uniform initialisation, seeded: uniform in ±sqrt(6 / fanIn). */
function heUniform(shape: number[], fanIn: number, seed: number): tf.Tensor {
  const bound = Math.sqrt(6 / fanIn);
  return tf.randomUniform(shape, -bound, bound, "float32", seed);
}

/** The variables of a layer made of one kernel and one bias: `prefix.kernel`, `prefix.bias`. */
function kernelAndBias(
  layer: { kernel: tf.Variable; bias: tf.Variable },
  prefix: string,
): Map<string, tf.Variable> {
  return new Map<string, tf.Variable>([
    [`${prefix}.kernel`, layer.kernel],
    [`${prefix}.bias`, layer.bias],
  ]);
}

/** A 2-D convolution (channels-last, HWIO kernel) with bias; He-uniform initialisation. */
export class Conv2D implements Module {
  /** `[kh, kw, in, out]` (HWIO). */
  readonly kernel: tf.Variable<tf.Rank.R4>; // HWIO
  /** `[out]` */
  readonly bias: tf.Variable<tf.Rank.R1>;

  /** A `size`×`size` convolution from `inChannels` to `outChannels` with `stride` and `padding`. */
  constructor(
    inChannels: number,
    readonly outChannels: number,
    readonly size: number,
    readonly stride = 1,
    readonly padding: "same" | "valid" = "same",
    seed = 0,
  ) {
    this.kernel = tf.tidy(() =>
      tf.variable(heUniform([size, size, inChannels, outChannels], size * size * inChannels, seed))
    ) as tf.Variable<tf.Rank.R4>;
    this.bias = tf.tidy(() => tf.variable(tf.zeros([outChannels]))) as tf.Variable<tf.Rank.R1>;
  }

  /** The convolution of `xBhwc` (`[B, H, W, in]`) plus bias. */
  apply(xBhwc: tf.Tensor4D): tf.Tensor4D {
    return conv2dWithBias(xBhwc, this.kernel, this.bias, this.stride, this.padding);
  }

  /** `relu(apply(xBhwc))`, in one oneDNN kernel where the binding allows it. */
  applyRelu(xBhwc: tf.Tensor4D): tf.Tensor4D {
    const { kernel, bias, stride, padding } = this;
    return conv2dWithBias(xBhwc, kernel, bias, stride, padding, { relu: true });
  }

  /** `prefix.kernel` and `prefix.bias`. */
  variables(prefix: string): Map<string, tf.Variable> {
    return kernelAndBias(this, prefix);
  }

  /** Frees kernel and bias. */
  dispose(): void {
    tf.dispose([this.kernel, this.bias]);
  }
}

/** Transposed convolution that doubles H and W (kernel 4, stride 2, as PyTorch's k4 s2 p1). */
export class UpConv2D implements Module {
  /** `[kh, kw, out, in]`, as `conv2dTranspose` takes it. */
  readonly kernel: tf.Variable<tf.Rank.R4>; // [h, w, out, in], as conv2dTranspose takes it
  /** `[out]` */
  readonly bias: tf.Variable<tf.Rank.R1>;

  /** A 4×4 stride-2 transposed convolution from `inChannels` to `outChannels`. */
  constructor(inChannels: number, readonly outChannels: number, seed = 0) {
    this.kernel = tf.tidy(() =>
      tf.variable(heUniform([4, 4, outChannels, inChannels], 4 * inChannels, seed))
    ) as tf.Variable<tf.Rank.R4>;
    this.bias = tf.tidy(() => tf.variable(tf.zeros([outChannels]))) as tf.Variable<tf.Rank.R1>;
  }

  /** `xBhwc` upsampled ×2: `[B, 2H, 2W, out]`. */
  apply(xBhwc: tf.Tensor4D): tf.Tensor4D {
    const [b, h, w] = xBhwc.shape;
    const y = tf.conv2dTranspose(
      xBhwc,
      this.kernel,
      [b, 2 * h, 2 * w, this.outChannels],
      2,
      "same",
    );
    return addBias(y, this.bias);
  }

  /** `prefix.kernel` and `prefix.bias`. */
  variables(prefix: string): Map<string, tf.Variable> {
    return kernelAndBias(this, prefix);
  }

  /** Frees kernel and bias. */
  dispose(): void {
    tf.dispose([this.kernel, this.bias]);
  }
}

/** VQ-VAE's residual block: `x + conv1×1(relu(conv3×3(relu(x))))`. */
export class ResBlock implements Module {
  /** 3×3 convolution to the hidden width. */
  readonly conv1: Conv2D;
  /** 1×1 convolution back to the block's width. */
  readonly conv2: Conv2D;

  /** A residual block of `channels` with a `hidden`-wide bottleneck. */
  constructor(channels: number, hidden: number, seed = 0) {
    this.conv1 = new Conv2D(channels, hidden, 3, 1, "same", seed);
    this.conv2 = new Conv2D(hidden, channels, 1, 1, "same", seed + 1);
  }

  /** `x + conv2(relu(conv1(relu(x))))`. */
  apply(xBhwc: tf.Tensor4D): tf.Tensor4D {
    return xBhwc.add(this.conv2.apply(this.conv1.applyRelu(relu(xBhwc))));
  }

  variables(prefix: string): Map<string, tf.Variable> {
    return new Map([
      ...this.conv1.variables(`${prefix}.conv1`),
      ...this.conv2.variables(`${prefix}.conv2`),
    ]);
  }

  /** Frees both convolutions. */
  dispose(): void {
    this.conv1.dispose();
    this.conv2.dispose();
  }
}
