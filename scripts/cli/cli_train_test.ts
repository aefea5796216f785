/**
 * `deno task train` run as a user runs it: data from a folder, progress, checkpoints, Ctrl-C,
 * resume, a loss that becomes NaN.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { createRequire } from "node:module";
import { mkdir, writeFile } from "node:fs/promises";
import { tf } from "../../lib/core/backend.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { assertUsageError, json, run, TINY } from "./cli_testing.ts";

Deno.test("--data folder:PATH trains on any PNG/JPEG images, resized, classes from subfolders", async () => {
  const dir = await makeTempDir();
  const node = createRequire(import.meta.url)("@tensorflow/tfjs-node").node as {
    encodePng(x: tf.Tensor3D): Promise<Uint8Array>;
    encodeJpeg(x: tf.Tensor3D): Promise<Uint8Array>;
  };
  for (const [k, cls] of ["red", "blue"].entries()) {
    await mkdir(`${dir}/images/${cls}`, { recursive: true });
    for (let i = 0; i < 6; i++) {
      const img = tf.tidy(() =>
        tf.randomUniform([20 + 7 * i, 30, 3], 0, 256, "int32", i + 10 * k)
      ) as tf.Tensor3D;
      const bytes = i % 2 ? await node.encodePng(img) : await node.encodeJpeg(img);
      img.dispose();
      await writeFile(`${dir}/images/${cls}/${i}.${i % 2 ? "png" : "jpg"}`, bytes);
    }
  }
  const r = await run("train", [
    "--data",
    `folder:${dir}/images`,
    "--image-size",
    "16",
    "--steps",
    "3",
    "--batch",
    "4",
    "--channels",
    "8",
    "--latent",
    "4",
    "--vocab",
    "16",
    "--patch-nums",
    "1,2,4",
    "--out",
    `${dir}/out`,
  ]);
  assertEquals(r.code, 0, r.stderr);
  assertStringIncludes(r.stdout, "11 train, 1 test images of 16×16×3");
  const report = await json(`${dir}/out/report.json`);
  assertEquals([report.steps, report.data], [3, "folder:images-16-train"]);
  assertEquals(report.config.imageSize, 16);
});

async function interruptedRun(out: string) {
  // Ctrl-C once training is under way.
  const cut = await run("train", [
    "--data",
    "dummy",
    ...TINY,
    "--batch",
    "32",
    "--minutes",
    "5",
    "--save-every",
    "0.003",
    "--eval-every",
    "0",
    "--out",
    out,
  ], /steps\/s {2}ETA/);
  assertEquals(cut.code, 130, cut.stderr);
  assertStringIncludes(cut.stderr, "Ctrl-C: stopping after this step");
  assertMatch(
    cut.stdout,
    /^\[train\] step \d+ \(\d+ %\) {2}loss [\d.]+ {2}[\d.]+ steps\/s {2}ETA \d+:\d\d$/m,
  );
  assertMatch(cut.stdout, /checkpoint saved at step \d+/);
  assertStringIncludes(cut.stdout, `go on with: deno task train --resume ${out}`);
  const stopped = await json(`${out}/report.json`);
  assertEquals(stopped.interrupted, true);
  const manifest = await json(`${out}/checkpoint/checkpoint.json`);
  assertEquals(manifest.metrics.run.step, stopped.steps);
  assert(stopped.steps >= 1);
  return stopped;
}

/** The run in `out` resumed with a step budget: the steps go on from where it stopped. */
async function resumedRun(out: string, stopped: { steps: number; history: unknown[] }) {
  const target = stopped.steps + 5;
  const resumed = await run("train", [
    "--resume",
    out,
    "--data",
    "dummy",
    "--steps",
    String(target),
  ]);
  assertEquals(resumed.code, 0, resumed.stderr);
  assertStringIncludes(resumed.stdout, `resuming ${out}/checkpoint at step ${stopped.steps}`);
  const done = await json(`${out}/report.json`);
  assertEquals([done.steps, done.interrupted], [target, false]);
  assert(done.history.length > stopped.history.length, "the curves go on");
  assertEquals(done.history.slice(0, stopped.history.length), stopped.history);
  return { target, done };
}

Deno.test("train: progress lines, periodic checkpoints, resume goes on, Ctrl-C saves and exits 130", async () => {
  const dir = await makeTempDir();
  const out = `${dir}/run`;
  const stopped = await interruptedRun(out);
  const { target } = await resumedRun(out, stopped);

  // A budget the run has already spent is refused, saying how much it trained.
  const spent = await run("train", ["--resume", out, "--data", "dummy", "--steps", "1"]);
  assertUsageError(
    spent,
    new RegExp(
      `^error: --resume: this run has already trained ${target} steps in \\d+ s, ` +
        "so --steps 1 is spent; give a larger budget to go on$",
    ),
  );

  // A run of another model is refused.
  const other = await run("train", ["--resume", out, "--data", "twemoji"]);
  assertUsageError(
    other,
    `error: ${out}/checkpoint: a model of 28×28×1 images; twemoji-32-train has 32×32×3`,
  );
});

Deno.test("train: a loss that becomes NaN or infinite stops with the last good checkpoint named", async () => {
  const dir = await makeTempDir();
  const r = await run("train", [
    "--data",
    "dummy",
    ...TINY,
    "--batch",
    "32",
    "--lr",
    "1e4",
    "--steps",
    "200",
    "--save-every",
    "0.0001",
    "--out",
    dir,
  ]);
  assertEquals(r.code, 1, r.stderr);
  assertMatch(
    r.stderr.trim(),
    new RegExp(
      `^error: train: the loss became (NaN|-?Infinity) at step (\\d+) \\(lr [\\d.e+-]+\\); the last good checkpoint is ${dir}/checkpoint/ \\(step \\d+\\); try a lower --lr$`,
    ),
  );
  const bad = Number(/at step (\d+)/.exec(r.stderr)![1]);
  const manifest = await json(`${dir}/checkpoint/checkpoint.json`);
  assert(manifest.metrics.run.step < bad, "the checkpoint is from before the bad step");
});
