/**
 * Trains a VQ-VAE and writes DIR/report.json and a checkpoint in DIR/checkpoint/.
 *
 *   deno task train --data fashion-mnist --model vqvae --quantizer multiscale \
 *     --minutes 3 --seed 0 --out out/train
 *
 * Options: --steps N, --batch N, --lr X, --vocab N, --channels N, --latent N,
 * --patch-nums 1,2,3,4,5,7, --restart-every N, --eval-every N, --znorm (cosine code choice).
 */
import { parseArgs } from "node:util";
import { backendName, versions } from "../lib/core/backend.ts";
import { saveCheckpoint } from "../lib/train/checkpoint.ts";
import { DummyDataset, type ImageDataset, loadFashionMnist } from "../lib/data/datasets.ts";
import { train } from "../lib/train/train.ts";
import { createModel } from "../lib/models/vqvae.ts";

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    data: { type: "string", default: "fashion-mnist" },
    model: { type: "string", default: "vqvae" },
    quantizer: { type: "string", default: "multiscale" },
    minutes: { type: "string" },
    steps: { type: "string" },
    seed: { type: "string", default: "0" },
    out: { type: "string", default: "out/train" },
    batch: { type: "string", default: "128" },
    lr: { type: "string", default: "7e-3" },
    vocab: { type: "string", default: "512" },
    channels: { type: "string", default: "64" },
    latent: { type: "string", default: "32" },
    "patch-nums": { type: "string", default: "1,2,3,4,5,7" },
    "restart-every": { type: "string", default: "200" },
    "eval-every": { type: "string", default: "200" },
    znorm: { type: "boolean", default: false },
  },
});
if (!a.minutes && !a.steps) a.minutes = "3";
const num = (k: keyof typeof a) => Number(a[k]);
if (a.model !== "vqvae" && a.model !== "simple") throw new Error(`--model vqvae|simple`);
if (a.quantizer !== "multiscale" && a.quantizer !== "single") {
  throw new Error(`--quantizer multiscale|single`);
}

let trainSet: ImageDataset;
let testSet: ImageDataset;
if (a.data === "fashion-mnist") {
  [trainSet, testSet] = await Promise.all([loadFashionMnist("train"), loadFashionMnist("test")]);
} else if (a.data === "dummy") {
  trainSet = new DummyDataset({ length: 2048, seed: num("seed") });
  testSet = new DummyDataset({ length: 512, seed: num("seed") + 1 });
} else {
  throw new Error(`--data fashion-mnist|dummy, got ${a.data}`);
}

const model = createModel({
  model: a.model,
  quantizer: a.quantizer,
  imageSize: trainSet.height,
  inChannels: trainSet.channels,
  channels: num("channels"),
  latentChannels: num("latent"),
  vocabSize: num("vocab"),
  patchNums: a["patch-nums"]!.split(",").map(Number),
  usingZnorm: a.znorm,
  seed: num("seed"),
});
console.log(
  `backend ${backendName}; ${trainSet.name} ${trainSet.length} images; model`,
  model.config,
);

const result = await train(model, trainSet, testSet, {
  steps: a.steps ? num("steps") : undefined,
  minutes: a.minutes ? num("minutes") : undefined,
  batchSize: num("batch"),
  lr: num("lr"),
  restartEvery: num("restart-every"),
  evalEvery: num("eval-every"),
  seed: num("seed"),
});

const out = a.out!.replace(/\/$/, "");
await Deno.mkdir(out, { recursive: true });
const report = {
  backend: backendName,
  versions: versions(),
  command: `deno task train ${Deno.args.join(" ")}`,
  data: trainSet.name,
  steps: result.steps,
  seconds: result.seconds,
  imagesPerSecond: result.imagesPerSecond,
  trainLoss: result.trainLoss,
  test: result.test,
  config: model.config,
  atMinutes: result.atMinutes,
  history: result.history,
};
await saveCheckpoint(`${out}/checkpoint`, model, { test: result.test, steps: result.steps });
await Deno.writeTextFile(`${out}/report.json`, JSON.stringify(report, null, 2) + "\n");
const t = result.test;
console.log(
  `done: ${result.steps} steps in ${result.seconds.toFixed(0)} s; test PSNR ${
    t.psnr.toFixed(2)
  } dB ` +
    `(MSE ${t.mse.toFixed(5)}), usage ${(100 * t.usage).toFixed(1)} %, perplexity ${
      t.perplexity.toFixed(0)
    } -> ${out}/report.json`,
);
model.dispose();
