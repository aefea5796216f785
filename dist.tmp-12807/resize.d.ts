/**
 * `torch.nn.functional.interpolate(x, size, mode, align_corners=False)` for NHWC tensors,
 * number for number, and differentiable. TensorFlow.js has no bicubic or area resize, and its
 * bilinear/nearest use other conventions, so every mode here is written the same way: each
 * spatial axis gets an interpolation matrix `M` of shape `[out, in]` (row i holds the weights
 * of the input pixels that make output pixel i) and the resize is two matMuls,
 * `y = M_h · x · M_wᵀ`, applied per image and channel.
 */
import { tf } from "./backend.ts";
export type ResizeMode = "bicubic" | "area" | "bilinear" | "nearest";
export declare const RESIZE_MODES: readonly ResizeMode[];
/**
 * The interpolation matrix `[out, in]` (row-major, float64) of one axis, as PyTorch computes it
 * for `align_corners=False` when the output size (not a scale factor) is given.
 */
export declare function interpolationMatrix(inSize: number, outSize: number, mode: ResizeMode): number[][];
/**
 * Resizes `xBhwc` (`[B, H, W, C]`, float32) to `[B, size[0], size[1], C]` exactly as
 * `F.interpolate(x, size, mode, align_corners=False)` does on the NCHW equivalent.
 */
export declare function resize(xBhwc: tf.Tensor4D, size: [number, number], mode: ResizeMode): tf.Tensor4D;
/** How many interpolation matrices are cached (they live as long as the process). */
export declare function cachedResizeMatrices(): number;
