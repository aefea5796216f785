import { assert, assertAlmostEquals, assertEquals, assertMatch } from "@std/assert";
import { tf } from "../backend.ts";
import { GRAPH_CACHE_MAX, GraphFunction, graphsEnabled, setGraphs } from "./graph_function.ts";
import { useProjectTmp } from "../../../testing/temp_dir.ts";

useProjectTmp(); // the graphs' files: deno test -P may write only under ./.cache/tmp

const onTensorFlow = tf.getBackend() === "tensorflow";

Deno.test("a step that updates a variable runs as a graph from its third call, with eager's numbers", () => {
  const before = tf.memory().numTensors;
  const run = (graphs: boolean) => {
    const was = setGraphs(graphs);
    const w = tf.tidy(() => tf.variable(tf.tensor2d([[1, 2], [3, 4]])));
    const f = new GraphFunction(([x, lr]) => {
      const loss = () => tf.matMul(x, w).square().mean() as tf.Scalar;
      const { value, grads } = tf.variableGrads(loss, [w]);
      tf.tidy(() => w.assign(w.sub(grads[w.name].mul(lr))));
      tf.dispose(grads);
      return [value, w.sum()];
    });
    const x = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const lr = tf.scalar(0.01 * (i + 1)); // a per-call number, as an input
      const [l, s] = f.call([x, lr]);
      losses.push(l.dataSync()[0], s.dataSync()[0]);
      tf.dispose([l, s, lr]);
    }
    const calls = f.calls, why = f.why, weights = Array.from(w.dataSync());
    f.dispose();
    tf.dispose([w, x]);
    setGraphs(was);
    return { losses, weights, calls, why };
  };
  const eager = run(false), graph = run(true);
  assertEquals(eager.calls, { eager: 6, graph: 0, built: 0 });
  if (onTensorFlow) assertEquals(graph.calls, { eager: 2, graph: 4, built: 1 }, String(graph.why));
  graph.losses.forEach((v, i) => assertAlmostEquals(v, eager.losses[i], 1e-5 * Math.abs(v) + 1e-6));
  graph.weights.forEach((v, i) => assertAlmostEquals(v, eager.weights[i], 1e-5));
  assertEquals(tf.memory().numTensors, before);
});

Deno.test("a function that bakes a JavaScript number that changes stays eager and says why", () => {
  let k = 1;
  const f = new GraphFunction(([x]) => [x.mul(k++)]);
  const x = tf.tensor1d([1, 2]);
  const got: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [y] = f.call([x]);
    got.push(y.dataSync()[1]);
    y.dispose();
  }
  assertEquals(got, [2, 4, 6, 8]); // right every time: never replayed with a stale constant
  if (onTensorFlow) {
    assertEquals(f.calls.graph, 0);
    assertMatch(f.why!, /changed between calls/);
  }
  f.dispose();
  x.dispose();
});

Deno.test("graphs are kept per input signature, at most GRAPH_CACHE_MAX, and freed", () => {
  const before = tf.memory().numTensors;
  const held = tf.tensor1d([10]); // made before the calls: held by each graph while it lives
  const f = new GraphFunction(([x]) => [x.add(held)]);
  for (let n = 1; n <= GRAPH_CACHE_MAX + 2; n++) {
    const x = tf.ones([n]);
    for (let i = 0; i < 3; i++) {
      const [y] = f.call([x]);
      assertEquals(y.shape, [n]);
      assertEquals(y.dataSync()[0], 11);
      y.dispose();
    }
    x.dispose();
  }
  if (onTensorFlow) assertEquals(f.calls.built, GRAPH_CACHE_MAX + 2);
  held.dispose(); // the graphs still hold its value
  const [y] = f.call([tf.ones([GRAPH_CACHE_MAX + 2])]);
  assertEquals(y.dataSync()[0], 11);
  y.dispose();
  f.dispose();
  assert(tf.memory().numTensors <= before + 1, `${tf.memory().numTensors - before} tensors left`);
});

Deno.test("setGraphs(false) runs every call eagerly", () => {
  const was = setGraphs(false);
  assertEquals(graphsEnabled(), false);
  const f = new GraphFunction(([x]) => [x.square()]);
  const x = tf.tensor1d([3]);
  for (let i = 0; i < 3; i++) tf.dispose(f.call([x]));
  assertEquals(f.calls, { eager: 3, graph: 0, built: 0 });
  setGraphs(was);
  f.dispose();
  x.dispose();
});
