/**
 * Copies the generator of a `deno task var` run as shipped data: the model alone (a run's
 * checkpoint also holds the optimiser's state) and the run's report.
 *
 *   deno run -A scripts/build/ship_generator.ts RUN_DIR DEST_DIR
 */
import { VAR, type VARConfig } from "../../lib/models/var.ts";
import { loadCheckpoint, saveCheckpoint } from "../../lib/train/checkpoint.ts";

const [from, to] = Deno.args;
if (!from || !to) {
  console.error("usage: deno run -A scripts/build/ship_generator.ts RUN_DIR DEST_DIR");
  Deno.exit(2);
}
const { model, manifest } = await loadCheckpoint(`${from}/var`, (c: VARConfig) => new VAR(c));
await saveCheckpoint(to, model, manifest.metrics);
await Deno.copyFile(`${from}/report.json`, `${to}/report.json`);
model.dispose();
console.log(
  `${from}/var -> ${to} (model only, ${model.parameterCount.toLocaleString("en")} parameters)`,
);
