import { assert, assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { perplexity, usage } from "./codebook_health.ts";
import { type GoldenTensor, toTensor } from "../../testing/golden.ts";
import { VectorQuantizer } from "./vector_quantizer.ts";
import { assertClose, assertSameInts } from "../../testing/assert_tensors.ts";
import vqseedJson from "../testdata/golden/vq_seed.json" with { type: "json" };

interface SeedCase {
  vocabSize: number;
  dim: number;
  embedding: GoldenTensor;
  z: GoldenTensor;
  quantized: GoldenTensor;
  loss: number;
  indices: GoldenTensor;
  grad_z_of_sum_quantized_plus_loss: GoldenTensor;
  grad_embedding_of_sum_quantized_plus_loss: GoldenTensor;
}
const golden = vqseedJson as unknown as { cases: SeedCase[] };

for (const [i, c] of golden.cases.entries()) {
  Deno.test(`VectorQuantizer (beta 1) reproduces the seed, case ${i} (V=${c.vocabSize})`, () => {
    const vq = new VectorQuantizer({ vocabSize: c.vocabSize, cvae: c.dim, beta: 1 });
    vq.setCodebook(toTensor(c.embedding));
    const z = tf.variable(toTensor<tf.Rank.R4>(c.z));
    const out = vq.forward(z);
    assertClose(out.fHat, c.quantized, 1e-4, "quantized");
    assertAlmostEquals(out.loss.dataSync()[0], c.loss, 1e-4);
    assertSameInts(out.indices, c.indices);
    tf.dispose([out.fHat, out.loss, out.indices]);
    const { grads, value } = tf.variableGrads(() => {
      const o = vq.forward(z);
      return o.fHat.sum().add(o.loss) as tf.Scalar;
    }, [z, vq.codebook]);
    assertClose(grads[z.name], c.grad_z_of_sum_quantized_plus_loss, 1e-4, "grad z");
    assertClose(
      grads[vq.codebook.name],
      c.grad_embedding_of_sum_quantized_plus_loss,
      1e-4,
      "grad embedding",
    );
    tf.dispose([value, z, ...Object.values(grads)]);
    vq.dispose();
  });
}

Deno.test("beta weighs only the commitment term", () => {
  const c = golden.cases[0];
  const losses = [0.25, 1].map((beta) => {
    const vq = new VectorQuantizer({ vocabSize: c.vocabSize, cvae: c.dim, beta });
    vq.setCodebook(toTensor(c.embedding));
    const z = toTensor<tf.Rank.R4>(c.z);
    const o = vq.forward(z);
    const l = o.loss.dataSync()[0];
    tf.dispose([z, o.fHat, o.loss, o.indices]);
    vq.dispose();
    return l;
  });
  // Both terms are the same mse forward: loss = (1 + beta) · mse.
  assertAlmostEquals(losses[0] / losses[1], 1.25 / 2, 1e-6);
});

Deno.test("cosine distance picks the code with the largest cosine similarity", () => {
  const vq = new VectorQuantizer({ vocabSize: 2, cvae: 2, distance: "cosine" });
  vq.setCodebook(tf.tensor2d([[10, 0], [0, 0.1]]));
  // (0.2, 1) is nearer to (0, 0.1) in angle, and nearer to it in L2 too; (5, 1) is nearer to
  // (10, 0) in angle but nearer to (0, 0.1) in L2.
  const z = tf.tensor4d([0.2, 1, 5, 1], [1, 1, 2, 2]);
  const o = vq.forward(z);
  assertEquals(Array.from(o.indices.dataSync()), [1, 0]);
  tf.dispose([z, o.fHat, o.loss, o.indices]);
  vq.dispose();
});

Deno.test("perplexity and usage of index batches", () => {
  const even = tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], "int32");
  assertAlmostEquals(perplexity(even, 8), 4, 1e-4);
  assertAlmostEquals(usage(even, 8), 0.5, 1e-7);
  const collapsed = tf.tensor1d([5, 5, 5, 5], "int32");
  assertAlmostEquals(perplexity(collapsed, 8), 1, 1e-4);
  assertAlmostEquals(usage(collapsed, 8), 1 / 8, 1e-7);
  tf.dispose([even, collapsed]);
});

Deno.test("EMA moves codes to the mean of their vectors", () => {
  const vq = new VectorQuantizer({ vocabSize: 2, cvae: 1, ema: { decay: 0.5 } });
  vq.setCodebook(tf.tensor2d([[0], [10]]));
  const z = tf.tensor4d([1, 3, 9, 13], [1, 1, 4, 1]);
  for (let i = 0; i < 3; i++) {
    const o = vq.forward(z, { training: true });
    tf.dispose([o.fHat, o.loss, o.indices]);
  }
  // Debiased averages of a constant batch are that batch's means: 2 and 11 (ε smoothing aside).
  const e = vq.codebook.dataSync();
  assertAlmostEquals(e[0], 2, 1e-3);
  assertAlmostEquals(e[1], 11, 1e-3);
  z.dispose();
  vq.dispose();
});

Deno.test("dead-code restart moves unused codes onto recent encoder outputs", () => {
  const vq = new VectorQuantizer({ vocabSize: 4, cvae: 2, recentSize: 8, seed: 3 });
  vq.setCodebook(tf.tensor2d([[0, 0], [100, 100], [200, 200], [300, 300]]));
  const z = tf.randomNormal([2, 2, 2, 2], 5, 0.1, "float32", 1) as tf.Tensor4D;
  const o = vq.forward(z, { training: true });
  tf.dispose([o.fHat, o.loss, o.indices]);
  assertEquals(vq.restartDeadCodes(), 3);
  const e = vq.codebook.arraySync();
  for (const row of e.slice(1)) for (const v of row) assert(Math.abs(v - 5) < 1, `${row}`);
  // Hit counts were reset: with no new batch, nothing counts as used.
  assertEquals(vq.restartDeadCodes(), 4);
  z.dispose();
  vq.dispose();
});

Deno.test("k-means initialisation finds well separated clusters", () => {
  const centres = [[0, 0], [10, 0], [0, 10], [10, 10]];
  const pts = tf.tidy(() =>
    tf.concat(
      centres.map((c, i) => tf.randomNormal([50, 2], 0, 0.3, "float32", i).add(tf.tensor1d(c))),
    )
  ) as tf.Tensor2D;
  for (const method of ["kmeans++", "kmeans"] as const) {
    const vq = new VectorQuantizer({ vocabSize: 4, cvae: 2, seed: 7 });
    vq.initFromData(pts, method);
    const idx = vq.nearest(pts);
    if (method === "kmeans") {
      const found = vq.codebook.arraySync().map((r) => r.map(Math.round).join()).sort();
      assertEquals(found, centres.map((c) => c.join()).sort());
    }
    assertAlmostEquals(usage(idx, 4), 1, 1e-7);
    idx.dispose();
    vq.dispose();
  }
  pts.dispose();
});

Deno.test("bad input is a clear error", () => {
  assertThrows(() => new VectorQuantizer({ vocabSize: 0, cvae: 4 }), Error, "vocabSize");
  assertThrows(() => new VectorQuantizer({ vocabSize: 4, cvae: 2.5 }), Error, "cvae");
  const vq = new VectorQuantizer({ vocabSize: 4, cvae: 3 });
  const z3 = tf.zeros([2, 4, 3]);
  assertThrows(() => vq.forward(z3 as unknown as tf.Tensor4D), Error, "rank 4");
  const zc = tf.zeros([1, 2, 2, 5]) as tf.Tensor4D;
  assertThrows(() => vq.forward(zc), Error, "C=3");
  const zi = tf.zeros([1, 2, 2, 3], "int32") as tf.Tensor4D;
  assertThrows(() => vq.forward(zi), Error, "float32");
  const zn = tf.tensor4d([0, NaN, 0], [1, 1, 1, 3]);
  assertThrows(() => vq.forward(zn), Error, "NaN");
  const e = tf.zeros([5, 3]) as tf.Tensor2D;
  assertThrows(() => vq.setCodebook(e), Error, "[vocabSize=4, cvae=3]");
  tf.dispose([z3, zc, zi, zn, e]);
  vq.dispose();
});

Deno.test("100 training steps leak no tensors", () => {
  for (const ema of [undefined, { decay: 0.9 }]) {
    const vq = new VectorQuantizer({ vocabSize: 16, cvae: 4, ema, recentSize: 64 });
    const z = tf.variable(tf.randomNormal([2, 4, 4, 4]));
    const opt = tf.train.adam(1e-2);
    const step = () => {
      const cost = opt.minimize(() => {
        const o = vq.forward(z as tf.Tensor4D, { training: true });
        return o.fHat.square().mean().add(o.loss) as tf.Scalar;
      }, true);
      cost?.dispose();
    };
    step(); // optimizer slots are created on the first step
    vq.restartDeadCodes();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      step();
      if (i % 10 === 0) vq.restartDeadCodes();
    }
    assertEquals(tf.memory().numTensors, before);
    opt.dispose();
    z.dispose();
    vq.dispose();
  }
});
