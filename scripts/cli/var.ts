/**
 * `deno task var`: trains a small class-conditional VAR on the token maps of a pretrained
 * multi-scale tokenizer, and judges its samples with a small classifier trained by the same
 * command. Writes OUT/report.json, OUT/classifier/ and OUT/var/ (a training checkpoint: every
 * --save-every minutes, on Ctrl-C and at the end; --resume OUT goes on from it).
 * `deno task var --help` lists the options.
 */
import { access } from "node:fs/promises";
import { backendName, versions } from "../../lib/core/backend.ts";
import { InputError } from "../../lib/core/errors.ts";
import { Classifier, type ClassifierConfig } from "../../lib/models/classifier.ts";
import { checkVARConfig, VAR, type VARConfig } from "../../lib/models/var.ts";
import type { VQVAEConfig } from "../../lib/models/vqvae.ts";
import type { TokenOrder } from "../../lib/quant/token_order.ts";
import {
  loadCheckpoint,
  readCheckpointManifest,
  saveCheckpoint,
} from "../../lib/train/checkpoint.ts";
import { trainClassifier } from "../../lib/train/classifier_train.ts";
import { readSnapshots, type SnapshotPlan } from "../../lib/train/snapshots.ts";
import { NonFiniteLossError } from "../../lib/train/loop.ts";
import { readRunState, type RunState } from "../../lib/train/run_checkpoint.ts";
import { sampleAccuracy } from "../../lib/train/samples.ts";
import {
  DEFAULT_VAR_LR,
  tokenize,
  type TokenSet,
  trainVAR,
  type VARTrainResult,
} from "../../lib/train/var_train.ts";
import type { ImageDataset } from "../../lib/data/datasets.ts";
import type { VQModel } from "../../lib/models/vqvae.ts";
import { loadData } from "./data.ts";
import { type OrderName, tokenOrderOf } from "./var_runs.ts";
import type { CommandSpec, ParsedOptions } from "./options.ts";
import { budgetFrom, prepareOut, runOptions, writeJsonAtomic } from "./out.ts";
import { type CommandContext, EXIT_INTERRUPTED, lastGood, runCommand } from "./run.ts";

const TOKENIZER = "data/tokenizer/fashion-mnist-vqvae-multiscale";

const spec: CommandSpec = {
  usage: "deno task var",
  summary: "Trains a class-conditional next-scale model (VAR) on the token maps of a " +
    "multi-scale tokenizer (or, on a single-scale tokenizer, the same network as a raster-order " +
    "next-token model: VAR's AR baseline), then judges per-class samples with a classifier it " +
    "trains first (or --classifier). " +
    "Writes OUT/report.json (losses, sample accuracy), OUT/classifier/ and OUT/var/ (saved " +
    "every --save-every minutes, on Ctrl-C and at the end).",
  options: [
    {
      name: "data",
      kind: "choice",
      values: ["fashion-mnist", "dummy"],
      default: "fashion-mnist",
      help: "labelled images the tokenizer was trained on",
    },
    {
      name: "tokenizer",
      kind: "text",
      placeholder: "DIR",
      default: TOKENIZER,
      help: "checkpoint of a VQ-VAE (deno task train's OUT/checkpoint): multi-scale for " +
        "next-scale prediction, single-scale for raster order",
    },
    {
      name: "classifier",
      kind: "text",
      placeholder: "DIR",
      help: "checkpoint of a trained judge to use instead of training one",
    },
    ...runOptions("out/var", "10"),
    { name: "width", kind: "int", min: 8, default: "128", help: "transformer width" },
    { name: "depth", kind: "int", min: 1, default: "3", help: "transformer blocks" },
    { name: "heads", kind: "int", min: 1, default: "4", help: "attention heads (divide --width)" },
    { name: "batch", kind: "int", min: 1, default: "64", help: "sequences per step" },
    {
      name: "lr",
      kind: "number",
      above: 0,
      default: String(DEFAULT_VAR_LR),
      help: "peak learning rate",
    },
    {
      name: "cfg",
      kind: "number",
      above: -1,
      default: "3",
      help: "classifier-free guidance scale of the samples",
    },
    {
      name: "top-k",
      kind: "int",
      min: 0,
      default: "0",
      help: "sample among the k likeliest tokens (0: all)",
    },
    { name: "top-p", kind: "number", above: 0, default: "0.9", help: "nucleus sampling mass" },
    {
      name: "per-class",
      kind: "int",
      min: 1,
      default: "100",
      help: "samples per class for the accuracy",
    },
    {
      name: "classifier-minutes",
      kind: "number",
      above: 0,
      default: "1.5",
      help: "training time of the judge",
    },
    {
      name: "order",
      kind: "choice",
      values: ["next-scale", "raster"],
      help:
        "token order [default: next-scale on a multi-scale tokenizer, raster on a single-scale " +
        "one]; raster on a multi-scale tokenizer predicts all its scales' tokens one at a time",
    },
    { name: "no-adaln", kind: "flag", help: "plain LayerNorm instead of class-conditioned AdaLN" },
    {
      name: "adaln-init",
      kind: "choice",
      values: ["plain", "var"],
      default: "plain",
      help: "AdaLN's start: plain (zero weights, gates 1: plain pre-LN blocks) or var (VAR's " +
        "init_weights: gates ×1e-5, scales and shifts ×0.5)",
    },
    {
      name: "attn-norm",
      kind: "flag",
      help: "VAR's attention normalisation (unit queries and keys, a learned scale per head)",
    },
    {
      name: "weight-decay",
      kind: "number",
      min: 0,
      default: "0",
      help: "AdamW's decoupled weight decay on weight matrices (VAR: 0.05; 0: Adam)",
    },
    {
      name: "clip-grad",
      kind: "number",
      min: 0,
      default: "0",
      help: "clip the gradient's global norm at this (VAR: 2; 0: off)",
    },
    {
      name: "snapshot-minutes",
      kind: "numbers",
      help: "save a copy of the model in OUT/snapshots/ at these minutes of training " +
        "(deno task var:compare measures each: quality against training time)",
    },
    {
      name: "snapshot-steps",
      kind: "ints",
      help: "save a copy of the model in OUT/snapshots/ at these step counts (equal steps)",
    },
  ],
  examples: [
    ["deno task var --minutes 10 --out out/var", "10 minutes with the shipped tokenizer"],
    [
      "deno task var --tokenizer out/fm/checkpoint --minutes 30 --out out/var-fm",
      "on your own tokenizer, resumable: deno task var --resume out/var-fm",
    ],
  ],
};

const exists = (p: string) => access(p).then(() => true, () => false);

await runCommand(spec, "var", async (ctx) => {
  const { options: o, signal, progress, say } = ctx;
  const resume = o.has("resume") ? o.text("resume") : undefined;
  const out = await prepareOut(o.text("out"), resume, "var");
  const seed = o.num("seed");
  // lib's check of the network's shape, before any work (tokenizing takes a while).
  checkVARConfig({ width: o.num("width"), heads: o.num("heads"), depth: o.num("depth") });
  const tokDir = o.text("tokenizer");
  const tokConfig = await tokenizerConfig(tokDir);
  const resumed = resume ? await resumedVAR(out, resume, tokDir, tokConfig) : undefined;
  const [trainImages, testImages] = await loadData(o.text("data"), { imageSize: 32, seed });
  if (tokConfig.imageSize !== trainImages.height || tokConfig.inChannels !== trainImages.channels) {
    throw new InputError(
      `--tokenizer ${tokDir} reads ${tokConfig.imageSize}×${tokConfig.imageSize}×${tokConfig.inChannels} ` +
        `images; ${trainImages.name} has ${trainImages.height}×${trainImages.width}×${trainImages.channels}`,
    );
  }
  const orderName = o.has("order") ? o.text("order") as OrderName : undefined;
  const tokens = await tokenizeAll(tokDir, tokConfig, orderName, [trainImages, testImages], say);
  const judge = await prepareJudge(ctx, out, trainImages, testImages);
  if (!judge) return EXIT_INTERRUPTED;
  const model = resumed
    ? (await loadCheckpoint(`${out}/var`, (c: VARConfig) => new VAR(c))).model
    : newVAR(o, tokens.order, trainImages.classNames.length);
  say(
    `VAR: ${model.parameterCount.toLocaleString("en")} parameters, ${JSON.stringify(model.config)}`,
  );
  let result;
  try {
    result = await trainVAR(model, tokens.order, tokens.train, tokens.test, {
      ...budgetFrom(o, 10, resumed?.saved),
      batchSize: batchOf(o, tokens),
      lr: o.num("lr"),
      weightDecay: o.num("weight-decay"),
      clipNorm: o.num("clip-grad"),
      seed,
      checkpointDir: `${out}/var`,
      saveEveryMinutes: o.num("save-every"),
      resume: Boolean(resume),
      signal,
      progress,
      log: say,
      snapshots: snapshotPlan(o, out),
    });
  } catch (err) {
    if (err instanceof NonFiniteLossError) err.cause = await lastGood(`${out}/var`);
    throw err;
  }
  return await finish(ctx, out, { tokDir, tokens, judge, model, result }, trainImages.classNames);
});

/** A VAR with fresh weights as the options say, for `order`'s tokens. */
function newVAR(o: ParsedOptions, order: TokenOrder, numClasses: number): VAR {
  return new VAR({
    vocabSize: order.vocabSize,
    cvae: order.cvae,
    patchNums: [...order.patchNums],
    numClasses,
    width: o.num("width"),
    depth: o.num("depth"),
    heads: o.num("heads"),
    adaLN: !o.flag("no-adaln"),
    adaLNInit: o.text("adaln-init") as VARConfig["adaLNInit"],
    attnNorm: o.flag("attn-norm"),
    seed: o.num("seed"),
  });
}

/** Where and when to save copies of the model along the run, if asked. */
function snapshotPlan(o: ParsedOptions, out: string): SnapshotPlan | undefined {
  if (!o.has("snapshot-minutes") && !o.has("snapshot-steps")) return undefined;
  return {
    dir: `${out}/snapshots`,
    minutes: o.has("snapshot-minutes") ? o.numbers("snapshot-minutes") : [],
    steps: o.has("snapshot-steps") ? o.ints("snapshot-steps") : [],
  };
}

/** The tokenizer's config; it must be a VQ-VAE's. */
async function tokenizerConfig(tokDir: string): Promise<Partial<VQVAEConfig>> {
  const config = (await readCheckpointManifest<Partial<VQVAEConfig>>(tokDir)).config;
  if (config.quantizer !== "multiscale" && config.quantizer !== "single") {
    throw new InputError(
      `--tokenizer ${tokDir}: a checkpoint of another kind of model; VAR needs a VQ-VAE`,
    );
  }
  return config;
}

/** The saved run in `out` (`--resume` `given`), whose VAR must fit the tokenizer. */
async function resumedVAR(
  out: string,
  given: string,
  tokDir: string,
  tokConfig: Partial<VQVAEConfig>,
): Promise<{ saved: RunState; config: VARConfig }> {
  const saved = await readRunState(`${out}/var`, "trainVAR");
  const config = (await readCheckpointManifest<VARConfig>(`${out}/var`)).config;
  const oneByOne = config.patchNums.every((pn) => pn === 1);
  const fits = config.vocabSize === tokConfig.vocabSize &&
    config.cvae === tokConfig.latentChannels &&
    (tokConfig.quantizer === "single" || oneByOne ||
      config.patchNums?.join() === tokConfig.patchNums?.join());
  if (!fits) {
    throw new InputError(
      `--resume ${given}: its VAR (V ${config.vocabSize}, Cvae ${config.cvae}, scales ${config.patchNums}) ` +
        `does not fit --tokenizer ${tokDir}`,
    );
  }
  return { saved, config };
}

/** Both sets' token maps, and the order VAR generates them in. */
/** Sequences per step: `--batch`, at most the training set. */
function batchOf(o: ParsedOptions, tokens: Tokens): number {
  return Math.min(o.num("batch"), tokens.train.length);
}

interface Tokens {
  tokenizer: VQModel;
  /** Next-scale order (multi-scale tokenizer) or raster order (a token a step). */
  order: TokenOrder;
  raster: boolean;
  train: TokenSet;
  test: TokenSet;
}

/** Loads the tokenizer and tokenizes both sets once. */
async function tokenizeAll(
  tokDir: string,
  tokConfig: Partial<VQVAEConfig>,
  orderName: OrderName | undefined,
  [trainImages, testImages]: [ImageDataset, ImageDataset],
  say: (line: string) => void,
): Promise<Tokens> {
  const { model: tokenizer } = await loadCheckpoint(tokDir);
  const raster = orderName === "raster" || tokConfig.quantizer === "single";
  const order = tokenOrderOf(tokenizer, orderName);
  say(`backend ${backendName}; tokenizing ${trainImages.length} + ${testImages.length} images`);
  const t0 = performance.now();
  const train = tokenize(tokenizer, trainImages);
  const test = tokenize(tokenizer, testImages);
  say(`tokenized in ${((performance.now() - t0) / 1000).toFixed(1)} s: L = ${train.L}`);
  return { tokenizer, order, raster, train, test };
}

/** The judge and how it came to be. */
interface Judge {
  classifier: Classifier;
  dir: string;
  trained: { steps: number; seconds: number };
  accuracy: number;
}

/**
 * The judge: `--classifier`, or the run's own, or a small CNN trained on the real images and
 * saved (a resumed run reuses it). Undefined when Ctrl-C stopped its training.
 */
async function prepareJudge(
  { options: o, signal, progress, say }: CommandContext,
  out: string,
  trainImages: ImageDataset,
  testImages: ImageDataset,
): Promise<Judge | undefined> {
  let classifier: Classifier;
  let trained = { steps: 0, seconds: 0 };
  const dir = o.has("classifier") ? o.text("classifier") : `${out}/classifier`;
  if (o.has("classifier") || await exists(`${out}/classifier/checkpoint.json`)) {
    classifier = (await loadCheckpoint(dir, (c: ClassifierConfig) => new Classifier(c))).model;
    say(`classifier: loaded from ${dir}`);
  } else {
    const seed = o.num("seed");
    classifier = new Classifier({ seed, classes: trainImages.classNames.length });
    const minutes = o.num("classifier-minutes");
    trained = await trainClassifier(classifier, trainImages, { minutes, seed, signal, progress });
    if (signal.aborted) {
      say("interrupted while training the classifier: nothing saved yet");
      return undefined;
    }
    await saveCheckpoint(`${out}/classifier`, classifier, {});
  }
  const accuracy = classifier.accuracy(testImages);
  say(
    `classifier: ${trained.steps} steps in ${trained.seconds.toFixed(0)} s, test accuracy ${
      (100 * accuracy).toFixed(2)
    } %`,
  );
  return { classifier, dir, trained, accuracy };
}

/**
 * After training: report.json (and a word on resuming, if interrupted); otherwise samples of
 * every class judged by the classifier, added to the report.
 */
async function finish(
  { options: o, say }: CommandContext,
  out: string,
  run: { tokDir: string; tokens: Tokens; judge: Judge; model: VAR; result: VARTrainResult },
  classNames: readonly string[],
): Promise<number> {
  const { tokens, judge, model, result } = run;
  const last = result.history[result.history.length - 1];
  const report: Record<string, unknown> = {
    backend: backendName,
    versions: versions(),
    command: `deno task var ${Deno.args.join(" ")}`.trim(),
    tokenizer: run.tokDir,
    ...orderAndOptimizer(o, tokens),
    classifierDir: judge.dir,
    interrupted: result.interrupted,
    steps: result.steps,
    batch: batchOf(o, tokens),
    seconds: result.seconds,
    stepsPerSecond: result.steps / result.seconds,
    trainLoss: last.trainLoss,
    testLoss: last.testLoss,
    testTokenAccuracy: last.testAccuracy,
    classifier: { ...judge.trained, testAccuracy: judge.accuracy },
    model: model.config,
    parameters: model.parameterCount,
    history: result.history,
    snapshots: (await readSnapshots(`${out}/snapshots`)).map((s) => ({
      ...s,
      dir: s.dir.slice(out.length + 1),
    })),
  };
  if (result.interrupted) {
    await writeJsonAtomic(`${out}/report.json`, report);
    say(
      `interrupted at step ${result.steps}: ${out}/var/ and ${out}/report.json saved; ` +
        `go on with: deno task var --resume ${out}`,
    );
    return EXIT_INTERRUPTED;
  }
  const judged = judgeSamples({ options: o, say }, tokens, judge, model);
  Object.assign(report, {
    sampleAccuracy: judged.accuracy,
    sampleAccuracyPerClass: Object.fromEntries(classNames.map((c, i) => [c, judged.perClass[i]])),
    samplesPerSecond: judged.samples / judged.seconds,
    samples: judged.samples,
    generate: judged.generate,
  });
  await writeJsonAtomic(`${out}/report.json`, report);
  say(
    `done: ${result.steps} steps in ${result.seconds.toFixed(0)} s (${
      (result.steps / result.seconds).toFixed(2)
    } steps/s); test loss ${last.testLoss.toFixed(3)}; sampleAccuracy ${
      judged.accuracy.toFixed(3)
    } (classifier ${judge.accuracy.toFixed(3)}) -> ${out}/report.json`,
  );
  return 0;
}

/** The report's order, tokenizer kind and optimiser settings. */
function orderAndOptimizer(o: ParsedOptions, tokens: Tokens) {
  return {
    order: tokens.raster ? "raster" : "next-scale",
    tokens: tokens.tokenizer.config.quantizer === "single" ? "single-scale" : "multi-scale",
    optimizer: {
      lr: o.num("lr"),
      weightDecay: o.num("weight-decay"),
      clipNorm: o.num("clip-grad"),
    },
  };
}

/** `--per-class` samples of every class, generated as the options say and judged. */
function judgeSamples(
  { options: o, say }: Pick<CommandContext, "options" | "say">,
  tokens: Tokens,
  judge: Judge,
  model: VAR,
) {
  const generate = { cfg: o.num("cfg"), topK: o.num("top-k"), topP: o.num("top-p") };
  const judged = sampleAccuracy(model, tokens.tokenizer, judge.classifier, {
    ...generate,
    order: tokens.order,
    perClass: o.num("per-class"),
    seed: o.num("seed"),
  });
  say(
    `samples: ${judged.samples} in ${judged.seconds.toFixed(1)} s (${
      (judged.samples / judged.seconds).toFixed(0)
    }/s, decode and classify included); classifier agrees with the class on ${
      (100 * judged.accuracy).toFixed(1)
    } %`,
  );
  return { ...judged, generate };
}
