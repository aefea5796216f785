import { assertEquals } from "@std/assert";
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
