/**
 * Trains a small class-conditional VAR on Fashion-MNIST tokens from the pretrained tokenizer,
 * and judges its samples with a small classifier trained by the same command.
 *
 *   deno task var --minutes 10 --out out/var
 *
 * Writes DIR/report.json ({ steps, seconds, trainLoss, testLoss, sampleAccuracy,
 * samplesPerSecond, classifier: { testAccuracy, ... }, ... }), DIR/var/ and DIR/classifier/
 * (checkpoints) and DIR/samples.json (per-class accuracy).
 *
 * Options: --steps N, --seed N, --tokenizer DIR, --width N, --depth N, --heads N, --batch N,
 * --lr X, --cfg X, --top-k N, --top-p X, --per-class N, --classifier-minutes X, --no-adaln.
 */
import { parseArgs } from "node:util";
import { mkdir, rename, writeFile } from "node:fs/promises";
import {
  backendName,
  Classifier,
  loadCheckpoint,
  loadFashionMnist,
  type MultiScaleQuantizer,
  sampleAccuracy,
  saveCheckpoint,
  tokenize,
  trainClassifier,
  trainVAR,
  VAR,
  versions,
} from "../lib/mod.ts";

const { values: a } = parseArgs({
  args: Deno.args,
  options: {
    minutes: { type: "string" },
    steps: { type: "string" },
    out: { type: "string", default: "out/var" },
    seed: { type: "string", default: "0" },
    tokenizer: { type: "string", default: "data/tokenizer/fashion-mnist-vqvae-multiscale" },
    width: { type: "string", default: "128" },
    depth: { type: "string", default: "3" },
    heads: { type: "string", default: "4" },
    batch: { type: "string", default: "64" },
    lr: { type: "string", default: "2e-3" },
    cfg: { type: "string", default: "3" },
    "top-k": { type: "string", default: "0" },
    "top-p": { type: "string", default: "0.9" },
    "per-class": { type: "string", default: "100" },
    "classifier-minutes": { type: "string", default: "1.5" },
    "no-adaln": { type: "boolean", default: false },
  },
});
if (!a.minutes && !a.steps) a.minutes = "10";
const num = (k: keyof typeof a) => Number(a[k]);
const seed = num("seed");
const say = (s: string) => console.log(`[var] ${s}`);

const { model: tokenizer } = await loadCheckpoint(a.tokenizer!);
const quantizer = tokenizer.quantizer as MultiScaleQuantizer;
const [trainImages, testImages] = await Promise.all([
  loadFashionMnist("train"),
  loadFashionMnist("test"),
]);
say(`backend ${backendName}; tokenizing ${trainImages.length} + ${testImages.length} images`);
const t0 = performance.now();
const trainTokens = tokenize(tokenizer, trainImages);
const testTokens = tokenize(tokenizer, testImages);
say(`tokenized in ${((performance.now() - t0) / 1000).toFixed(1)} s: L = ${trainTokens.L}`);

// The judge: a small CNN on the real images.
const classifier = new Classifier({ seed });
const cls = await trainClassifier(classifier, trainImages, {
  minutes: num("classifier-minutes"),
  seed,
});
const classifierAccuracy = classifier.accuracy(testImages);
say(
  `classifier: ${cls.steps} steps in ${cls.seconds.toFixed(0)} s, test accuracy ${
    (100 * classifierAccuracy).toFixed(2)
  } %`,
);

const model = new VAR({
  vocabSize: quantizer.vocabSize,
  cvae: quantizer.cvae,
  patchNums: [...quantizer.patchNums],
  numClasses: trainImages.classNames.length,
  width: num("width"),
  depth: num("depth"),
  heads: num("heads"),
  adaLN: !a["no-adaln"],
  seed,
});
say(
  `VAR: ${model.parameterCount.toLocaleString("en")} parameters, ${JSON.stringify(model.config)}`,
);
const result = await trainVAR(model, quantizer, trainTokens, testTokens, {
  steps: a.steps ? num("steps") : undefined,
  minutes: a.minutes ? num("minutes") : undefined,
  batchSize: num("batch"),
  lr: num("lr"),
  seed,
  log: (l) => say(l),
});
const last = result.history[result.history.length - 1];

// Samples: per-class of every class, judged by the classifier.
const generateOptions = { cfg: num("cfg"), topK: num("top-k"), topP: num("top-p") };
const judged = sampleAccuracy(model, tokenizer, classifier, {
  ...generateOptions,
  perClass: num("per-class"),
  seed,
});
const { accuracy: sampleAccuracyValue, samples, seconds: genSeconds } = judged;
say(
  `samples: ${samples} in ${genSeconds.toFixed(1)} s (${
    (samples / genSeconds).toFixed(0)
  }/s, decode and classify included); classifier agrees with the class on ${
    (100 * sampleAccuracyValue).toFixed(1)
  } %`,
);

const out = a.out!;
await mkdir(out, { recursive: true });
const report = {
  backend: backendName,
  versions: versions(),
  command: `deno task var ${Deno.args.join(" ")}`.trim(),
  steps: result.steps,
  seconds: result.seconds,
  trainLoss: last.trainLoss,
  testLoss: last.testLoss,
  testTokenAccuracy: last.testAccuracy,
  sampleAccuracy: sampleAccuracyValue,
  sampleAccuracyPerClass: Object.fromEntries(
    trainImages.classNames.map((c, i) => [c, judged.perClass[i]]),
  ),
  samplesPerSecond: samples / genSeconds,
  samples,
  generate: generateOptions,
  classifier: { steps: cls.steps, seconds: cls.seconds, testAccuracy: classifierAccuracy },
  model: model.config,
  parameters: model.parameterCount,
  history: result.history,
};
await saveCheckpoint(`${out}/var`, model, { steps: result.steps, testLoss: last.testLoss });
await saveCheckpoint(`${out}/classifier`, classifier, { testAccuracy: classifierAccuracy });
const tmp = `${out}/report.json.tmp`;
await writeFile(tmp, JSON.stringify(report, null, 2) + "\n");
await rename(tmp, `${out}/report.json`);
say(
  `done: ${result.steps} steps in ${result.seconds.toFixed(0)} s; test loss ${
    last.testLoss.toFixed(3)
  }; sampleAccuracy ${sampleAccuracyValue.toFixed(3)} (classifier ${
    classifierAccuracy.toFixed(3)
  }) -> ${out}/report.json`,
);
