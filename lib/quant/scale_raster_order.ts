/**
 * Raster order over a multi-scale tokenizer's tokens, as a {@link TokenOrder}: the `L = Σ pn²`
 * tokens VAR predicts scale by scale (1×1, then 2×2, …, each row by row), predicted one token
 * per step instead, each from the tokens before it. It is the missing cell of the comparison
 * between VAR's next-scale order on multi-scale tokens and the raster AR baseline on
 * single-scale tokens: the same order as the baseline over the same tokens as VAR, so that
 * the order and the tokenizer can be told apart.
 *
 * The input of token i is the code of token i − 1 (the class start token stands before token
 * 0), as {@link RasterOrder}'s. Generation places each token's code in its scale's map and adds
 * what that one token contributes to f̂: φ and the bicubic upsampling are affine, so
 * `Σ_j [φ(up(c_j)) − φ(up(0))] + φ(up(0)) = φ(up(Σ_j c_j))` gives, after a scale's last token,
 * the f̂ of `idxBlToFhat` for the same tokens (up to float rounding).
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import type { MultiScaleQuantizer } from "./multiscale.ts";
import { checkRasterStep, placeCode, previousTokenCodes } from "./raster_order.ts";
import type { TokenOrder } from "./token_order.ts";

/**
 * One token per step over a multi-scale quantizer's token maps, coarse to fine, each row by row.
 *
 * @example
 * ```ts
 * import { MultiScaleQuantizer, MultiScaleRasterOrder, VAR } from "vqvar";
 * const q = new MultiScaleQuantizer({ vocabSize: 64, cvae: 8, patchNums: [1, 2, 3] });
 * const order = new MultiScaleRasterOrder(q); // 14 tokens, one per step
 * const model = new VAR({ vocabSize: 64, cvae: 8, patchNums: [...order.patchNums], width: 32, depth: 1, heads: 2 });
 * const { fHat } = model.generate(order, [0, 1], { seed: 0 }); // [2, 3, 3, 8]: decode it
 * ```
 */
export class MultiScaleRasterOrder implements TokenOrder {
  /** L ones: one token per step. */
  readonly patchNums: readonly number[];
  /** For each step: its scale, row and column. */
  private readonly cells: { si: number; r: number; c: number; last: boolean }[] = [];

  /** The raster order of `quantizer`'s tokens. */
  constructor(readonly quantizer: MultiScaleQuantizer) {
    quantizer.patchNums.forEach((pn, si) => {
      for (let j = 0; j < pn * pn; j++) {
        this.cells.push({ si, r: Math.floor(j / pn), c: j % pn, last: j === pn * pn - 1 });
      }
    });
    this.patchNums = this.cells.map(() => 1);
  }

  /** Codes in the codebook. */
  get vocabSize(): number {
    return this.quantizer.vocabSize;
  }

  /** Channels of a code. */
  get cvae(): number {
    return this.quantizer.cvae;
  }

  /** The side of the largest map (f̂'s). */
  get maxPatch(): number {
    return this.quantizer.maxPatch;
  }

  /** The quantizer's codebook. */
  get codebook(): tf.Variable<tf.Rank.R2> {
    return this.quantizer.codebook;
  }

  /** Tokens `int32 [B, pn²]` → codes `[B, pn, pn, Cvae]`. */
  embed(idxBn: tf.Tensor, pn: number): tf.Tensor4D {
    return this.quantizer.embed(idxBn, pn);
  }

  /** The codes of tokens 0 … L − 2: `[B, L − 1, Cvae]` (token i's input is token i − 1). */
  idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D {
    return previousTokenCodes(this.quantizer, idxBl, this.cells.length);
  }

  /**
   * Adds token `si`'s contribution to f̂ (its scale's φ of its code, placed and upsampled, less
   * φ of nothing until the scale's last token); the next input is the token's code.
   */
  nextAutoregressiveInput(
    si: number,
    fHat: tf.Tensor4D,
    hBhwc: tf.Tensor4D,
  ): [tf.Tensor4D, tf.Tensor4D] {
    checkRasterStep(si, this.cells.length, hBhwc, this.cvae);
    const { si: scale, r, c, last } = this.cells[si];
    const pn = this.quantizer.patchNums[scale];
    return tf.tidy(() => {
      const placed = placeCode(hBhwc, r, c, pn);
      let [next] = this.quantizer.nextAutoregressiveInput(scale, fHat, placed);
      if (!last) {
        const zeros = tf.zeros([1, pn, pn, this.cvae]) as tf.Tensor4D;
        const [offset] = this.quantizer.nextAutoregressiveInput(
          scale,
          tf.zeros([1, this.maxPatch, this.maxPatch, this.cvae]),
          zeros,
        );
        next = next.sub(offset);
      }
      return [next, hBhwc.clone()];
    });
  }
}
