import { assert, assertEquals } from "@std/assert";
import { tf } from "../core/backend.ts";
import { setGraphs } from "../core/graph/graph_function.ts";
import { MultiScaleQuantizer } from "../quant/multiscale.ts";
import { VAR } from "./var.ts";
import { useProjectTmp } from "../../testing/temp_dir.ts";

useProjectTmp(); // the graphs' files: deno test -P may write only under ./.cache/tmp

for (
  const [name, options] of [
    ["guided, top-k, top-p", { cfg: 2, topK: 8, topP: 0.9 }],
    ["unguided, the whole softmax", { cfg: 0 }],
  ] as const
) {
  Deno.test(`generation as graphs draws eager's tokens and f̂ (${name})`, () => {
    const patchNums = [1, 2, 3];
    const q = new MultiScaleQuantizer({ vocabSize: 16, cvae: 4, patchNums });
    const model = new VAR({ vocabSize: 16, cvae: 4, patchNums, width: 32, depth: 2, heads: 2 });
    const labels = [0, 3, 7];
    const generate = (seed: number) => {
      const { idxBl, fHat } = model.generate(q, labels, { ...options, seed });
      const out = { tokens: idxBl.map((t) => Array.from(t.dataSync())), fHat: fHat.dataSync() };
      tf.dispose([fHat, ...idxBl]);
      return out;
    };
    const was = setGraphs(false);
    const eager = [1, 2, 3, 4].map(generate);
    setGraphs(true);
    const graph = [1, 2, 3, 4].map(generate); // calls 3 and 4 run as graphs
    setGraphs(was);
    if (tf.getBackend() === "tensorflow") {
      const calls = model.generationCalls;
      // One graph per step (its pass, with the step before's codes into f̂), and the last advance.
      assertEquals(calls.built, patchNums.length + 1, JSON.stringify(calls));
      assertEquals(calls.graph, 2 * (patchNums.length + 1));
    }
    graph.forEach((g, i) => {
      assertEquals(g.tokens, eager[i].tokens);
      const worst = Array.from(g.fHat).reduce(
        (m, v, j) => Math.max(m, Math.abs(v - eager[i].fHat[j])),
        0,
      );
      assert(worst < 1e-5, `max |f̂ graph − eager| = ${worst}`);
    });
    model.dispose();
    q.dispose();
  });
}
