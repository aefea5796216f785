import { assertAlmostEquals, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { setGraphs } from "../core/graph/graph_function.ts";
import { tensorsNow } from "../core/tensor_caches.ts";
import { seededRandom } from "../core/random.ts";
import { VAR } from "../models/var.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
import { RasterOrder } from "../quant/raster_order.ts";
import type { TokenOrder } from "../quant/token_order.ts";
import { VectorQuantizer } from "../quant/vector_quantizer.ts";
import { FlatAdam } from "./optim.ts";
import { VARStep } from "./var_step.ts";
import { useProjectTmp } from "../../testing/temp_dir.ts";

useProjectTmp(); // the graphs' files: deno test -P may write only under ./.cache/tmp

/** Five steps of a small VAR on `order`, as a graph or eagerly: losses, weights, calls. */
function fiveSteps(order: TokenOrder, graphs: boolean) {
  const was = setGraphs(graphs);
  const model = new VAR({
    vocabSize: 16,
    cvae: 4,
    patchNums: [...order.patchNums],
    width: 32,
    depth: 1,
    heads: 2,
    condDropRate: 0.5,
  });
  const optimizer = new FlatAdam(model.trainableVariables, { learningRate: 1e-2, beta2: 0.95 });
  const step = new VARStep(model, order, optimizer);
  const r = seededRandom(7), rand = seededRandom(1);
  const B = 8;
  const tokBL = tf.tensor2d(
    Int32Array.from({ length: B * model.L }, () => r() * 16),
    [B, model.L],
    "int32",
  );
  const labels = tf.tensor1d(Int32Array.from({ length: B }, (_, i) => i % 10), "int32");
  const losses = Array.from({ length: 5 }, () => step.run(tokBL, labels, rand)).flat();
  const weights = model.trainableVariables.flatMap((v) => Array.from(v.dataSync()));
  const calls = step.calls;
  step.dispose();
  optimizer.dispose();
  model.dispose();
  tf.dispose([tokBL, labels]);
  setGraphs(was);
  return { losses, weights, calls };
}

for (const name of ["next-scale", "raster"]) {
  Deno.test(`VARStep (${name}): the graph steps take eager's steps (losses and weights)`, () => {
    const q = name === "raster"
      ? new VectorQuantizer({ vocabSize: 16, cvae: 4 })
      : new MultiScaleQuantizer({ vocabSize: 16, cvae: 4, patchNums: [1, 2, 3] });
    const order = name === "raster" ? new RasterOrder(q as VectorQuantizer, 3) : q as TokenOrder;
    const before = tensorsNow();
    const eager = fiveSteps(order, false), graph = fiveSteps(order, true);
    const now = tensorsNow(); // lib's caches (idxBlToVarInput's tensors) may have grown
    assertEquals(now.tensors - before.tensors, now.cached - before.cached);
    assertEquals(eager.calls, { eager: 5, graph: 0, built: 0 });
    if (tf.getBackend() === "tensorflow") {
      assertEquals(graph.calls, { eager: 2, graph: 3, built: 1 });
    }
    graph.losses.forEach((v, i) => assertAlmostEquals(v, eager.losses[i], 1e-5 * Math.abs(v)));
    graph.weights.forEach((v, i) => assertAlmostEquals(v, eager.weights[i], 1e-5));
    q.dispose();
  });
}
