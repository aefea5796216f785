/**
 * The figures documents quote for the shipped checkpoints have one source: the checkpoint's
 * `report.json`. Each figure is formatted from the report the way the document writes it and must
 * appear there; a retrained checkpoint with a stale document fails here.
 */
import { assert } from "@std/assert";
import { formatInterval, type MeanInterval, verdict } from "../../lib/train/interval.ts";

const root = new URL("../../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, root));
const report = (path: string) => JSON.parse(read(path));
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const int = (x: number) => Math.round(x).toLocaleString("en");

const tokenizer = report("data/tokenizer/fashion-mnist-vqvae-multiscale/report.json");
const varRun = report("data/var/fashion-mnist-var/report.json");
const single = report("data/tokenizer/fashion-mnist-vqvae-single/report.json");

/** The figures README quotes from var:compare's report (next-scale against raster order). */
function compareFigures() {
  const c = report("data/var/compare/report.json");
  type Run = {
    steps: number;
    curve: { fid: number }[];
    speed: { batch: number; msPerBatch: { median: number }; imagesPerSecond: number }[];
  };
  const main = (o: string): Run =>
    c.orders[o].runs.reduce((a: Run, b: Run) => (b.steps > a.steps ? b : a));
  const [ns, ra] = [main("next-scale"), main("raster")];
  const [nsFid, raFid] = [ns.curve.at(-1)!.fid, ra.curve.at(-1)!.fid];
  const speed = (r: Run, batch: number) => r.speed.find((s) => s.batch === batch)!;
  type Pair = Record<string, { fid: number; precision: number; recall: number }>;
  const eq: Pair[] = c.equalSteps;
  const gap = (k: "precision" | "recall") =>
    eq.reduce((s, e) => s + e.raster[k] - e["next-scale"][k], 0) / eq.length;
  const steps = (k: "precision" | "recall") => eq.map((e) => e.raster[k] - e["next-scale"][k]);
  const signed = (v: number) => `${v < 0 ? "−" : "+"}${Math.abs(v).toFixed(3)}`;
  const ms1 = [speed(ns, 1), speed(ra, 1)].map((s) => s.msPerBatch.median);
  const per250 = [speed(ns, 250), speed(ra, 250)].map((s) => s.imagesPerSecond);
  return {
    figures: [
      `FID ${raFid.toFixed(2)} against ${nsFid.toFixed(2)} at w = ${c.curveCfg}`,
      `it made ${int(ra.steps)} steps to next-scale's ${int(ns.steps)}`,
      `recall ${gap("recall").toFixed(3)} higher on average at equal steps; raster's precision ${
        signed(Math.min(...steps("precision")))
      } to ${signed(Math.max(...steps("precision")))} from next-scale's at a step, ${
        signed(gap("precision"))
      } on average`,
      `(FID ${c.orders["next-scale"].tokenizer.fid.toFixed(2)} and ${
        c.orders.raster.tokenizer.fid.toFixed(2)
      })`,
      `${(ms1[1] / ms1[0]).toFixed(1)}× at one image per call (${ms1[0].toFixed(0)} against ${
        ms1[1].toFixed(0)
      } ms`,
      `${(per250[0] / per250[1]).toFixed(2)}× at 250 per call (${per250[0].toFixed(0)} against ${
        per250[1].toFixed(0)
      } images per second)`,
    ],
  };
}
const compared = compareFigures();

/**
 * The verdicts README prints from the study's report (notebook 07), each with its intervals
 * and the rule's word for it (`verdict`: a win only where the 95 % intervals are apart).
 */
function studyFigures(): string[] {
  const st = report("data/var/study/report.json");
  type Row = { name: string } & Record<"fid" | "precision" | "recall", MeanInterval>;
  const row = (name: string): Row => st.rows.find((r: Row) => r.name === name);
  const [ns, rm, rs] = [
    "next-scale over multi-scale tokens",
    "raster over multi-scale tokens",
    "raster over single-scale tokens",
  ].map(row);
  const said = (a: Row, b: Row, m: "fid" | "recall", names: [string, string]) => {
    const v = verdict(a[m], b[m], m === "fid" ? "lower" : "higher");
    const d = m === "fid" ? 2 : 3;
    return `${m === "fid" ? "FID" : "recall"} ${formatInterval(a[m], d)} against ${
      formatInterval(b[m], d)
    } (${v === "within noise" ? "within noise" : `${v === "a wins" ? names[0] : names[1]} wins`})`;
  };
  const gap = rs.recall.mean - ns.recall.mean;
  const share = (x: number) => `${(100 * x / gap).toFixed(0)} %`;
  const recipe: Row[] = st.rows.filter((r: { group: string }) => r.group === "recipe").slice(0, -1);
  const effect = (a: Row, b: Row) => {
    const v = verdict(a.fid, b.fid, "lower");
    return v === "a wins" ? "helps" : v === "b wins" ? "hurts" : "within noise";
  };
  return [
    recipe.slice(1).map((r, i) => `${r.name}: ${effect(r, recipe[i])}`).join("; "),
    `${st.steps} steps, ${st.seeds.length} seeds per configuration`,
    said(rs, ns, "fid", ["raster", "next-scale"]),
    said(rs, ns, "recall", ["raster", "next-scale"]),
    `raster order over the same 104 tokens: ${said(rm, ns, "recall", ["raster", "next-scale"])}`,
    `the order accounts for ${
      share(rm.recall.mean - ns.recall.mean)
    } of the recall gap and the tokens for ${share(rs.recall.mean - rm.recall.mean)}`,
  ];
}

/** Document → the figures it must quote, as written there. */
const expected: Record<string, string[]> = {
  "README.md": [...compared.figures, ...studyFigures()],
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
