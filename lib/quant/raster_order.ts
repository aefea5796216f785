/**
 * The raster order of a single-scale tokenizer's h×w token map, as a {@link TokenOrder}: L = h·w
 * steps of one token each, row by row. The input of token i is the code of token i − 1 (the
 * class start token stands before token 0), so a `VAR` built with `patchNums` of L ones and
 * trained on it is a class-conditional next-token (GPT-style) model with a causal mask: VAR's
 * paper's raster AR baseline, with the same blocks, class conditioning, guidance and KV cache.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { checkTensor } from "../core/validate.ts";
import type { Quantizer } from "./quantizer.ts";
import type { TokenOrder } from "./token_order.ts";

/**
 * Raster order over a single-scale quantizer's `side`×`side` token map.
 *
 * @example
 * ```ts
 * import { RasterOrder, VAR, VectorQuantizer } from "vqvar";
 * const q = new VectorQuantizer({ vocabSize: 64, cvae: 8 });
 * const order = new RasterOrder(q, 4); // 16 tokens, one per step
 * const model = new VAR({ vocabSize: 64, cvae: 8, patchNums: [...order.patchNums], width: 32, depth: 1, heads: 2 });
 * const { fHat } = model.generate(order, [0, 1], { seed: 0 }); // [2, 4, 4, 8]: decode it
 * ```
 */
export class RasterOrder implements TokenOrder {
  /** L ones: one token per step. */
  readonly patchNums: readonly number[];

  /** The order of `quantizer`'s `side`×`side` maps. */
  constructor(readonly quantizer: Quantizer, readonly side: number) {
    if (!Number.isInteger(side) || side < 1) {
      throw new InputError(`side must be a positive integer, got ${side}`);
    }
    this.patchNums = new Array(side * side).fill(1);
  }

  /** Codes in the codebook. */
  get vocabSize(): number {
    return this.quantizer.vocabSize;
  }

  /** Channels of a code. */
  get cvae(): number {
    return this.quantizer.cvae;
  }

  /** The side of the token map. */
  get maxPatch(): number {
    return this.side;
  }

  /** The quantizer's codebook. */
  get codebook(): tf.Variable<tf.Rank.R2> {
    return this.quantizer.codebook;
  }

  /** Tokens `int32 [B, pn²]` → codes `[B, pn, pn, Cvae]` (the quantizer's `lookup`). */
  embed(idxBn: tf.Tensor, pn: number): tf.Tensor4D {
    const b = idxBn.shape[0];
    return tf.tidy(() =>
      this.quantizer.lookup(idxBn).reshape([b, pn, pn, this.cvae]) as tf.Tensor4D
    );
  }

  /** The codes of tokens 0 … L − 2: `[B, L − 1, Cvae]` (token i's input is token i − 1). */
  idxBlToVarInput(idxBl: tf.Tensor2D[]): tf.Tensor3D {
    const L = this.side * this.side;
    if (!Array.isArray(idxBl) || idxBl.length < L - 1) {
      throw new InputError(`idxBl must hold at least ${L - 1} steps of [B, 1] tokens`);
    }
    return tf.tidy(() => this.quantizer.lookup(tf.concat(idxBl.slice(0, L - 1), 1)) as tf.Tensor3D);
  }

  /** Writes token `si`'s code into its cell of f̂; the next input is that code. */
  nextAutoregressiveInput(
    si: number,
    fHat: tf.Tensor4D,
    hBhwc: tf.Tensor4D,
  ): [tf.Tensor4D, tf.Tensor4D] {
    const n = this.side;
    if (!Number.isInteger(si) || si < 0 || si >= n * n) {
      throw new InputError(`si must be an integer in [0, ${n * n - 1}], got ${si}`);
    }
    checkTensor(hBhwc, "hBhwc", 4, `[B, 1, 1, ${this.cvae}]`);
    const r = Math.floor(si / n), c = si % n;
    return tf.tidy(() => {
      const placed = tf.pad(hBhwc, [[0, 0], [r, n - 1 - r], [c, n - 1 - c], [0, 0]]);
      return [fHat.add(placed) as tf.Tensor4D, hBhwc.clone()];
    });
  }
}
