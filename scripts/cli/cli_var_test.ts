/**
 * `deno task var` run as a user runs it: training on a tokenizer, Ctrl-C, resume.
 */
import { assert, assertEquals, assertStringIncludes } from "@std/assert";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { assertUsageError, json, run, TINY_VAR, trainTinyTokenizer } from "./cli_testing.ts";

Deno.test("var: trains on a tokenizer, saves, Ctrl-C exits 130, resume goes on", async () => {
  const dir = await makeTempDir();
  const tok = await trainTinyTokenizer(`${dir}/tok`);
  const common = ["--data", "dummy", "--tokenizer", tok, "--out", `${dir}/var`];
  const cut = await run("var", [
    ...common,
    ...TINY_VAR,
    "--classifier-minutes",
    "0.02",
    "--minutes",
    "5",
    "--save-every",
    "0.003",
  ], /checkpoint saved at step/);
  assertEquals(cut.code, 130, cut.stderr);
  const stopped = await json(`${dir}/var/report.json`);
  assertEquals(stopped.interrupted, true);
  const resumed = await run("var", [
    ...common,
    "--resume",
    `${dir}/var`,
    "--steps",
    String(stopped.steps + 4),
    "--snapshot-steps",
    String(stopped.steps + 2),
  ]);
  assertEquals(resumed.code, 0, resumed.stderr);
  assertStringIncludes(resumed.stdout, `classifier: loaded from ${dir}/var/classifier`);
  assertStringIncludes(resumed.stdout, `resuming ${dir}/var/var at step ${stopped.steps}`);
  const done = await json(`${dir}/var/report.json`);
  assertEquals([done.steps, done.interrupted], [stopped.steps + 4, false]);
  // The copy asked for along the run: its folder, step and training time in the report.
  assertEquals(done.snapshots.map((s: { dir: string; step: number }) => [s.dir, s.step]), [
    [`snapshots/step-${String(stopped.steps + 2).padStart(6, "0")}`, stopped.steps + 2],
  ]);
  assert(done.sampleAccuracy >= 0 && done.sampleAccuracy <= 1);
  // Another command's run is refused.
  assertUsageError(
    await run("var", ["--resume", `${dir}/tok`]),
    `error: --resume ${dir}/tok: no checkpoint in it (${dir}/tok/var/)`,
  );
});
