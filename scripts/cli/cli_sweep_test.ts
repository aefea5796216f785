/**
 * `deno task var:sweep` and `var:compare --sweep` run as a user runs them: a sweep trained in two
 * shards, a run stopped by Ctrl-C resumed, finished runs skipped, the report's rows with their
 * intervals over seeds.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { assertUsageError, json, run, TINY_VAR, trainTinyTokenizer } from "./cli_testing.ts";

const JUDGE = "data/var/fashion-mnist-var/classifier";

/** A sweep of two configurations (next-scale, raster over the same tokens) at two seeds. */
function sweepFile(dir: string, steps: number) {
  return {
    description: "test",
    steps,
    seeds: [0, 1],
    out: `${dir}/runs`,
    args: [
      "--data",
      "dummy",
      "--tokenizer",
      `${dir}/tok/checkpoint`,
      "--classifier",
      JUDGE,
      ...TINY_VAR,
      "--save-every",
      "0.002",
    ],
    configs: [
      { name: "scale", label: "next-scale", args: [] },
      { name: "raster", label: "raster over the same tokens", args: ["--order", "raster"] },
    ],
    measure: { samples: 20, seed: 0, judge: JUDGE, testImages: 200 },
    rows: [
      { group: "2x2", name: "next-scale", config: "scale", cfg: 0, topP: 1 },
      { group: "2x2", name: "raster", config: "raster", cfg: 0, topP: 1, topK: 4 },
      {
        group: "teacher-forced",
        name: "from scale 2",
        config: "raster",
        cfg: 1.5,
        topP: 0.9,
        forcedScales: 1,
      },
    ],
  };
}

Deno.test("var:sweep: shards, Ctrl-C and resume, finished runs skipped, then one report with intervals", async () => {
  const dir = await makeTempDir();
  await trainTinyTokenizer(`${dir}/tok`);
  const file = `${dir}/sweep.json`;
  await Deno.writeTextFile(file, JSON.stringify(sweepFile(dir, 30)));
  // Shard 1 of 2 (runs 1 and 3: scale at seeds 0 and 1), stopped by Ctrl-C in its first run.
  const cut = await run(
    "var_sweep",
    ["--sweep", file, "--shard", "1/2"],
    /checkpoint saved at step/,
  );
  assertEquals(cut.code, 130, cut.stderr);
  assertStringIncludes(cut.stdout, "2 runs in this shard: 0 finished, 0 to resume, 2 to begin");
  assertStringIncludes(cut.stdout, `interrupted: ${dir}/runs/scale-s0 is saved`);
  const again = await run("var_sweep", ["--sweep", file, "--shard", "1/2"]);
  assertEquals(again.code, 0, again.stderr);
  assertStringIncludes(again.stdout, "0 finished, 1 to resume, 1 to begin");
  assertStringIncludes(again.stdout, `resuming ${dir}/runs/scale-s0/var at step`);
  assertStringIncludes(again.stdout, "no report yet: 2 runs are not here");
  // The other shard, then the report (the whole sweep is there).
  const rest = await run("var_sweep", [
    "--sweep",
    file,
    "--shard",
    "2/2",
    "--report",
    `${dir}/report`,
  ]);
  assertEquals(rest.code, 0, rest.stderr);
  assertStringIncludes(rest.stdout, "every run is here");
  await checkReport(`${dir}/report/report.json`);
  // A finished sweep trains nothing more.
  const done = await run("var_sweep", ["--sweep", file, "--no-report"]);
  assertStringIncludes(done.stdout, "4 runs in this shard: 4 finished, 0 to resume, 0 to begin");
  assertUsageError(
    await run("var_sweep", ["--sweep", file, "--shard", "3/2"]),
    'error: --shard must be I/N with 1 ≤ I ≤ N (e.g. 2/3), got "3/2"',
  );
});

/** The report: each row with one value per seed and its interval, the configurations' orders. */
async function checkReport(path: string) {
  const report = await json(path);
  assertEquals(report.rows.map((r: { name: string }) => r.name), [
    "next-scale",
    "raster",
    "from scale 2",
  ]);
  for (const r of report.rows) {
    assertEquals(r.fid.values.length, 2, "one value per seed");
    assert(r.fid.low <= r.fid.mean && r.fid.mean <= r.fid.high);
  }
  assertEquals(report.configs.map((c: { order: string }) => c.order), ["next-scale", "raster"]);
  assertEquals(report.configs[1].tokensPerImage, 1 + 9 + 49);
  assert(report.verdicts.some((v: { group: string }) => v.group === "2x2"));
}
