import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { blockCausalMask } from "../models/var_mask.ts";
import { type TokenSet, trainVAR } from "../train/var_train.ts";
import { RasterOrder } from "./raster_order.ts";
import { greedyGeneration, tinyVAR } from "../../testing/token_order.ts";
import { VectorQuantizer } from "./vector_quantizer.ts";

const side = 3, V = 16, C = 4;
function setup() {
  const q = new VectorQuantizer({ vocabSize: V, cvae: C, seed: 1 });
  const order = new RasterOrder(q, side);
  const model = tinyVAR(order);
  return { q, order, model };
}

Deno.test("RasterOrder: one token per step, and VAR's block-causal mask becomes causal", () => {
  const { q, order, model } = setup();
  assertEquals(order.patchNums, new Array(9).fill(1));
  assertEquals(model.L, 9);
  const mask = blockCausalMask(order.patchNums);
  const lower = tf.tidy(() => tf.linalg.bandPart(tf.ones([9, 9]), -1, 0));
  assertEquals(mask.arraySync(), lower.arraySync());
  tf.dispose([mask, lower]);
  model.dispose();
  q.dispose();
});

Deno.test("RasterOrder: greedy generation with the KV cache equals teacher forcing, and f̂ holds the tokens' codes", () => {
  const { q, order, model } = setup();
  const labels = [0, 2];
  const { idxBl, fHat, tokens } = greedyGeneration(model, order, labels); // tokens [B, L]
  const codes = tf.tidy(() => q.codebook.gather(tokens.flatten()).reshape([2, side, side, C]));
  assert(
    tf.tidy(() => fHat.sub(codes).abs().max().dataSync()[0]) < 1e-6,
    "f̂ is the map of the generated codes",
  );
  tf.dispose([...idxBl, fHat, tokens, codes]);
  model.dispose();
  q.dispose();
});

Deno.test("RasterOrder: trainVAR learns a class's fixed raster sequence", async () => {
  const { q, order, model } = setup();
  const rows = 60, L = side * side;
  const tokens = new Int32Array(rows * L), labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = r % 3;
    for (let i = 0; i < L; i++) tokens[r * L + i] = (labels[r] * 5 + i) % V; // one sequence per class
  }
  const set: TokenSet = {
    tokens,
    labels,
    L,
    patchNums: [side],
    get length() {
      return rows;
    },
  };
  const { history } = await trainVAR(model, order, set, set, {
    steps: 60,
    batchSize: 30,
    lr: 1e-2,
    warmupSteps: 5,
    evalEvery: 60,
    evalSamples: 60,
    log: null,
  });
  assert(history.at(-1)!.testAccuracy > 0.9, `accuracy ${history.at(-1)!.testAccuracy}`);
  model.dispose();
  q.dispose();
});

Deno.test("a token set whose L does not fit the model's steps is refused", async () => {
  const { q, order, model } = setup();
  const set: TokenSet = {
    tokens: new Int32Array(8),
    labels: new Uint8Array(2),
    L: 4,
    patchNums: [2],
    get length() {
      return 2;
    },
  };
  await assertRejectsInput(() =>
    trainVAR(model, order, set, set, { steps: 1, batchSize: 2, log: null })
  );
  assertThrows(() => new RasterOrder(q, 0), InputError, "positive integer");
  model.dispose();
  q.dispose();
});

async function assertRejectsInput(f: () => Promise<unknown>) {
  let error: unknown;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  assert(error instanceof InputError, `expected an InputError, got ${error}`);
  assert(String((error as Error).message).includes("do not add up"), String(error));
}
