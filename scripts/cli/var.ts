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
import { asMultiScale } from "../../lib/quant/multiscale.ts";
import { RasterOrder } from "../../lib/quant/raster_order.ts";
import type { TokenOrder } from "../../lib/quant/token_order.ts";
import {
  loadCheckpoint,
  readCheckpointManifest,
  saveCheckpoint,
} from "../../lib/train/checkpoint.ts";
import { trainClassifier } from "../../lib/train/classifier_train.ts";
import { NonFiniteLossError } from "../../lib/train/loop.ts";
import { readRunState, type RunState } from "../../lib/train/run_checkpoint.ts";
import { sampleAccuracy } from "../../lib/train/samples.ts";
import { DEFAULT_VAR_LR, tokenize, trainVAR } from "../../lib/train/var_train.ts";
import { loadData } from "./data.ts";
import type { CommandSpec } from "./options.ts";
import { budgetFrom, prepareOut, runOptions, writeJsonAtomic } from "./out.ts";
import { EXIT_INTERRUPTED, lastGood, runCommand } from "./run.ts";

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
    { name: "no-adaln", kind: "flag", help: "plain LayerNorm instead of class-conditioned AdaLN" },
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

// deno-lint-ignore vqvar/max-function-lines -- to split (issue 23)
await runCommand(spec, "var", async ({ options: o, signal, say, progress }) => {
  const resume = o.has("resume") ? o.text("resume") : undefined;
  const out = await prepareOut(o.text("out"), resume, "var");
  const seed = o.num("seed");
  // lib's check of the network's shape, before any work (tokenizing takes a while).
  checkVARConfig({ width: o.num("width"), heads: o.num("heads"), depth: o.num("depth") });

  // The tokenizer: a multi-scale VQ-VAE for images like --data's.
  const tokDir = o.text("tokenizer");
  const tokConfig = (await readCheckpointManifest<Partial<VQVAEConfig>>(tokDir)).config;
  if (tokConfig.quantizer !== "multiscale" && tokConfig.quantizer !== "single") {
    throw new InputError(
      `--tokenizer ${tokDir}: a checkpoint of another kind of model; VAR needs a VQ-VAE`,
    );
  }
  let varConfig: VARConfig | undefined;
  let saved: RunState | undefined;
  if (resume) {
    saved = await readRunState(`${out}/var`, "trainVAR");
    varConfig = (await readCheckpointManifest<VARConfig>(`${out}/var`)).config;
    const fits = varConfig.vocabSize === tokConfig.vocabSize &&
      varConfig.cvae === tokConfig.latentChannels &&
      (tokConfig.quantizer === "single" ||
        varConfig.patchNums?.join() === tokConfig.patchNums?.join());
    if (!fits) {
      throw new InputError(
        `--resume ${resume}: its VAR (V ${varConfig.vocabSize}, Cvae ${varConfig.cvae}, scales ${varConfig.patchNums}) ` +
          `does not fit --tokenizer ${tokDir}`,
      );
    }
  }
  const [trainImages, testImages] = await loadData(o.text("data"), { imageSize: 32, seed });
  if (tokConfig.imageSize !== trainImages.height || tokConfig.inChannels !== trainImages.channels) {
    throw new InputError(
      `--tokenizer ${tokDir} reads ${tokConfig.imageSize}×${tokConfig.imageSize}×${tokConfig.inChannels} ` +
        `images; ${trainImages.name} has ${trainImages.height}×${trainImages.width}×${trainImages.channels}`,
    );
  }
  const { model: tokenizer } = await loadCheckpoint(tokDir);
  // Next-scale order for a multi-scale tokenizer; raster order (one token per step) for one map.
  const raster = tokConfig.quantizer === "single";
  const quantizer: TokenOrder = raster
    ? new RasterOrder(tokenizer.quantizer, tokenizer.latentSize)
    : asMultiScale(tokenizer.quantizer);
  say(`backend ${backendName}; tokenizing ${trainImages.length} + ${testImages.length} images`);
  const t0 = performance.now();
  const trainTokens = tokenize(tokenizer, trainImages);
  const testTokens = tokenize(tokenizer, testImages);
  say(`tokenized in ${((performance.now() - t0) / 1000).toFixed(1)} s: L = ${trainTokens.L}`);

  // The judge: a small CNN on the real images, saved once trained (a resumed run reuses it).
  let classifier: Classifier;
  let cls = { steps: 0, seconds: 0 };
  const judgeDir = o.has("classifier") ? o.text("classifier") : `${out}/classifier`;
  if (o.has("classifier") || await exists(`${out}/classifier/checkpoint.json`)) {
    classifier = (await loadCheckpoint(judgeDir, (c: ClassifierConfig) => new Classifier(c))).model;
    say(`classifier: loaded from ${judgeDir}`);
  } else {
    classifier = new Classifier({ seed, classes: trainImages.classNames.length });
    cls = await trainClassifier(classifier, trainImages, {
      minutes: o.num("classifier-minutes"),
      seed,
      signal,
      progress,
    });
    if (signal.aborted) {
      say("interrupted while training the classifier: nothing saved yet");
      return EXIT_INTERRUPTED;
    }
    await saveCheckpoint(`${out}/classifier`, classifier, {});
  }
  const classifierAccuracy = classifier.accuracy(testImages);
  say(
    `classifier: ${cls.steps} steps in ${cls.seconds.toFixed(0)} s, test accuracy ${
      (100 * classifierAccuracy).toFixed(2)
    } %`,
  );

  const model = varConfig
    ? (await loadCheckpoint(`${out}/var`, (c: VARConfig) => new VAR(c))).model
    : new VAR({
      vocabSize: quantizer.vocabSize,
      cvae: quantizer.cvae,
      patchNums: [...quantizer.patchNums],
      numClasses: trainImages.classNames.length,
      width: o.num("width"),
      depth: o.num("depth"),
      heads: o.num("heads"),
      adaLN: !o.flag("no-adaln"),
      seed,
    });
  say(
    `VAR: ${model.parameterCount.toLocaleString("en")} parameters, ${JSON.stringify(model.config)}`,
  );
  let result;
  try {
    result = await trainVAR(model, quantizer, trainTokens, testTokens, {
      ...budgetFrom(o, 10, saved),
      batchSize: Math.min(o.num("batch"), trainTokens.length),
      lr: o.num("lr"),
      seed,
      checkpointDir: `${out}/var`,
      saveEveryMinutes: o.num("save-every"),
      resume: Boolean(resume),
      signal,
      progress,
      log: say,
    });
  } catch (err) {
    if (err instanceof NonFiniteLossError) err.cause = await lastGood(`${out}/var`);
    throw err;
  }
  const last = result.history[result.history.length - 1];
  const report: Record<string, unknown> = {
    backend: backendName,
    versions: versions(),
    command: `deno task var ${Deno.args.join(" ")}`.trim(),
    tokenizer: tokDir,
    order: raster ? "raster" : "next-scale",
    classifierDir: judgeDir,
    interrupted: result.interrupted,
    steps: result.steps,
    seconds: result.seconds,
    trainLoss: last.trainLoss,
    testLoss: last.testLoss,
    testTokenAccuracy: last.testAccuracy,
    classifier: { steps: cls.steps, seconds: cls.seconds, testAccuracy: classifierAccuracy },
    model: model.config,
    parameters: model.parameterCount,
    history: result.history,
  };
  if (result.interrupted) {
    await writeJsonAtomic(`${out}/report.json`, report);
    say(
      `interrupted at step ${result.steps}: ${out}/var/ and ${out}/report.json saved; ` +
        `go on with: deno task var --resume ${out}`,
    );
    return EXIT_INTERRUPTED;
  }

  // Samples: per-class of every class, judged by the classifier.
  const generate = { cfg: o.num("cfg"), topK: o.num("top-k"), topP: o.num("top-p") };
  const judged = sampleAccuracy(model, tokenizer, classifier, {
    ...generate,
    order: quantizer,
    perClass: o.num("per-class"),
    seed,
  });
  say(
    `samples: ${judged.samples} in ${judged.seconds.toFixed(1)} s (${
      (judged.samples / judged.seconds).toFixed(0)
    }/s, decode and classify included); classifier agrees with the class on ${
      (100 * judged.accuracy).toFixed(1)
    } %`,
  );
  Object.assign(report, {
    sampleAccuracy: judged.accuracy,
    sampleAccuracyPerClass: Object.fromEntries(
      trainImages.classNames.map((c, i) => [c, judged.perClass[i]]),
    ),
    samplesPerSecond: judged.samples / judged.seconds,
    samples: judged.samples,
    generate,
  });
  await writeJsonAtomic(`${out}/report.json`, report);
  say(
    `done: ${result.steps} steps in ${result.seconds.toFixed(0)} s; test loss ${
      last.testLoss.toFixed(3)
    }; sampleAccuracy ${judged.accuracy.toFixed(3)} (classifier ${
      classifierAccuracy.toFixed(3)
    }) -> ${out}/report.json`,
  );
});
