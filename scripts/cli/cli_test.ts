/**
 * The command lines run as a user runs them (subprocesses, exit codes, lines printed): help and
 * bad input. cli_train_test.ts and cli_var_test.ts run the training commands themselves.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@std/assert";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { encodeIdx } from "../../lib/data/idx.ts";
import { makeTempDir } from "../../testing/temp_dir.ts";
import { assertUsageError, type Ran, root, run } from "./cli_testing.ts";

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
  // Three commands at a time: each case has its own --out (or fails before writing one).
  const ran = new Array<Ran>(cases.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) ran[i] = await run(cases[i][0], cases[i][1]);
  };
  await Promise.all([worker(), worker(), worker()]);
  cases.forEach(([, , line], i) => assertUsageError(ran[i], line));

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
