/**
 * The training command lines run as a user runs them: subprocesses, their exit codes, the
 * lines they print, the files they leave.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { createRequire } from "node:module";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { tf } from "../../lib/core/backend.ts";
import { encodeIdx } from "../../lib/data/idx.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno task <script>` as a user would (`deno run -A scripts/cli/<script>.ts`) from the project
 * root. With `interruptWhen`, sends SIGINT once stdout matches it.
 */
async function run(script: "train" | "var", args: string[], interruptWhen?: RegExp): Promise<Ran> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `scripts/cli/${script}.ts`, ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const decoder = new TextDecoder();
  let stdout = "";
  let sent = false;
  const reading = (async () => {
    for await (const chunk of child.stdout) {
      stdout += decoder.decode(chunk, { stream: true });
      if (interruptWhen && !sent && interruptWhen.test(stdout)) {
        sent = true;
        child.kill("SIGINT");
      }
    }
  })();
  const stderrText = new Response(child.stderr).text();
  const [{ code }, stderr] = await Promise.all([child.status, stderrText, reading]);
  return { code, stdout, stderr: await stderr };
}

/** The options of a model small enough for a test (28×28 dummy images, latents 7×7). */
const TINY = ["--channels", "8", "--latent", "4", "--vocab", "16", "--patch-nums", "1,3,7"];
const TINY_VAR = ["--width", "16", "--heads", "2", "--depth", "1", "--per-class", "2"];

/** Asserts a bad-input exit: code 2, exactly `line` on stderr, no stack trace. */
function assertUsageError(r: Ran, line: string | RegExp) {
  assertEquals(r.code, 2, `exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split("\n");
  assertEquals(lines.length, 1, `one line on stderr, got:\n${r.stderr}`);
  if (typeof line === "string") assertEquals(lines[0], line);
  else assertMatch(lines[0], line);
  assert(!/^\s+at /m.test(r.stderr + r.stdout), "no stack trace");
}

async function json(path: string) {
  return JSON.parse(await readFile(path, "utf8"));
}

Deno.test("--help lists every option with its default and values, and examples; exit 0", async () => {
  for (
    const [script, options] of [
      ["train", [
        "--data",
        "--image-size",
        "--model",
        "--quantizer",
        "--out",
        "--minutes",
        "--steps",
        "--save-every",
        "--resume",
        "--batch",
        "--lr",
        "--patch-nums",
        "--debug",
        "--help",
      ]],
      ["var", [
        "--data",
        "--tokenizer",
        "--out",
        "--minutes",
        "--steps",
        "--save-every",
        "--resume",
        "--cfg",
        "--classifier-minutes",
        "--debug",
        "--help",
      ]],
    ] as const
  ) {
    const r = await run(script, ["--help"]);
    assertEquals([r.code, r.stderr], [0, ""]);
    for (const o of options) assertMatch(r.stdout, new RegExp(`^  ${o}\\b`, "m"), o);
    assertStringIncludes(r.stdout, "[default: ");
    assertStringIncludes(r.stdout, "(one of ");
    const examples = r.stdout.split("Examples:\n")[1] ?? "";
    assert(examples.match(/^ {2}deno task /gm)!.length >= 2, "two examples");
  }
});

type BadCase = [("train" | "var"), string[], string | RegExp];

/** Folders and files of bad input: a file where a folder goes, broken data, empty folders. */
async function badFixtures() {
  const dir = await makeTempDir();
  const file = `${dir}/a-file`;
  await writeFile(file, "x");
  // Fashion-MNIST files: a wrong magic number, a truncated gzip stream.
  const badMagic = `${dir}/bad-magic`;
  const truncated = `${dir}/truncated`;
  for (const d of [badMagic, truncated]) {
    await mkdir(d);
    for (
      const f of [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
      ]
    ) {
      const real = await readFile(`${root}data/fashion-mnist/${f}`);
      await writeFile(`${d}/${f}`, real);
    }
  }
  const gz = (bytes: Uint8Array) =>
    new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip")))
      .bytes();
  await writeFile(`${badMagic}/t10k-images-idx3-ubyte.gz`, await gz(new Uint8Array([1, 2, 8, 3])));
  const real = await readFile(`${root}data/fashion-mnist/t10k-labels-idx1-ubyte.gz`);
  await writeFile(`${truncated}/t10k-labels-idx1-ubyte.gz`, real.subarray(0, 1000));
  const images = `${dir}/images`;
  await mkdir(images);
  await writeFile(`${images}/broken.jpg`, new Uint8Array([0xff, 0xd8, 0xff, 0, 1, 2]));
  const empty = `${dir}/empty`;
  await mkdir(empty);
  return { dir, file, badMagic, truncated, images, empty };
}

/** Bad options: each with the one line it must print. */
function badOptionCases({ file }: { file: string }): BadCase[] {
  return [
    ["train", ["--nosuch"], "error: unknown option --nosuch; see deno task train --help"],
    [
      "train",
      ["--data", "nosuch"],
      'error: --data must be one of fashion-mnist, twemoji, dummy, folder:PATH, got "nosuch"',
    ],
    ["train", ["--model", "nosuch"], 'error: --model must be one of vqvae, simple, got "nosuch"'],
    ["train", ["--minutes", "abc"], 'error: --minutes must be a number > 0, got "abc"'],
    ["train", ["--minutes", "-1"], 'error: --minutes must be a number > 0, got "-1"'],
    [
      "train",
      ["--data", "dummy", "--ema-decay", "0.99"],
      "error: the model options do not fit: quantizerOptions (ema) are the single-scale " +
      "quantizer's; the multi-scale one takes quantResi, shareQuantResi, usingZnorm",
    ],
    ["train", ["--batch", "2.5"], 'error: --batch must be an integer ≥ 1, got "2.5"'],
    ["train", ["--steps"], "error: --steps needs a value; see deno task train --help"],
    ["train", ["--out", file], `error: --out ${file}: a file, not a folder`],
    [
      "train",
      ["--out", `${file}/sub`],
      new RegExp(`^error: --out ${file}/sub: cannot create or write there \\(`),
    ],
  ];
}

/** Bad data and checkpoints: each with the one line it must print. */
function badDataCases(
  { dir, badMagic, truncated, images, empty }: Awaited<ReturnType<typeof badFixtures>>,
): BadCase[] {
  return [
    [
      "train",
      ["--data-dir", badMagic, "--out", `${dir}/o1`],
      `error: ${badMagic}/t10k-images-idx3-ubyte.gz: not an IDX file (the magic number must start with two zero bytes)`,
    ],
    [
      "train",
      ["--data-dir", truncated, "--out", `${dir}/o2`],
      new RegExp(`^error: ${truncated}/t10k-labels-idx1-ubyte.gz: corrupt or truncated gzip data`),
    ],
    [
      "train",
      ["--data", `folder:${images}`, "--out", `${dir}/o3`],
      new RegExp(`^error: ${images}/broken.jpg: not a decodable PNG or JPEG image`),
    ],
    [
      "train",
      ["--data", `folder:${empty}`, "--out", `${dir}/o4`],
      `error: ${empty}: no images (looked for .png, .jpg, .jpeg files in it and its subfolders)`,
    ],
    [
      "train",
      ["--data", `folder:${dir}/nosuch`, "--out", `${dir}/o5`],
      `error: ${dir}/nosuch: no such folder`,
    ],
    [
      "train",
      ["--resume", `${root}data/var/fashion-mnist-var`],
      `error: --resume ${root}data/var/fashion-mnist-var: no checkpoint in it (${root}data/var/fashion-mnist-var/checkpoint/)`,
    ],
    [
      "var",
      ["--tokenizer", `${root}data/var/fashion-mnist-var/var`, "--out", `${dir}/o6`],
      `error: --tokenizer ${root}data/var/fashion-mnist-var/var: a checkpoint of another kind of model; VAR needs a VQ-VAE`,
    ],
    [
      "var",
      ["--tokenizer", empty, "--out", `${dir}/o7`],
      `error: ${empty}: no checkpoint.json (not a vqvar checkpoint folder)`,
    ],
    [
      "var",
      ["--width", "30", "--heads", "4", "--out", `${dir}/o8`],
      "error: VAR: width 30 must be divisible by heads 4",
    ],
    [
      "var",
      ["--data", "twemoji"],
      'error: --data must be one of fashion-mnist, dummy, got "twemoji"',
    ],
  ];
}

Deno.test("bad input: one line saying what is wrong and what is allowed, exit 2", async () => {
  const fixtures = await badFixtures();
  const { dir, empty } = fixtures;
  const cases = [...badOptionCases(fixtures), ...badDataCases(fixtures)];
  for (const [script, args, line] of cases) assertUsageError(await run(script, args), line);

  // --debug adds the stack trace.
  const debug = await run("train", ["--data", `folder:${empty}`, "--out", `${dir}/o9`, "--debug"]);
  assertEquals(debug.code, 2);
  assertMatch(debug.stderr, /^\s+at /m);
});

Deno.test("bad input found deep in lib (split of a one-image set): exit 2, one line", async () => {
  // --data twemoji splits the set with ImageDataset.split, whose refusals are InputErrors; a
  // Twemoji folder of one image gets as far as that (the IDX reader takes ungzipped .gz files).
  const dir = await makeTempDir();
  const pixels = new Uint8Array(32 * 32 * 3).fill(255);
  await writeFile(`${dir}/twemoji-32-images-idx4-ubyte.gz`, encodeIdx([1, 32, 32, 3], pixels));
  await writeFile(`${dir}/twemoji-32-labels-idx1-ubyte.gz`, encodeIdx([1], new Uint8Array(1)));
  await writeFile(`${dir}/twemoji-32.json`, JSON.stringify({ categories: ["Smileys & Emotion"] }));
  assertUsageError(
    await run("train", ["--data", "twemoji", "--data-dir", dir, "--out", `${dir}/out`]),
    "error: split: twemoji-32 has 1 image(s); a train and a test set need at least 2",
  );
});

Deno.test("--out is made ready before anything else: a bad data source finds it created", async () => {
  const dir = await makeTempDir();
  const r = await run("train", ["--data", `folder:${dir}/nosuch`, "--out", `${dir}/new/out`]);
  assertEquals(r.code, 2);
  assert((await Deno.stat(`${dir}/new/out`)).isDirectory);
  // A folder that holds a run already is not overwritten.
  await mkdir(`${dir}/new/out/checkpoint`);
  await writeFile(`${dir}/new/out/checkpoint/checkpoint.json`, "{}");
  assertUsageError(
    await run("train", ["--data", "dummy", "--out", `${dir}/new/out`]),
    `error: --out ${dir}/new/out holds a run already (checkpoint/): continue it with --resume ${dir}/new/out, or choose another --out`,
  );
});

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

/** A training run in `out` stopped by Ctrl-C: its progress lines, checkpoint and report. */
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

Deno.test("var: trains on a tokenizer, saves, Ctrl-C exits 130, resume goes on", async () => {
  const dir = await makeTempDir();
  const tok = await run("train", [
    "--data",
    "dummy",
    ...TINY,
    "--steps",
    "5",
    "--batch",
    "32",
    "--out",
    `${dir}/tok`,
  ]);
  assertEquals(tok.code, 0, tok.stderr);
  const common = ["--data", "dummy", "--tokenizer", `${dir}/tok/checkpoint`, "--out", `${dir}/var`];
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
  ]);
  assertEquals(resumed.code, 0, resumed.stderr);
  assertStringIncludes(resumed.stdout, `classifier: loaded from ${dir}/var/classifier`);
  assertStringIncludes(resumed.stdout, `resuming ${dir}/var/var at step ${stopped.steps}`);
  const done = await json(`${dir}/var/report.json`);
  assertEquals([done.steps, done.interrupted], [stopped.steps + 4, false]);
  assert(done.sampleAccuracy >= 0 && done.sampleAccuracy <= 1);
  // Another command's run is refused.
  assertUsageError(
    await run("var", ["--resume", `${dir}/tok`]),
    `error: --resume ${dir}/tok: no checkpoint in it (${dir}/tok/var/)`,
  );
});
