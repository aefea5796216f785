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
    return previousTokenCodes(this.quantizer, idxBl, this.side * this.side);
  }

  /** Writes token `si`'s code into its cell of f̂; the next input is that code. */
  nextAutoregressiveInput(
    si: number,
    fHat: tf.Tensor4D,
    hBhwc: tf.Tensor4D,
  ): [tf.Tensor4D, tf.Tensor4D] {
    const n = this.side;
    checkRasterStep(si, n * n, hBhwc, this.cvae);
    return tf.tidy(() => [
      fHat.add(placeCode(hBhwc, Math.floor(si / n), si % n, n)) as tf.Tensor4D,
      hBhwc.clone(),
    ]);
  }
}

/**
 * A raster order's teacher-forcing input: the codes of tokens 0 … L − 2 of one-token steps
 * (`[B, L − 1, Cvae]`; token i's input is token i − 1).
 */
export function previousTokenCodes(
  quantizer: Pick<Quantizer, "lookup">,
  idxBl: tf.Tensor2D[],
  L: number,
): tf.Tensor3D {
  if (!Array.isArray(idxBl) || idxBl.length < L - 1) {
    throw new InputError(`idxBl must hold at least ${L - 1} steps of [B, 1] tokens`);
  }
  return tf.tidy(() => quantizer.lookup(tf.concat(idxBl.slice(0, L - 1), 1)) as tf.Tensor3D);
}

/** Throws an `InputError` unless `si` is one of `L` steps and `hBhwc` one code `[B, 1, 1, C]`. */
export function checkRasterStep(si: number, L: number, hBhwc: tf.Tensor4D, cvae: number): void {
  if (!Number.isInteger(si) || si < 0 || si >= L) {
    throw new InputError(`si must be an integer in [0, ${L - 1}], got ${si}`);
  }
  checkTensor(hBhwc, "hBhwc", 4, `[B, 1, 1, ${cvae}]`);
}

/** A code `[B, 1, 1, C]` placed at row `r`, column `c` of an otherwise zero `side`×`side` map. */
export function placeCode(hBhwc: tf.Tensor4D, r: number, c: number, side: number): tf.Tensor4D {
  return tf.pad(hBhwc, [[0, 0], [r, side - 1 - r], [c, side - 1 - c], [0, 0]]);
}
