/**
 * What an autoregressive transformer over a tokenizer's tokens needs to know of their order:
 * how the `L` tokens group into steps (`patchNums`: step k predicts pn_k² tokens at once), how
 * token maps become the teacher-forcing input, and how a generated step becomes the next input.
 *
 * Two orders implement it: VAR's next-scale order (`MultiScaleQuantizer`: steps are scales
 * 1×1 … h×w, the input of a scale is f̂ so far, downsampled) and the raster order of a
 * single-scale tokenizer (`RasterOrder`: L steps of one token each, the input of a token is the
 * previous token's code) — the AR baseline VAR's paper compares with.
 *
 * @module
 */
import type { tf } from "../core/backend.ts";

/** A tokenizer's token order, as `VAR`, `trainVAR` and `generateImages` use it. */
export interface TokenOrder {
  /** Codes in the codebook (V). */
  readonly vocabSize: number;
  /** Channels of a code (VAR: `Cvae`). */
  readonly cvae: number;
  /** Tokens per step are pn² (VAR: `patch_nums`; a raster order is 1, 1, …, 1). */
  readonly patchNums: readonly number[];
  /** Side of the feature map f̂ that generation fills (`[B, maxPatch, maxPatch, Cvae]`). */
  readonly maxPatch: number;
  /** The codebook `[V, Cvae]`. */
  readonly codebook: tf.Variable<tf.Rank.R2>;
  /** Codes of one step's tokens `int32 [B, pn²]` as a map `[B, pn, pn, Cvae]`. */
  embed(idxBn: tf.Tensor, pn: number): tf.Tensor4D;
  /** Teacher-forcing input from every step's tokens: `[B, L − pn₁², Cvae]`. */
  idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D;
  /**
   * One generation step: adds step `si`'s codes `[B, pn, pn, Cvae]` to `fHat` and returns the
   * new f̂ and the next step's input `[B, pn', pn', Cvae]`. The caller disposes the old `fHat`.
   */
  nextAutoregressiveInput(
    si: number,
    fHat: tf.Tensor4D,
    hBhwc: tf.Tensor4D,
  ): [tf.Tensor4D, tf.Tensor4D];
}
