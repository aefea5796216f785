import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { fitCodebook } from "./codebook_fit.ts";
import { VectorQuantizer } from "./vector_quantizer.ts";

/** Four tight clusters far from the origin, and a codebook squeezed near the origin. */
function setup(ema = false) {
  const centres = tf.tensor2d([[4, 4], [-4, 4], [4, -4], [-4, -4]]);
  const z = tf.tidy(() =>
    centres.tile([50, 1]).add(tf.randomNormal([200, 2], 0, 0.1, "float32", 1))
  ) as tf.Tensor2D;
  const q = new VectorQuantizer({
    vocabSize: 8,
    cvae: 2,
    seed: 3,
    ema: ema ? { decay: 0.9 } : undefined,
  });
  q.setCodebook(tf.tidy(() => tf.randomNormal([8, 2], 0, 0.01, "float32", 2)) as tf.Tensor2D);
  centres.dispose();
  return { z, q };
}

Deno.test("fitCodebook: without help, codes far from the data stay dead", () => {
  const { z, q } = setup();
  const before = tf.memory().numTensors;
  const { history, snapshots } = fitCodebook(q, z, { steps: 60, lr: 0.2, snapshotEvery: 20 });
  assertEquals(tf.memory().numTensors, before);
  assertEquals(history.length, 60);
  assertEquals(snapshots.map((s) => s.step), [0, 20, 40, 60]);
  assert(history[59].loss < history[0].loss, "the loss falls");
  assert(history[59].usage <= 0.5, `usage ${history[59].usage}`);
  tf.dispose([z]);
  q.dispose();
});

Deno.test("fitCodebook: dead-code restarts bring every cluster a code", () => {
  const { z, q } = setup();
  const { history } = fitCodebook(q, z, { steps: 60, lr: 0.2, restartEvery: 10 });
  assert(history.some((h) => h.restarted > 0));
  // All four clusters get at least one code, so perplexity approaches 4.
  assert(history[59].perplexity > 3.5, `perplexity ${history[59].perplexity}`);
  tf.dispose([z]);
  q.dispose();
});

Deno.test("fitCodebook with EMA moves codes onto their clusters' means", () => {
  const { z, q } = setup(true);
  const { history } = fitCodebook(q, z, { steps: 40 });
  assert(history[39].loss < history[0].loss);
  assertThrows(() => fitCodebook(q, tf.zeros([4, 3]) as tf.Tensor2D, { steps: 1 }), Error, "C=2");
  assertThrows(() => fitCodebook(q, z, { steps: 0 }), Error, "steps");
  tf.dispose([z]);
  q.dispose();
});
