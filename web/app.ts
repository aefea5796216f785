/// <reference lib="dom" />
/**
 * The web page: tokenize an image with the shipped multi-scale tokenizer, and generate with
 * the shipped tiny VAR, in the browser. Everything is `lib`'s code, bundled by
 * `scripts/build_web.ts` with `web/backend.ts` in place of `lib/core/backend.ts`; the
 * checkpoints and test images are fetched from `data/` beside the page.
 *
 * For tests, `window.vqvar` exposes the same operations the buttons run (`tokenizeTest`,
 * `judge`) and the timings.
 */
import Plotly from "plotly.js-cartesian-dist-min";
import { backendName, tf } from "../lib/core/backend.ts";
import { webglRenderer } from "./backend.ts";
import { FASHION_MNIST_CLASSES, loadFashionMnist } from "../lib/data/datasets.ts";
import { centreSquare } from "../lib/data/square.ts";
import { Classifier, type ClassifierConfig } from "../lib/models/classifier.ts";
import { VAR, type VARConfig } from "../lib/models/var.ts";
import { editKeepFlags } from "../lib/models/var_mask.ts";
import type { MultiScaleQuantizer } from "../lib/quant/multiscale.ts";
import { loadCheckpoint } from "../lib/train/checkpoint.ts";
import { heatmap, subplots } from "../lib/viz/plot.ts";

const SIDE = 28;
const here = (path: string) => new URL(path, location.href).href;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => ($("status").textContent = text);
const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

$("backend").textContent = backendName;
// WebGL emulated on the CPU (no GPU) is slower than wasm: say so, with the link that switches.
const renderer = webglRenderer();
if (renderer && /swiftshader|llvmpipe|software/i.test(renderer)) {
  $("backend-hint").innerHTML = ` (software-rendered: ${renderer.replace(/[<>&]/g, "")}; ` +
    `<a href="?backend=wasm">wasm</a> is faster without a GPU)`;
}
status("loading the models…");
const [{ model: tokenizer }, { model: generator }, { model: judge }, testSet] = await Promise.all([
  loadCheckpoint(here("data/tokenizer/fashion-mnist-vqvae-multiscale")),
  loadCheckpoint(here("data/var/fashion-mnist-var/var"), (c: VARConfig) => new VAR(c)),
  loadCheckpoint(
    here("data/var/fashion-mnist-var/classifier"),
    (c: ClassifierConfig) => new Classifier(c),
  ),
  loadFashionMnist("test", here("data/fashion-mnist/")),
]);
const quantizer = tokenizer.quantizer as MultiScaleQuantizer;
const patchNums = quantizer.patchNums;
const V = quantizer.vocabSize;
status("");

/** Paints a `[h, w]` grey image (0…1) into a canvas of that size. */
function paint(canvas: HTMLCanvasElement, grey: ArrayLike<number>, w = SIDE, h = SIDE) {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d")!;
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, grey[i])));
    img.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

// ---------------------------------------------------------------- tokenize

/** The input image, 28 × 28 grey in 0…1 (Fashion-MNIST: a light object on black). */
const image = new Float32Array(SIDE * SIDE);
const drawCanvas = $<HTMLCanvasElement>("draw");
const scale = drawCanvas.width / SIDE;

function showInput() {
  const ctx = drawCanvas.getContext("2d")!;
  ctx.imageSmoothingEnabled = false;
  const small = document.createElement("canvas");
  paint(small, image);
  ctx.drawImage(small, 0, 0, drawCanvas.width, drawCanvas.height);
  paint($("original"), image);
  showMask();
}

/** The current tokenization, kept for the slider. */
let last: { reconstructions: Float32Array[] } | undefined;

interface Tokenized {
  /** Token maps, one flat array of pn² indices per scale. */
  idxBl: number[][];
  /** Milliseconds: image → token maps (encoder and every scale's nearest codes). */
  ms: number;
}

/** Tokenizes `pixels` (784 floats in 0…1) and draws everything the section shows. */
async function tokenize(pixels: Float32Array): Promise<Tokenized> {
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
  last = { reconstructions };
  showReconstruction();
  const side = patchNums[patchNums.length - 1];
  const grid = (flat: ArrayLike<number>, n: number) =>
    Array.from({ length: n }, (_, r) => Array.from(flat).slice(r * n, (r + 1) * n));
  const tokens = subplots(
    idxBl.map((idx, k) =>
      heatmap(grid(idx, patchNums[k]), {
        title: `scale ${k + 1}: ${patchNums[k]}×${patchNums[k]}`,
        colorscale: "Jet",
        zmin: 0,
        zmax: V - 1,
        square: true,
      })
    ),
    { cols: patchNums.length, height: 240, gap: 0.03 },
  );
  tokens.data.forEach((t, k) => {
    t.hovertemplate = `scale ${k + 1}, row %{y}, col %{x}: code %{z}<extra></extra>`;
  });
  const residualFig = subplots(
    residuals.map((r, k) =>
      heatmap(grid(r, side), {
        title: `after scale ${k + 1}`,
        colorscale: "Greys",
        zmin: 0,
        zmax: Math.max(...residuals[0]),
        square: true,
      })
    ),
    { cols: patchNums.length, height: 240, gap: 0.03 },
  );
  residualFig.data.forEach((t, k) => {
    t.hovertemplate = `after scale ${k + 1}, row %{y}, col %{x}: ‖f − f̂‖ = %{z:.3f}<extra></extra>`;
  });
  // Cells are what matters, not axis numbers.
  for (const layout of [tokens.layout!, residualFig.layout!]) {
    for (const key of Object.keys(layout)) {
      if (/^[xy]axis\d*$/.test(key)) {
        Object.assign(layout[key] as object, { showticklabels: false });
      }
    }
  }
  const config = { displayModeBar: false, responsive: true };
  await Plotly.react($("tokens"), tokens.data, tokens.layout as never, config);
  await Plotly.react($("residuals"), residualFig.data, residualFig.layout as never, config);
  $("tokenize-time").textContent = `tokenized in ${
    ms.toFixed(1)
  } ms (encoder + ${patchNums.length} scales of nearest codes, ${idxBl.flat().length} tokens) on ${backendName}`;
  $("tokens").dataset.indices = JSON.stringify(idxBl);
  return { idxBl, ms };
}

function showReconstruction() {
  if (!last) return;
  const k = Number($<HTMLInputElement>("k").value);
  $("k-value").textContent = String(k);
  paint($("recon"), last.reconstructions[k - 1]);
  $("recon-caption").textContent = k === 1 ? "after scale 1" : `after scales 1…${k}`;
}

function loadTestImage(i: number) {
  const n = Math.min(Math.max(0, Math.floor(i)), testSet.length - 1);
  const px = testSet.pixels.subarray(n * SIDE * SIDE, (n + 1) * SIDE * SIDE);
  for (let p = 0; p < image.length; p++) image[p] = px[p] / 255;
  $<HTMLInputElement>("index").value = String(n);
  showInput();
  return tokenize(image);
}

// Drawing: a soft round brush on the 28 × 28 image.
let drawing = false;
let lastPoint: [number, number] | undefined;
function brush(x: number, y: number) {
  const r = 1.6;
  for (let py = Math.floor(y - r - 1); py <= y + r + 1; py++) {
    for (let px = Math.floor(x - r - 1); px <= x + r + 1; px++) {
      if (px < 0 || py < 0 || px >= SIDE || py >= SIDE) continue;
      const d = Math.hypot(px + 0.5 - x, py + 0.5 - y);
      const v = Math.max(0, Math.min(1, r + 0.5 - d));
      image[py * SIDE + px] = Math.max(image[py * SIDE + px], v);
    }
  }
}
drawCanvas.addEventListener("pointerdown", (e) => {
  drawing = true;
  drawCanvas.setPointerCapture(e.pointerId);
  lastPoint = undefined;
  stroke(e);
});
drawCanvas.addEventListener("pointermove", (e) => drawing && stroke(e));
drawCanvas.addEventListener("pointerup", () => {
  drawing = false;
  tokenize(image);
});
function stroke(e: PointerEvent) {
  const rect = drawCanvas.getBoundingClientRect();
  const x = (e.clientX - rect.left) / (rect.width / drawCanvas.width) / scale;
  const y = (e.clientY - rect.top) / (rect.height / drawCanvas.height) / scale;
  const [x0, y0] = lastPoint ?? [x, y];
  const steps = Math.max(1, Math.ceil(Math.hypot(x - x0, y - y0) * 2));
  for (let s = 0; s <= steps; s++) brush(x0 + (x - x0) * s / steps, y0 + (y - y0) * s / steps);
  lastPoint = [x, y];
  showInput();
}

/** An image file → the input: centre square, lib's resize to 28 × 28, grey, light on dark. */
async function loadFile(file: File) {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    status(`${file.name}: not an image this browser can decode`);
    return;
  }
  const c = document.createElement("canvas");
  c.width = bitmap.width;
  c.height = bitmap.height;
  const ctx = c.getContext("2d")!;
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, c.width, c.height);
  const grey = tf.tidy(() => {
    const hwc = tf.tensor3d(Int32Array.from(rgba.data), [c.height, c.width, 4], "int32");
    const sq = centreSquare(hwc, SIDE).div(255); // RGBA in 0…1
    const [rgb, a] = tf.split(sq, [3, 1], 2);
    // Over black (Fashion-MNIST's background), then grey.
    const g = rgb.mul(a).mul(tf.tensor1d([0.299, 0.587, 0.114])).sum(-1);
    // A light background (most photos): invert, so the object is light on dark.
    const border = tf.concat([g.slice([0, 0], [1, SIDE]), g.slice([SIDE - 1, 0], [1, SIDE])]);
    return border.mean().dataSync()[0] > 0.5 ? tf.scalar(1).sub(g) : g;
  });
  image.set(grey.dataSync());
  grey.dispose();
  status(`${file.name}: ${bitmap.width}×${bitmap.height}, centre square resized to 28×28`);
  showInput();
  await tokenize(image);
}

$("index").addEventListener(
  "change",
  () => loadTestImage(Number($<HTMLInputElement>("index").value)),
);
$("random").addEventListener("click", () => loadTestImage(Math.random() * testSet.length));
$("clear").addEventListener("click", () => {
  image.fill(0);
  showInput();
  tokenize(image);
});
$("k").addEventListener("input", showReconstruction);
$<HTMLInputElement>("index").max = String(testSet.length - 1);
$("file").addEventListener("change", (e) => {
  const f = (e.target as HTMLInputElement).files?.[0];
  if (f) loadFile(f);
});
drawCanvas.addEventListener("dragover", (e) => {
  e.preventDefault();
  drawCanvas.classList.add("dragover");
});
drawCanvas.addEventListener("dragleave", () => drawCanvas.classList.remove("dragover"));
drawCanvas.addEventListener("drop", (e) => {
  e.preventDefault();
  drawCanvas.classList.remove("dragover");
  const f = e.dataTransfer?.files?.[0];
  if (f) loadFile(f);
});

// ---------------------------------------------------------------- generate

const classSelect = $<HTMLSelectElement>("class");
FASHION_MNIST_CLASSES.forEach((name, i) => classSelect.add(new Option(name, String(i))));
classSelect.value = "1";
const options = () => ({
  cfg: Number($<HTMLInputElement>("cfg").value),
  topP: 0.9,
  seed: Number($<HTMLInputElement>("seed").value),
});

/** Generates one sample of `cls`, drawing each scale's image as it is decided. */
async function generateOne(cls: number, opts = options()) {
  const strip = $("scales");
  strip.replaceChildren();
  const t0 = performance.now();
  const times: number[] = [];
  const steps = generator.generateScales(quantizer, [cls], opts);
  let step = steps.next();
  while (!step.done) {
    const { scale: si, fHat } = step.value;
    const img = tokenizer.fhatToImg(fHat);
    const pixels = await img.data();
    img.dispose();
    times.push(performance.now() - t0);
    const fig = document.createElement("figure");
    const canvas = document.createElement("canvas");
    paint(canvas, pixels);
    const caption = document.createElement("figcaption");
    caption.innerHTML = `scale ${si + 1} (${patchNums[si]}×${patchNums[si]})<br>${
      times[si].toFixed(0)
    } ms`;
    fig.append(canvas, caption);
    strip.append(fig);
    await nextFrame();
    step = steps.next();
  }
  tf.dispose([...step.value.idxBl, step.value.fHat]);
  const ms = performance.now() - t0;
  $("generate-time").textContent = `one ${FASHION_MNIST_CLASSES[cls]} in ${
    ms.toFixed(0)
  } ms on ${backendName} (${patchNums.length} passes of the transformer, each scale decoded and drawn)`;
  return { ms };
}

/** `n` samples of `cls` in one batch, judged by the shipped classifier. */
async function judgeSamples(cls: number, n: number, opts = options()) {
  const t0 = performance.now();
  const { idxBl, fHat } = generator.generate(quantizer, new Array(n).fill(cls), opts);
  const images = tokenizer.fhatToImg(fHat);
  const predicted = Array.from(judge.predict(images));
  const pixels = await images.data();
  const ms = performance.now() - t0;
  tf.dispose([...idxBl, fHat, images]);
  const grid = $("grid");
  grid.replaceChildren();
  predicted.forEach((p, i) => {
    const fig = document.createElement("figure");
    const canvas = document.createElement("canvas");
    paint(canvas, pixels.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE));
    const caption = document.createElement("figcaption");
    caption.textContent = FASHION_MNIST_CLASSES[p];
    if (p !== cls) fig.classList.add("wrong");
    fig.append(canvas, caption);
    grid.append(fig);
  });
  const right = predicted.filter((p) => p === cls).length;
  $("grid-note").textContent = `${n} samples of ${FASHION_MNIST_CLASSES[cls]} in ${
    ms.toFixed(0)
  } ms (one batch); the classifier judges ${right} of ${n} to be ${
    FASHION_MNIST_CLASSES[cls]
  } (red: judged otherwise)`;
  return { accuracy: right / n, predicted, ms };
}

$("go").addEventListener("click", () => generateOne(Number(classSelect.value)));
$("grid-go").addEventListener("click", () => judgeSamples(Number(classSelect.value), 16));

// ---------------------------------------------------------------- edit

/** The region to regenerate: 1 where the image is to change (28 × 28). */
const mask = new Uint8Array(SIDE * SIDE);
const maskCanvas = $<HTMLCanvasElement>("mask");

/** The input image with the mask over it in red. */
function showMask() {
  const small = document.createElement("canvas");
  small.width = small.height = SIDE;
  const sctx = small.getContext("2d")!;
  const img = sctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, image[i])));
    img.data.set(mask[i] ? [Math.max(v, 160), v >> 1, v >> 1, 255] : [v, v, v, 255], 4 * i);
  }
  sctx.putImageData(img, 0, 0);
  const ctx = maskCanvas.getContext("2d")!;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, maskCanvas.width, maskCanvas.height);
}

function setMask(preset: "centre" | "left" | "none") {
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const inside = preset === "centre"
        ? y >= 7 && y < 21 && x >= 7 && x < 21
        : preset === "left"
        ? x < SIDE / 2
        : false;
      mask[y * SIDE + x] = inside ? 1 : 0;
    }
  }
  showMask();
}

let masking = false;
function maskStroke(e: PointerEvent) {
  const rect = maskCanvas.getBoundingClientRect();
  const x = (e.clientX - rect.left) / rect.width * SIDE;
  const y = (e.clientY - rect.top) / rect.height * SIDE;
  for (let py = Math.floor(y - 2); py <= y + 2; py++) {
    for (let px = Math.floor(x - 2); px <= x + 2; px++) {
      if (
        px >= 0 && py >= 0 && px < SIDE && py < SIDE && Math.hypot(px + 0.5 - x, py + 0.5 - y) <= 2
      ) {
        mask[py * SIDE + px] = 1;
      }
    }
  }
  showMask();
}
maskCanvas.addEventListener("pointerdown", (e) => {
  masking = true;
  maskCanvas.setPointerCapture(e.pointerId);
  maskStroke(e);
});
maskCanvas.addEventListener("pointermove", (e) => masking && maskStroke(e));
maskCanvas.addEventListener("pointerup", () => (masking = false));
$("mask-centre").addEventListener("click", () => setMask("centre"));
$("mask-left").addEventListener("click", () => setMask("left"));
$("mask-clear").addEventListener("click", () => setMask("none"));

/**
 * Regenerates the masked region of the input as class `cls`, scale by scale; checks that every
 * kept token of every scale is the input's own.
 */
async function inpaint(cls: number, opts = options()) {
  const rows = Array.from(
    { length: SIDE },
    (_, y) => Array.from(mask.subarray(y * SIDE, (y + 1) * SIDE), Boolean),
  );
  const keep = editKeepFlags(patchNums, rows);
  const regenerated = keep.reduce((n, k) => n + k.filter((f) => !f).length, 0);
  const strip = $("edit-scales");
  strip.replaceChildren();
  const x = tf.tensor4d(image, [1, SIDE, SIDE, 1]);
  const given = tokenizer.imgToIdxBl(x);
  x.dispose();
  const givenFlat = given.map((t) => t.dataSync());
  const t0 = performance.now();
  let keptEqual = true;
  const steps = generator.generateScales(quantizer, [cls], {
    ...opts,
    teacherForce: { idxBl: given, keep },
  });
  let step = steps.next();
  while (!step.done) {
    const { scale: si, idxBn, fHat } = step.value;
    const tokens = idxBn.dataSync();
    keep[si].forEach((k, j) => {
      if (k && tokens[j] !== givenFlat[si][j]) keptEqual = false;
    });
    const img = tokenizer.fhatToImg(fHat);
    const pixels = await img.data();
    img.dispose();
    const fig = document.createElement("figure");
    const canvas = document.createElement("canvas");
    paint(canvas, pixels);
    const caption = document.createElement("figcaption");
    caption.textContent = `scale ${si + 1}: ${keep[si].filter((f) => !f).length} of ${
      patchNums[si] ** 2
    } new`;
    fig.append(canvas, caption);
    strip.append(fig);
    await nextFrame();
    step = steps.next();
  }
  tf.dispose([...step.value.idxBl, step.value.fHat, ...given]);
  const ms = performance.now() - t0;
  $("edit-note").textContent = regenerated === 0
    ? "the mask covers no token's cell entirely: nothing was regenerated (mask a larger region)"
    : `${regenerated} of ${quantizer.tokensPerImage} tokens regenerated as ${
      FASHION_MNIST_CLASSES[cls]
    } in ${ms.toFixed(0)} ms; every other token is the image's own`;
  return { ms, keptEqual, regenerated };
}
$("edit-go").addEventListener("click", () => inpaint(Number(classSelect.value)));

// ---------------------------------------------------------------- start

await loadTestImage(0);
await generateOne(Number(classSelect.value));

/** What tests (and the curious, in the console) can call. */
const api = {
  backend: backendName,
  tokenizeTest: async (i: number) => (await loadTestImage(i)),
  generateOne: (cls: number, seed = 0) => generateOne(cls, { ...options(), seed }),
  judge: (cls: number, n: number, seed = 0) => judgeSamples(cls, n, { ...options(), seed }),
  inpaint: (preset: "centre" | "left", cls: number, seed = 0) => {
    setMask(preset);
    return inpaint(cls, { ...options(), seed });
  },
};
(globalThis as unknown as { vqvar: typeof api }).vqvar = api;
document.body.dataset.ready = "true";
status("");
