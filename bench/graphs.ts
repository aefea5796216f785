/**
 * deno task bench:graphs — what running steps as TensorFlow graphs is worth: the same workloads
 * eagerly (`setGraphs(false)`) and as graphs, side by side in one process, in turn (ABAB…), so
 * that the machine's drift falls on both. Workloads: the VAR training step (next-scale, raster),
 * the multi-scale VQ-VAE's training step (as bench/workloads.ts builds them: `trainVAR`'s and
 * `train`'s steps), and generation at batch 1 and 250. Prints, per workload, each way's median ms
 * per run over `--rounds` rounds of `--reps` runs (min–max of the per-round medians), and the
 * ratio eager ÷ graph (above 1: the graphs are faster).
 *
 *   deno task bench:graphs [--rounds 5] [--reps 5]
 */
import { parseArgs } from "node:util";
import { ready } from "../lib/core/backend.ts";
import { setGraphs } from "../lib/core/graph/graph_function.ts";
import { WORKLOADS } from "./workloads.ts";

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "5" },
    reps: { type: "string", default: "5" },
  },
});
const rounds = Number(a.rounds), reps = Number(a.reps);
await ready();

const NAMES = [
  "train-var-next-scale",
  "train-var-raster",
  "train-vqvae-multiscale",
  "sample-var-b1",
  "sample-var-b250",
];
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

console.log(
  "| workload | eager ms (min–max) | graph ms (min–max) | eager ÷ graph (min–max) |\n|---|---:|---:|---:|",
);
for (const name of NAMES) {
  const wl = WORKLOADS.find((w) => w.name === name)!;
  // One instance per way (each keeps its own graphs), warmed past its traces and compiles.
  const ways = [false, true].map((graphs) => {
    setGraphs(graphs);
    const s = wl.setup();
    for (let i = 0; i < 8; i++) s.run();
    return { graphs, s, medians: [] as number[] };
  });
  const reps_ = name === "sample-var-b250" ? Math.max(1, reps >> 1) : reps;
  for (let r = 0; r < rounds; r++) {
    for (const w of ways) {
      setGraphs(w.graphs);
      const ms: number[] = [];
      for (let i = 0; i < reps_; i++) {
        const t = performance.now();
        w.s.run();
        ms.push(performance.now() - t);
      }
      w.medians.push(median(ms));
    }
  }
  ways.forEach((w) => w.s.dispose());
  const [e, g] = ways.map((w) => w.medians);
  const ratios = e.map((x, i) => x / g[i]);
  const span = (xs: number[], d = 1) =>
    `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
  console.log(`| ${name} | ${span(e)} | ${span(g)} | ×${span(ratios, 2)} |`);
}
setGraphs(true);
