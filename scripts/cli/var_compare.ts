/**
 * `deno task var:compare`: VAR's headline at this project's scale. Reads trained generators
 * (`deno task var` runs: next-scale on the multi-scale tokenizer, raster order on a single-scale
 * one), samples each, and measures them side by side with one judge: FID against the 10,000
 * test images in the judge's penultimate features (`frechetDistance`), the share of samples the
 * judge assigns to their class, samples per second, forward passes per image, parameters and
 * training time; with the real-data floor (FID of test against train images) beside them.
 * Writes OUT/report.json and OUT/table.md. `deno task var:compare --help` lists the options.
 */
import { backendName, tf, versions } from "../../lib/core/backend.ts";
import { InputError } from "../../lib/core/errors.ts";
import { loadFashionMnist } from "../../lib/data/datasets.ts";
import { Classifier, type ClassifierConfig } from "../../lib/models/classifier.ts";
import { VAR, type VARConfig } from "../../lib/models/var.ts";
import { asMultiScale } from "../../lib/quant/multiscale.ts";
import { RasterOrder } from "../../lib/quant/raster_order.ts";
import type { TokenOrder } from "../../lib/quant/token_order.ts";
import { loadCheckpoint } from "../../lib/train/checkpoint.ts";
import { featureStatistics, frechetDistanceOfStatistics } from "../../lib/train/fid.ts";
import { generateImages } from "../../lib/train/samples.ts";
import type { CommandSpec, ParsedOptions } from "./options.ts";
import type { ImageDataset } from "../../lib/data/datasets.ts";
import type { VQModel } from "../../lib/models/vqvae.ts";
import { writeJsonAtomic } from "./out.ts";
import { runCommand } from "./run.ts";

const spec: CommandSpec = {
  usage: "deno task var:compare",
  summary: "Measures trained generators (deno task var runs) side by side: FID against the " +
    "10,000 test images in a classifier's features, class agreement, samples per second, " +
    "forward passes per image, parameters, training time; with the FID of test vs train images.",
  options: [
    {
      name: "runs",
      kind: "text",
      placeholder: "DIR,DIR,…",
      help: "output folders of deno task var (each holds report.json and var/)",
    },
    {
      name: "judge",
      kind: "text",
      placeholder: "DIR",
      default: "data/var/fashion-mnist-var/classifier",
      help: "the classifier whose features FID uses and whose verdict is the agreement",
    },
    {
      name: "samples",
      kind: "int",
      min: 10,
      default: "5000",
      help: "samples per run and guidance weight",
    },
    {
      name: "cfg",
      kind: "text",
      placeholder: "W,W,…",
      default: "3",
      help: "guidance weights to measure",
    },
    { name: "top-p", kind: "number", above: 0, default: "0.9", help: "nucleus sampling mass" },
    { name: "seed", kind: "int", min: 0, default: "0", help: "seed of the sampling" },
    {
      name: "out",
      kind: "text",
      placeholder: "DIR",
      default: "out/compare",
      help: "output folder",
    },
  ],
  examples: [
    [
      "deno task var:compare --runs out/var-scale,out/var-raster --samples 5000 --cfg 0,3",
      "next-scale against raster order",
    ],
  ],
};

const CHUNK = 250;

await runCommand(spec, "var:compare", async ({ options: o, say }) => {
  if (!o.has("runs")) throw new InputError("--runs needs at least one deno task var output folder");
  const runs = o.text("runs").split(",").filter(Boolean);
  const cfgs = o.text("cfg").split(",").map(Number);
  if (cfgs.some((w) => !Number.isFinite(w) || w < 0)) {
    throw new InputError(`--cfg must be numbers ≥ 0 separated by commas, got "${o.text("cfg")}"`);
  }
  const { model: judge } = await loadCheckpoint(
    o.text("judge"),
    (c: ClassifierConfig) => new Classifier(c),
  );
  // The real data, in the judge's features: 10,000 test images, and the floor (test vs train).
  const [test, train] = [await loadFashionMnist("test"), await loadFashionMnist("train")];
  const testStats = statsOf(judge, test, test.length);
  const floor = frechetDistanceOfStatistics(testStats, statsOf(judge, train, test.length));
  say(
    `backend ${backendName}; FID of ${test.length} train vs ${test.length} test images (the floor): ${
      floor.toFixed(3)
    }`,
  );
  const sampling = { samples: o.num("samples"), topP: o.num("top-p"), seed: o.num("seed") };
  const rows: Row[] = [];
  for (const dir of runs) {
    const report = JSON.parse(await Deno.readTextFile(`${dir}/report.json`));
    const { model } = await loadCheckpoint(`${dir}/var`, (c: VARConfig) => new VAR(c));
    const { model: tokenizer } = await loadCheckpoint(report.tokenizer);
    const order: TokenOrder = report.order === "raster"
      ? new RasterOrder(tokenizer.quantizer, tokenizer.latentSize)
      : asMultiScale(tokenizer.quantizer);
    for (const cfg of cfgs) {
      const m = measure({ model, tokenizer, order, judge, testStats }, { ...sampling, cfg });
      const row: Row = {
        run: dir,
        order: report.order ?? "next-scale",
        seed: report.model?.seed,
        cfg,
        ...m,
        samples: sampling.samples,
        passesPerImage: model.config.patchNums.length,
        parameters: model.parameterCount,
        trainingSteps: report.steps,
        trainingMinutes: report.seconds / 60,
        testLoss: report.testLoss,
      };
      rows.push(row);
      say(
        `${dir} (${row.order}, w = ${cfg}): FID ${m.fid.toFixed(2)}, agreement ${
          (100 * m.agreement).toFixed(1)
        } %, ${m.samplesPerSecond.toFixed(0)} samples/s, ${row.passesPerImage} passes per image`,
      );
    }
    model.dispose();
    tokenizer.dispose();
  }
  await writeOutputs(o, rows, floor, test.length);
  judge.dispose();
});

/** One row of the comparison. */
interface Row {
  run: string;
  order: string;
  seed: number;
  cfg: number;
  fid: number;
  agreement: number;
  samples: number;
  samplesPerSecond: number;
  passesPerImage: number;
  parameters: number;
  trainingSteps: number;
  trainingMinutes: number;
  testLoss: number;
}

/** Mean and covariance of the judge's features of the first `n` images of `set`. */
function statsOf(judge: Classifier, set: ImageDataset, n: number) {
  const xBhwc = set.images(Array.from({ length: n }, (_, i) => i));
  const f = judge.features(xBhwc);
  const s = featureStatistics(f);
  tf.dispose([xBhwc, f]);
  return s;
}

/**
 * `samples` images (classes in turn) from one generator at guidance `cfg`, in chunks: their
 * FID against the test images, how many the judge assigns their class, samples per second.
 */
function measure(
  { model, tokenizer, order, judge, testStats }: {
    model: VAR;
    tokenizer: VQModel;
    order: TokenOrder;
    judge: Classifier;
    testStats: ReturnType<typeof featureStatistics>;
  },
  { samples, topP, seed, cfg }: { samples: number; topP: number; seed: number; cfg: number },
) {
  const labels = Array.from({ length: samples }, (_, i) => i % judge.config.classes);
  const feats: tf.Tensor2D[] = [];
  let agree = 0, genMs = 0;
  for (let start = 0; start < samples; start += CHUNK) {
    const ys = labels.slice(start, start + CHUNK);
    const t0 = performance.now();
    const images = generateImages(model, tokenizer, ys, { order, cfg, topP, seed: seed + start });
    images.dataSync(); // generation done before the clock stops
    genMs += performance.now() - t0;
    const pred = judge.predict(images);
    ys.forEach((y, i) => agree += pred[i] === y ? 1 : 0);
    feats.push(judge.features(images));
    images.dispose();
  }
  const all = tf.concat(feats) as tf.Tensor2D;
  const fid = frechetDistanceOfStatistics(featureStatistics(all), testStats);
  tf.dispose([all, ...feats]);
  return { fid, agreement: agree / samples, samplesPerSecond: samples / (genMs / 1000) };
}

/** table.md and report.json in `--out`; the table on stdout. */
async function writeOutputs(o: ParsedOptions, rows: Row[], floor: number, testImages: number) {
  const out = o.text("out");
  await Deno.mkdir(out, { recursive: true });
  const table = [
    "| order | seed | w | FID | agreement | samples/s | passes per image | parameters | training steps | training minutes |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map((r) =>
      `| ${r.order} | ${r.seed} | ${r.cfg} | ${r.fid.toFixed(2)} | ${
        (100 * r.agreement).toFixed(1)
      } % | ${r.samplesPerSecond.toFixed(0)} | ${r.passesPerImage} | ${
        r.parameters.toLocaleString("en")
      } | ${r.trainingSteps} | ${r.trainingMinutes.toFixed(1)} |`
    ),
    "",
    `Real-data floor: FID of ${testImages} training images against the ${testImages} test images: ${
      floor.toFixed(2)
    }.`,
  ].join("\n");
  await Deno.writeTextFile(`${out}/table.md`, table + "\n");
  await writeJsonAtomic(`${out}/report.json`, {
    backend: backendName,
    versions: versions(),
    cpu: (await Deno.readTextFile("/proc/cpuinfo").catch(() =>
      ""
    )).match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown",
    command: `deno task var:compare ${Deno.args.join(" ")}`.trim(),
    judge: o.text("judge"),
    fidFloor: floor,
    testImages,
    rows,
  });
  console.log(table);
}
