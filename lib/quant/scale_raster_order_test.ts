import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { MultiScaleQuantizer } from "./multiscale.ts";
import { MultiScaleRasterOrder } from "./scale_raster_order.ts";
import { greedyGeneration, tinyVAR } from "../../testing/token_order.ts";

const patchNums = [1, 2, 3];

function setup() {
  const q = new MultiScaleQuantizer({ vocabSize: 16, cvae: 4, patchNums, quantResi: 0.5, seed: 1 });
  tf.tidy(() => q.codebook.assign(tf.randomNormal([16, 4], 0, 1, "float32", 2)));
  const order = new MultiScaleRasterOrder(q);
  const model = tinyVAR(order);
  return { q, order, model };
}

Deno.test("MultiScaleRasterOrder: every scale's tokens one per step, coarse to fine", () => {
  const { q, order, model } = setup();
  assertEquals(order.patchNums, new Array(1 + 4 + 9).fill(1));
  assertEquals(model.L, 14);
  assertThrows(
    () => order.nextAutoregressiveInput(14, tf.zeros([1, 3, 3, 4]), tf.zeros([1, 1, 1, 4])),
    Error,
    "[0, 13]",
  );
  model.dispose();
  q.dispose();
});

Deno.test("MultiScaleRasterOrder: generation's f̂ is the quantizer's idxBlToFhat of the same tokens, and KV-cached generation equals teacher forcing", () => {
  const { q, order, model } = setup();
  const labels = [0, 2];
  const { idxBl, fHat, tokens } = greedyGeneration(model, order, labels); // tokens [B, 14]
  const ref = tf.tidy(() => {
    const perScale = tf.split(tokens, patchNums.map((pn) => pn * pn), 1) as tf.Tensor2D[];
    return q.idxBlToFhat(perScale, { lastOnly: true })[0];
  });
  const d = tf.tidy(() => fHat.sub(ref).abs().max().dataSync()[0]);
  assert(d < 1e-5, `f̂ differs from idxBlToFhat by ${d}`);
  tf.dispose([...idxBl, fHat, tokens, ref]);
  model.dispose();
  q.dispose();
});
