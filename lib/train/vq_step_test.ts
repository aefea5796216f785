import { assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { setGraphs } from "../core/graph/graph_function.ts";
import { tensorsNow } from "../core/tensor_caches.ts";
import { VQVAE } from "../models/vqvae.ts";
import { FlatAdam } from "./optim.ts";
import { VQStep } from "./vq_step.ts";
import { useProjectTmp } from "../../testing/temp_dir.ts";

useProjectTmp(); // the graphs' files: deno test -P may write only under ./.cache/tmp

/** Twelve steps of a small multi-scale VQ-VAE, as graphs or eagerly: losses, state, calls. */
function twelveSteps(graphs: boolean) {
  const was = setGraphs(graphs);
  const model = new VQVAE({ channels: 8, latentChannels: 4, vocabSize: 16, seed: 3 });
  const optimizer = new FlatAdam(model.trainableVariables, { learningRate: 1e-2 });
  const step = new VQStep(model, optimizer);
  const x = tf.randomUniform([6, 28, 28, 1], 0, 1, "float32", 5) as tf.Tensor4D;
  const losses = Array.from({ length: 12 }, () => step.run(x)).flat();
  const { variables } = model.quantizer.runState(); // hit counts, EMA, dead-code buffer
  const state = [...model.trainableVariables, ...variables.values()].flatMap((v) =>
    Array.from(v.dataSync())
  );
  const calls = step.calls;
  step.dispose();
  optimizer.dispose();
  model.dispose();
  x.dispose();
  setGraphs(was);
  return { losses, state, calls };
}

Deno.test("VQStep: the multi-scale VQ-VAE's graph steps take eager's steps (losses, weights, statistics)", () => {
  const before = tensorsNow();
  const eager = twelveSteps(false), graph = twelveSteps(true);
  const now = tensorsNow();
  assertEquals(now.tensors - before.tensors, now.cached - before.cached);
  assertEquals(eager.calls, { eager: 12, graph: 0, built: 0 }); // graphs off: no trace
  if (tf.getBackend() === "tensorflow") {
    // Six scales, one key each (the scale whose residuals are kept): two traces, then graphs.
    assertEquals(graph.calls.built, 6);
    assertEquals(graph.calls.eager + graph.calls.graph, 12);
  }
  graph.losses.forEach((v, i) => assertAlmostEquals(v, eager.losses[i], 1e-5 * Math.abs(v) + 1e-7));
  graph.state.forEach((v, i) => assertAlmostEquals(v, eager.state[i], 1e-4 * Math.abs(v) + 1e-5));
});
