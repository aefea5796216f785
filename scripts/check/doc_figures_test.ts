/**
 * The figures documents quote for the shipped checkpoints have one source: the checkpoint's
 * `report.json`. Each figure is formatted from the report the way the document writes it and must
 * appear there; a retrained checkpoint with a stale document fails here.
 */
import { assert } from "@std/assert";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, root));
const report = (path: string) => JSON.parse(read(path));
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const int = (x: number) => Math.round(x).toLocaleString("en");

const tokenizer = report("data/tokenizer/fashion-mnist-vqvae-multiscale/report.json");
const varRun = report("data/var/fashion-mnist-var/report.json");
const single = report("data/tokenizer/fashion-mnist-vqvae-single/report.json");

/** Document → the figures it must quote, as written there. */
const expected: Record<string, string[]> = {
  "data/README.md": [
    tokenizer.command,
    `${int(tokenizer.steps)} steps of batch 128 in ${Math.round(tokenizer.seconds)} s`,
    `PSNR ${tokenizer.test.psnr.toFixed(2)} dB (MSE ${tokenizer.test.mse.toFixed(5)})`,
    `usage ${pct(tokenizer.test.usage)}, perplexity ${tokenizer.test.perplexity.toFixed(0)}`,
    single.command,
    `${int(single.steps)} steps of batch 128 in ${Math.round(single.seconds)} s`,
    `PSNR ${single.test.psnr.toFixed(2)} dB (MSE ${single.test.mse.toFixed(5)})`,
    `usage ${pct(single.test.usage)}, perplexity ${single.test.perplexity.toFixed(0)}`,
    varRun.command,
    `${int(varRun.parameters)} parameters`,
    `${int(varRun.steps)} steps of batch 64 in ${Math.round(varRun.seconds)} s`,
    `test loss ${varRun.testLoss.toFixed(3)}`,
    `${pct(varRun.testTokenAccuracy)} of test tokens predicted exactly`,
    `classifier trained ${Math.round(varRun.classifier.seconds)} s (test accuracy ${
      pct(varRun.classifier.testAccuracy)
    })`,
    `Of ${int(varRun.samples)} samples`,
    `${pct(varRun.sampleAccuracy)}`,
  ],
};

for (const [doc, figures] of Object.entries(expected)) {
  Deno.test(`${doc} quotes the shipped checkpoints' report.json`, () => {
    const text = read(doc).replace(/\s+/g, " ");
    const missing = figures.filter((f) => !text.includes(f));
    assert(
      missing.length === 0,
      `${doc} does not say (from report.json): ${missing.map((m) => JSON.stringify(m)).join(", ")}`,
    );
  });
}

Deno.test("no notebook types in a shipped checkpoint's PSNR: they read it from report.json", () => {
  const psnr = tokenizer.test.psnr;
  for (const entry of Deno.readDirSync(new URL("notebooks/", root))) {
    if (!entry.name.endsWith(".ipynb")) continue;
    const nb = JSON.parse(read(`notebooks/${entry.name}`));
    const prose = nb.cells.filter((c: { cell_type: string }) => c.cell_type === "markdown")
      .map((c: { source: string[] }) => c.source.join("")).join("\n");
    for (const written of [psnr.toFixed(2), psnr.toFixed(1)]) {
      assert(
        !prose.includes(`${written} dB`),
        `notebooks/${entry.name} types the shipped tokenizer's ${written} dB into its prose`,
      );
    }
  }
});
