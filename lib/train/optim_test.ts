import { assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { FlatAdam } from "./optim.ts";
import { assertClose } from "../../testing/assert_tensors.ts";

Deno.test("FlatAdam takes the same steps as tf.train.adam", () => {
  const make = () => [
    tf.variable(tf.tensor2d([[1, -2], [3, 0.5]])),
    tf.variable(tf.tensor1d([0.1, -0.3, 2])),
  ];
  const loss = (vs: tf.Variable[]) => () =>
    vs[0].square().sum().add(vs[1].mul(tf.tensor1d([1, 2, 3])).sin().sum()) as tf.Scalar;
  const a = make();
  const b = make();
  const ref = tf.train.adam(0.05);
  const flat = new FlatAdam(b, { learningRate: 0.05 });
  for (let i = 0; i < 20; i++) {
    ref.minimize(loss(a), false, a);
    flat.minimize(loss(b)).dispose();
  }
  assertClose(b[0], a[0], 1e-5, "matrix");
  assertClose(b[1], a[1], 1e-5, "vector");
  const before = tf.memory().numTensors;
  flat.minimize(loss(b)).dispose();
  assertEquals(tf.memory().numTensors, before);
  tf.dispose([...a, ...b]);
  ref.dispose();
  flat.dispose();
});

Deno.test("FlatAdam with weightDecay and clipNorm takes PyTorch's AdamW steps after clip_grad_norm_", () => {
  // Loss Σ a·w² over a matrix (decayed) and a vector (not decayed, rank 1), gradients 2·a·w.
  const a = [3, -1, 2, 0.5, 4, 1];
  const w0 = [1, -2, 3, 0.5, -1, 2];
  const lr = 0.1, wd = 0.05, clip = 2, b1 = 0.9, b2 = 0.95, eps = 1e-7;
  const w = [...w0], m = w.map(() => 0), v = w.map(() => 0);
  for (let t = 1; t <= 3; t++) {
    const g = w.map((x, i) => 2 * a[i] * x);
    const norm = Math.sqrt(g.reduce((s, x) => s + x * x, 0));
    const k = Math.min(1, clip / (norm + 1e-6));
    for (let i = 0; i < w.length; i++) {
      const gi = g[i] * k;
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      if (i < 4) w[i] *= 1 - lr * wd; // the matrix is decayed
      w[i] -= lr * (m[i] / (1 - b1 ** t)) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
    }
  }
  const vars = [
    tf.variable(tf.tensor2d(w0.slice(0, 4), [2, 2])),
    tf.variable(tf.tensor1d(w0.slice(4))),
  ];
  const coef = [tf.tensor2d(a.slice(0, 4), [2, 2]), tf.tensor1d(a.slice(4))];
  const opt = new FlatAdam(vars, { learningRate: lr, beta2: b2, weightDecay: wd, clipNorm: clip });
  for (let t = 0; t < 3; t++) {
    opt.minimize(() =>
      vars.map((x, i) => x.square().mul(coef[i]).sum()).reduce((s, x) => s.add(x)) as tf.Scalar
    ).dispose();
  }
  const got = [...vars[0].dataSync(), ...vars[1].dataSync()];
  got.forEach((x, i) => assertAlmostEquals(x, w[i], 1e-5, `weight ${i}`));
  tf.dispose([...vars, ...coef]);
  opt.dispose();
});
