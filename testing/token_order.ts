/** What the tests of the token orders share: a tiny VAR over an order, and greedy generation checked against teacher forcing. */
import { assertEquals } from "@std/assert";
import { tf } from "../lib/core/backend.ts";
import { VAR } from "../lib/models/var.ts";
import type { TokenOrder } from "../lib/quant/token_order.ts";

/** A VAR over `order`'s steps small enough for a test: 3 classes, 2 blocks of width 16, 2 heads, seed 2. */
export function tinyVAR(order: TokenOrder): VAR {
  return new VAR({
    vocabSize: order.vocabSize,
    cvae: order.cvae,
    patchNums: [...order.patchNums],
    numClasses: 3,
    width: 16,
    depth: 2,
    heads: 2,
    seed: 2,
  });
}

/**
 * Greedy generation (top-k 1, no guidance) for `labels`, asserting that the KV-cached steps
 * chose what teacher forcing on the same tokens predicts at every position (the forward's
 * argmax). Returns the generation and its tokens `[B, L]`; the caller disposes them.
 */
export function greedyGeneration(
  model: VAR,
  order: TokenOrder,
  labels: number[],
): { idxBl: tf.Tensor2D[]; fHat: tf.Tensor4D; tokens: tf.Tensor2D } {
  const { idxBl, fHat } = model.generate(order, labels, { cfg: 0, topK: 1, seed: 0 });
  const tokens = tf.concat(idxBl, 1) as tf.Tensor2D;
  const argmax = tf.tidy(() =>
    model.forward(tf.tensor1d(labels, "int32"), order.idxBlToVarInput(idxBl)).argMax(-1)
  );
  assertEquals(argmax.arraySync(), tokens.arraySync());
  argmax.dispose();
  return { idxBl, fHat, tokens };
}
