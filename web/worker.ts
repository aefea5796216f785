/// <reference lib="webworker" />
/**
 * The page's model worker: TensorFlow.js (`web/backend.ts` in place of `lib/core/backend.ts`),
 * the shipped tokenizer, VAR and classifier, and the test images, all `lib`'s code. It runs the
 * jobs the page asks for (`protocol.ts`) one after another, off the page's main thread, and
 * answers each with its result, or with its error in plain words; a generation also reports
 * every scale as it is decided.
 */
import { tf } from "../lib/core/backend.ts";
import { backendAsked, backendName, backendProblem, noGpu } from "./backend.ts";
import { FASHION_MNIST_CLASSES, loadFashionMnist } from "../lib/data/datasets.ts";
import { Classifier, type ClassifierConfig } from "../lib/models/classifier.ts";
import { VAR, type VARConfig } from "../lib/models/var.ts";
import { editKeepFlags } from "../lib/models/var_mask.ts";
import { asMultiScale } from "../lib/quant/multiscale.ts";
import { loadCheckpoint } from "../lib/train/checkpoint.ts";
import { heatmap, subplots } from "../lib/viz/plot.ts";
import type { Figure } from "../lib/viz/display.ts";
import { fileToGrey } from "./image_file.ts";
import type { Reply, Request, Results, Tokenized } from "./protocol.ts";

const SIDE = 28;
const here = (path: string) => new URL(path, location.href).href;
const post = (m: Reply, transfer: Transferable[] = []) => self.postMessage(m, transfer);

const [{ model: tokenizer }, { model: generator }, { model: judge }, testSet] = await Promise.all([
  loadCheckpoint(here("data/tokenizer/fashion-mnist-vqvae-multiscale")),
  loadCheckpoint(here("data/var/fashion-mnist-var/var"), (c: VARConfig) => new VAR(c)),
  loadCheckpoint(
    here("data/var/fashion-mnist-var/classifier"),
    (c: ClassifierConfig) => new Classifier(c),
  ),
  loadFashionMnist("test", here("data/fashion-mnist/")),
]).catch((err) => {
  post({ kind: "fatal", message: `the models could not be loaded: ${err?.message ?? err}` });
  throw err;
});
const quantizer = asMultiScale(tokenizer.quantizer);
const patchNums = quantizer.patchNums;

/** The last tokenization's maps, kept to re-plot them at another width. */
let lastMaps: { idxBl: number[][]; residuals: Float32Array[] } | undefined;

/** Token maps and residuals as plotly figures with `cols` panels a row. */
function mapFigures(cols: number): { tokens: Figure; residuals: Figure } {
  if (!lastMaps) throw new Error("nothing has been tokenized yet");
  const { idxBl, residuals } = lastMaps;
  const rows = Math.ceil(patchNums.length / cols);
  const height = rows * (cols > 3 ? 190 : 140) + 10;
  const side = patchNums[patchNums.length - 1];
  const grid = (flat: ArrayLike<number>, n: number) =>
    Array.from({ length: n }, (_, r) => Array.from(flat).slice(r * n, (r + 1) * n));
  const tokens = subplots(
    idxBl.map((idx, k) =>
      heatmap(grid(idx, patchNums[k]), {
        title: `${patchNums[k]}×${patchNums[k]}`,
        colorscale: "Jet",
        zmin: 0,
        zmax: quantizer.vocabSize - 1,
        square: true,
      })
    ),
    { cols, height, gap: 0.03 },
  );
  tokens.data.forEach((t, k) => {
    t.hovertemplate = `scale ${k + 1}, row %{y}, column %{x}: code %{z}<extra></extra>`;
  });
  const top = Math.max(...residuals[0]);
  const residualFig = subplots(
    residuals.map((r, k) =>
      heatmap(grid(r, side), {
        title: `after scale ${k + 1}`,
        colorscale: "Greys",
        zmin: 0,
        zmax: top,
        square: true,
      })
    ),
    { cols, height, gap: 0.03 },
  );
  residualFig.data.forEach((t, k) => {
    t.hovertemplate = `after scale ${
      k + 1
    }, row %{y}, column %{x}: ‖f − f̂‖ = %{z:.3f}<extra></extra>`;
  });
  // Cells are what matters, not axes.
  for (const layout of [tokens.layout!, residualFig.layout!]) {
    layout.margin = { l: 4, r: 4, t: 22, b: 4 };
    for (const key of Object.keys(layout)) {
      if (/^[xy]axis\d*$/.test(key)) {
        Object.assign(layout[key] as object, {
          showticklabels: false,
          ticks: "",
          showgrid: false,
          zeroline: false,
        });
      }
    }
  }
  return { tokens, residuals: residualFig };
}

/** Tokenizes a 28 × 28 grey image: token maps, reconstructions, residuals, figures. */
async function tokenize(pixels: Float32Array, cols: number): Promise<Tokenized> {
  const x = tf.tensor4d(pixels, [1, SIDE, SIDE, 1]);
  const t0 = performance.now();
  const idxTensors = tokenizer.imgToIdxBl(x);
  const idxBl = await Promise.all(idxTensors.map(async (t) => Array.from(await t.data())));
  const ms = performance.now() - t0;
  const { reconstructions, residuals } = tf.tidy(() => {
    const f = tokenizer.encode(x);
    const fHats = quantizer.idxBlToFhat(idxTensors);
    return {
      reconstructions: fHats.map((fh) => tokenizer.fhatToImg(fh).dataSync() as Float32Array),
      residuals: fHats.map((fh) => f.sub(fh).square().sum(-1).sqrt().dataSync() as Float32Array),
    };
  });
  tf.dispose([x, ...idxTensors]);
  lastMaps = { idxBl, residuals };
  const residualMax = residuals.map((r) => Math.max(...r));
  return { idxBl, reconstructions, residualMax, ms, ...mapFigures(cols) };
}

/**
 * Generates `n` samples of `cls` scale by scale, reporting each scale (with the first sample's
 * image when `drawScales`: the strip the page draws), then judges them with the shipped
 * classifier.
 */
async function generate(
  id: number,
  { cls, n, options, drawScales }: Extract<Request, { op: "generate" }>,
) {
  const t0 = performance.now();
  const steps = generator.generateScales(quantizer, new Array(n).fill(cls), options);
  let step = steps.next();
  for (; !step.done; step = steps.next()) {
    const { scale, fHat } = step.value;
    let pixels: Float32Array | undefined;
    if (drawScales) {
      const first = tf.tidy(() => tokenizer.fhatToImg(fHat.slice(0, 1) as tf.Tensor4D));
      pixels = (await first.data()) as Float32Array;
      first.dispose();
    }
    const ms = performance.now() - t0;
    post({ kind: "progress", id, scale, pixels, ms }, pixels ? [pixels.buffer] : []);
  }
  const { idxBl, fHat } = step.value;
  const images = tokenizer.fhatToImg(fHat);
  const predicted = Array.from(judge.predict(images));
  const pixels = (await images.data()) as Float32Array;
  tf.dispose([...idxBl, fHat, images]);
  return { predicted, pixels, ms: performance.now() - t0 };
}

/**
 * Regenerates the masked region of `pixels` as class `cls`, scale by scale; checks that every
 * kept token of every scale is the image's own.
 */
async function inpaint(
  id: number,
  { pixels, mask, cls, options }: Extract<Request, { op: "inpaint" }>,
) {
  const rows = Array.from(
    { length: SIDE },
    (_, y) => Array.from(mask.subarray(y * SIDE, (y + 1) * SIDE), Boolean),
  );
  const keep = editKeepFlags(patchNums, rows);
  const regenerated = keep.reduce((n, k) => n + k.filter((f) => !f).length, 0);
  const x = tf.tensor4d(pixels, [1, SIDE, SIDE, 1]);
  const given = tokenizer.imgToIdxBl(x);
  x.dispose();
  const givenFlat = given.map((t) => t.dataSync());
  const t0 = performance.now();
  let keptEqual = true;
  const steps = generator.generateScales(quantizer, [cls], {
    ...options,
    teacherForce: { idxBl: given, keep },
  });
  let step = steps.next();
  for (; !step.done; step = steps.next()) {
    const { scale: si, idxBn, fHat } = step.value;
    const tokens = idxBn.dataSync();
    keep[si].forEach((k, j) => {
      if (k && tokens[j] !== givenFlat[si][j]) keptEqual = false;
    });
    const img = tokenizer.fhatToImg(fHat);
    const out = (await img.data()) as Float32Array;
    img.dispose();
    post({ kind: "progress", id, scale: si, pixels: out, ms: performance.now() - t0 }, [
      out.buffer,
    ]);
  }
  tf.dispose([...step.value.idxBl, step.value.fHat, ...given]);
  return { regenerated, keptEqual, ms: performance.now() - t0 };
}

/** Runs one job. */
async function run(id: number, req: Request): Promise<Results[Request["op"]]> {
  switch (req.op) {
    case "testImage": {
      const px = testSet.pixels.subarray(req.index * SIDE * SIDE, (req.index + 1) * SIDE * SIDE);
      return { pixels: Float32Array.from(px, (v) => v / 255), label: testSet.labels[req.index] };
    }
    case "file": {
      const { grey, steps } = await fileToGrey(req.file, SIDE);
      return { pixels: grey, steps };
    }
    case "tokenize":
      return await tokenize(req.pixels, req.cols);
    case "maps":
      return mapFigures(req.cols);
    case "generate":
      return await generate(id, req);
    case "inpaint":
      return await inpaint(id, req);
  }
}

// One job at a time, in the order asked.
let tail: Promise<unknown> = Promise.resolve();
self.addEventListener("message", (e: MessageEvent<{ id: number; request: Request }>) => {
  const { id, request } = e.data;
  tail = tail.then(async () => {
    try {
      post({ kind: "result", id, result: await run(id, request) });
    } catch (err) {
      post({ kind: "error", id, message: err instanceof Error ? err.message : String(err) });
    }
  });
});

post({
  kind: "ready",
  backend: backendName,
  asked: backendAsked,
  noGpu,
  problem: backendProblem,
  patchNums: [...patchNums],
  vocabSize: quantizer.vocabSize,
  tokensPerImage: quantizer.tokensPerImage,
  testImages: testSet.length,
  classes: [...FASHION_MNIST_CLASSES],
});
