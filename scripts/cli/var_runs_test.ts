import { assertEquals, assertRejects } from "@std/assert";
import { InputError } from "../../lib/core/errors.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { readVarRun } from "./var_runs.ts";

Deno.test("readVarRun: a run from before tokenizers were recorded is read with the default it used", async () => {
  // The shipped 10-minute run's report has neither `tokenizer` nor `order`.
  const report = JSON.parse(await Deno.readTextFile("data/var/fashion-mnist-var/report.json"));
  assertEquals([report.tokenizer, report.order], [undefined, undefined]);
  const run = await readVarRun("data/var/fashion-mnist-var");
  assertEquals(
    [run.tokenizer, run.tokenizerFrom, run.order, run.steps],
    ["data/tokenizer/fashion-mnist-vqvae-multiscale", "default", "next-scale", report.steps],
  );
  const raster = await readVarRun("data/var/compare/raster");
  assertEquals([raster.tokenizerFrom, raster.order], ["report", "raster"]);
});

Deno.test("readVarRun: a folder that lacks a part, or whose generator does not fit its tokenizer, is refused by name", async () => {
  const dir = await makeTempDir();
  await assertRejects(() => readVarRun(dir), InputError, `${dir}: no report.json`);
  const report = JSON.parse(await Deno.readTextFile("data/var/compare/raster/report.json"));
  await Deno.writeTextFile(`${dir}/report.json`, JSON.stringify(report));
  await assertRejects(() => readVarRun(dir), InputError, `${dir}: no var/checkpoint.json`);
  await Deno.mkdir(`${dir}/var`);
  await Deno.copyFile("data/var/compare/raster/var/checkpoint.json", `${dir}/var/checkpoint.json`);
  // A raster generator (49 steps) with no tokenizer recorded: the default multi-scale one does not fit.
  await Deno.writeTextFile(
    `${dir}/report.json`,
    JSON.stringify({ ...report, tokenizer: undefined, command: "deno task var --minutes 5" }),
  );
  await assertRejects(
    () => readVarRun(dir),
    InputError,
    `${dir}: its generator (V 512, Cvae 32, 49 steps) does not fit the tokenizer data/tokenizer/fashion-mnist-vqvae-multiscale (its report records none)`,
  );
  await Deno.writeTextFile(
    `${dir}/report.json`,
    JSON.stringify({ ...report, tokenizer: `${dir}/nosuch` }),
  );
  await assertRejects(
    () => readVarRun(dir),
    InputError,
    `its tokenizer ${dir}/nosuch (in its report) has no checkpoint.json`,
  );
});
