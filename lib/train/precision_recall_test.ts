import { assertAlmostEquals, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../core/backend.ts";
import { InputError } from "../core/errors.ts";
import { seededRandom } from "../core/random.ts";
import { precisionRecall } from "./precision_recall.ts";

/** The paper's definition, written out in float64 loops: the reference the tensors must match. */
function bruteForce(real: number[][], fake: number[][], k: number) {
  const d2 = (a: number[], b: number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
  const radii = (set: number[][]) =>
    set.map((p, i) =>
      set.filter((_, j) => j !== i).map((q) => d2(p, q)).sort((a, b) => a - b)[k - 1]
    );
  const within = (points: number[][], centres: number[][], r: number[]) =>
    points.filter((p) => centres.some((c, j) => d2(p, c) <= r[j])).length / points.length;
  return {
    precision: within(fake, real, radii(real)),
    recall: within(real, fake, radii(fake)),
  };
}

Deno.test("precisionRecall equals the k-nearest-neighbour manifold definition, written out", () => {
  const rand = seededRandom(3);
  const cloud = (n: number, scale: number, shift: number) =>
    Array.from(
      { length: n },
      () => Array.from({ length: 4 }, () => shift + scale * (2 * rand() - 1)),
    );
  for (const [scale, shift] of [[1, 0], [0.3, 0.5], [2, 1]]) {
    const real = cloud(60, 1, 0), fake = cloud(50, scale, shift);
    for (const k of [1, 3, 5]) {
      const want = bruteForce(real, fake, k);
      const got = precisionRecall(tf.tensor2d(real), tf.tensor2d(fake), { k });
      assertAlmostEquals(got.precision, want.precision, 1e-9, `k ${k}, scale ${scale}`);
      assertAlmostEquals(got.recall, want.recall, 1e-9, `k ${k}, scale ${scale}`);
    }
  }
});

Deno.test("precisionRecall: one set against itself is 1 / 1; far apart is 0 / 0", () => {
  const a = tf.randomNormal([300, 6], 0, 1, "float32", 5) as tf.Tensor2D;
  const far = a.add(100) as tf.Tensor2D;
  assertEquals(precisionRecall(a, a), { precision: 1, recall: 1 });
  assertEquals(precisionRecall(a, far), { precision: 0, recall: 0 });
  tf.dispose([a, far]);
});

Deno.test("precisionRecall: features of different widths or a k too large are refused", () => {
  const a = tf.zeros([5, 3]) as tf.Tensor2D, b = tf.zeros([5, 2]) as tf.Tensor2D;
  assertThrows(() => precisionRecall(a, b), InputError, "same D");
  assertThrows(() => precisionRecall(a, a, { k: 5 }), InputError, "k must be an integer in 1..4");
  tf.dispose([a, b]);
});
