/**
 * `deno task train`: trains a VQ-VAE tokenizer and writes OUT/report.json and a training
 * checkpoint in OUT/checkpoint/ (a model `loadCheckpoint` reads, plus what `--resume` needs).
 * `deno task train --help` lists the options.
 */
import { backendName, versions } from "../../lib/core/backend.ts";
import { InputError } from "../../lib/core/errors.ts";
import { loadCheckpoint, readCheckpointManifest } from "../../lib/train/checkpoint.ts";
import { readRunState, type RunState } from "../../lib/train/run_checkpoint.ts";
import { DEFAULT_TRAIN_LR, train, type TrainResult } from "../../lib/train/train.ts";
import type { ImageDataset } from "../../lib/data/datasets.ts";
import { createModel, type VQModel, type VQVAEConfig } from "../../lib/models/vqvae.ts";
import { DATA_OPTIONS, loadData } from "./data.ts";
import type { CommandSpec, ParsedOptions } from "./options.ts";
import { EXIT_INTERRUPTED, lastGood, runCommand } from "./run.ts";
import { NonFiniteLossError } from "../../lib/train/loop.ts";
import { budgetFrom, prepareOut, runOptions, writeJsonAtomic } from "./out.ts";

const spec: CommandSpec = {
  usage: "deno task train",
  summary: "Trains a VQ-VAE tokenizer (single- or multi-scale quantizer) for a time or step " +
    "budget; writes OUT/report.json (test PSNR, codebook usage, history) and a checkpoint in " +
    "OUT/checkpoint/ every --save-every minutes, on Ctrl-C and at the end. --resume OUT goes " +
    "on from that checkpoint.",
  options: [
    ...DATA_OPTIONS,
    {
      name: "model",
      kind: "choice",
      values: ["vqvae", "simple"],
      default: "vqvae",
      help: "architecture",
    },
    {
      name: "quantizer",
      kind: "choice",
      values: ["multiscale", "single"],
      default: "multiscale",
      help: "VAR's multi-scale residual quantizer, or one codebook lookup",
    },
    ...runOptions("out/train", "3"),
    { name: "batch", kind: "int", min: 1, default: "128", help: "images per step" },
    {
      name: "lr",
      kind: "number",
      above: 0,
      default: String(DEFAULT_TRAIN_LR),
      help: "peak learning rate",
    },
    { name: "vocab", kind: "int", min: 2, default: "512", help: "codebook size V" },
    {
      name: "distance",
      kind: "choice",
      values: ["l2", "cosine"],
      help: "--quantizer single: nearest code by squared L2 (default) or cosine similarity",
    },
    {
      name: "ema-decay",
      kind: "number",
      above: 0,
      help: "--quantizer single: the codebook follows moving averages with this decay (e.g. 0.99)",
    },
    { name: "channels", kind: "int", min: 1, default: "64", help: "convolution width" },
    { name: "latent", kind: "int", min: 1, default: "32", help: "code vector size Cvae" },
    {
      name: "patch-nums",
      kind: "ints",
      help: "token map sides per scale, the last the latent side [default: 1,2,3,4,5,7 for " +
        "Fashion-MNIST's 7, else VAR's 1,2,3,4,5,6,8,… cut at the latent side]",
    },
    {
      name: "restart-every",
      kind: "int",
      min: 0,
      default: "200",
      help: "dead-code restart period in steps (0: never)",
    },
    {
      name: "eval-every",
      kind: "int",
      min: 0,
      default: "200",
      help: "test metrics period in steps (0: at the end only)",
    },
    { name: "znorm", kind: "flag", help: "choose codes by cosine similarity (VAR's using_znorm)" },
  ],
  examples: [
    ["deno task train --minutes 3 --out out/fm", "3 minutes on Fashion-MNIST"],
    [
      "deno task train --data folder:photos --image-size 32 --minutes 30 --out out/photos",
      "your own images (PNG/JPEG, any sizes), 30 minutes, checkpoint every 5",
    ],
    [
      "deno task train --resume out/photos --minutes 60",
      "continue that run up to 60 minutes in all",
    ],
  ],
};

/** `--distance` and `--ema-decay`: the single-scale quantizer's options, if any was given. */
function quantizerOptions(o: ParsedOptions): VQVAEConfig["quantizerOptions"] {
  if (!o.has("distance") && !o.has("ema-decay")) return undefined;
  return {
    distance: o.has("distance") ? o.text("distance") as "l2" | "cosine" : undefined,
    ema: o.has("ema-decay") ? { decay: o.num("ema-decay") } : undefined,
  };
}

/** `createModel`, its complaints about the options being bad input. */
function buildModel(config: Partial<VQVAEConfig>): VQModel {
  try {
    return createModel(config);
  } catch (err) {
    throw new InputError(`the model options do not fit: ${(err as Error).message.split("\n")[0]}`);
  }
}

await runCommand(spec, "train", async ({ options: o, signal, say, progress }) => {
  const out = await prepareOut(o.text("out"), o.has("resume") ? o.text("resume") : undefined);
  const checkpointDir = `${out}/checkpoint`;
  const resumeDir = o.has("resume") ? checkpointDir : undefined;
  const saved = resumeDir ? await resumedRun(resumeDir, o.text("resume")) : undefined;
  const seed = o.num("seed");
  const [trainSet, testSet] = await loadData(o.text("data"), {
    dataDir: o.has("data-dir") ? o.text("data-dir") : undefined,
    imageSize: o.num("image-size"),
    seed,
  });
  const model = resumeDir ? await resumedModel(resumeDir, trainSet) : newModel(o, trainSet);
  say(
    `backend ${backendName}; ${trainSet.name}: ${trainSet.length} train, ${testSet.length} test ` +
      `images of ${trainSet.height}×${trainSet.width}×${trainSet.channels}; model ${
        JSON.stringify(model.config)
      }`,
  );
  try {
    const result = await train(model, trainSet, testSet, {
      ...budgetFrom(o, 3, saved),
      batchSize: Math.min(o.num("batch"), trainSet.length),
      lr: o.num("lr"),
      restartEvery: o.num("restart-every"),
      evalEvery: o.num("eval-every"),
      seed,
      checkpointDir,
      saveEveryMinutes: o.num("save-every"),
      resume: Boolean(resumeDir),
      signal,
      progress,
      log: say,
    });
    await writeJsonAtomic(`${out}/report.json`, reportOf(result, model, trainSet.name));
    const t = result.test;
    say(
      `${result.interrupted ? "interrupted" : "done"}: ${result.steps} steps in ${
        result.seconds.toFixed(0)
      } s (${(result.steps / result.seconds).toFixed(2)} steps/s); test PSNR ${
        t.psnr.toFixed(2)
      } dB (MSE ${t.mse.toFixed(5)}), usage ${(100 * t.usage).toFixed(1)} %, perplexity ${
        t.perplexity.toFixed(0)
      } -> ${out}/report.json, ${checkpointDir}/` +
        (result.interrupted ? `; go on with: deno task train --resume ${out}` : ""),
    );
    return result.interrupted ? EXIT_INTERRUPTED : 0;
  } catch (err) {
    if (err instanceof NonFiniteLossError) err.cause = await lastGood(checkpointDir);
    throw err;
  } finally {
    model.dispose();
  }
});

/** The saved state of the run in `resumeDir`, which must be a VQ-VAE's (`--resume` `given`). */
async function resumedRun(resumeDir: string, given: string): Promise<RunState> {
  const saved = await readRunState(resumeDir, "train");
  const manifest = await readCheckpointManifest<Partial<VQVAEConfig>>(resumeDir);
  if (manifest.config.quantizer === undefined) {
    throw new InputError(`--resume ${given}: not a VQ-VAE tokenizer's run`);
  }
  return saved;
}

/** The model of the run in `resumeDir`; its images must be `trainSet`'s size. */
async function resumedModel(resumeDir: string, trainSet: ImageDataset): Promise<VQModel> {
  const model = (await loadCheckpoint(resumeDir)).model;
  const c = model.config;
  if (c.imageSize !== trainSet.height || c.inChannels !== trainSet.channels) {
    model.dispose();
    throw new InputError(
      `${resumeDir}: a model of ${c.imageSize}×${c.imageSize}×${c.inChannels} images; ` +
        `${trainSet.name} has ${trainSet.height}×${trainSet.width}×${trainSet.channels}`,
    );
  }
  return model;
}

/** A fresh model from the options, for `trainSet`'s images. */
function newModel(o: ParsedOptions, trainSet: ImageDataset): VQModel {
  return buildModel({
    model: o.text("model") as VQVAEConfig["model"],
    quantizer: o.text("quantizer") as VQVAEConfig["quantizer"],
    imageSize: trainSet.height,
    inChannels: trainSet.channels,
    channels: o.num("channels"),
    latentChannels: o.num("latent"),
    vocabSize: o.num("vocab"),
    patchNums: o.has("patch-nums") ? o.ints("patch-nums") : undefined,
    usingZnorm: o.flag("znorm"),
    quantizerOptions: quantizerOptions(o),
    seed: o.num("seed"),
  });
}

/** report.json of a run. */
function reportOf(result: TrainResult, model: VQModel, data: string) {
  return {
    backend: backendName,
    versions: versions(),
    command: `deno task train ${Deno.args.join(" ")}`.trim(),
    data,
    interrupted: result.interrupted,
    steps: result.steps,
    seconds: result.seconds,
    stepsPerSecond: result.steps / result.seconds,
    imagesPerSecond: result.imagesPerSecond,
    trainLoss: result.trainLoss,
    test: result.test,
    atMinutes: result.atMinutes,
    config: model.config,
    history: result.history,
  };
}
