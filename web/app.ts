/// <reference lib="dom" />
/**
 * The web page's main thread: controls, pictures and plots. The models run in a worker
 * (`worker.ts`, all `lib`'s code), so the page stays responsive on every backend; both are
 * bundled by `scripts/build/build_web.ts`.
 *
 * One job runs at a time (`Runner`): a second click while one runs is ignored and the controls
 * are disabled meanwhile. Each section has a status line (aria-live) that says what is working
 * and shows any failure next to the controls that caused it. For tests, and the curious in the
 * console, `window.vqvar` runs the same jobs as the buttons (queued, never ignored).
 */
import Plotly from "plotly.js-cartesian-dist-min";
import { ModelWorker, type Progress } from "./model_client.ts";
import type { Ready, SampleOptions, Tokenized } from "./protocol.ts";
import { readNumber } from "./fields.ts";
import { Runner, statusLine } from "./runner.ts";
import { sketchPad } from "./sketch.ts";

const SIDE = 28;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** A failure that stops the page: shown at the top, in plain words. */
function pageError(text: string) {
  $("page-error").textContent = `The page stopped: ${text}. Reload to try again.`;
  $("page-error").hidden = false;
  $("loading").hidden = true;
  document.body.dataset.failed = "true";
}
const models = new ModelWorker(pageError);
const info: Ready = await models.ready;
const { patchNums, classes } = info;
const K = patchNums.length;
const sides = patchNums.map((p) => `${p}×${p}`);
$("scale-list").textContent = `${sides.slice(0, -1).join(", ")} and ${sides.at(-1)}`;
$("token-sum").textContent = `${patchNums.map((p) => p * p).join(" + ")} = ${info.tokensPerImage}`;

// ---------------------------------------------------------------- backend, in plain words

const BACKEND_WORDS = {
  webgl: "WebGL",
  wasm: "wasm (WebAssembly on the CPU)",
  cpu: "cpu (plain JavaScript, the slowest)",
};
$("backend").textContent = BACKEND_WORDS[info.backend];
$("backend-why").textContent = info.asked
  ? "— as the address asks."
  : info.backend === "wasm" && info.noGpu
  ? "— the fastest here: this browser has no GPU, and WebGL emulated on the CPU is slower."
  : info.backend === "webgl"
  ? "— your GPU."
  : "— the fastest backend that could start here.";
const switches = (["webgl", "wasm", "cpu"] as const).filter((b) => b !== info.backend).map((b) =>
  Object.assign(document.createElement("a"), {
    href: `?backend=${b}`,
    textContent: `Switch to ${
      b === "webgl" && info.noGpu ? "WebGL (emulated on the CPU here)" : BACKEND_WORDS[b]
    }`,
  })
);
if (info.asked) {
  switches.push(Object.assign(document.createElement("a"), {
    href: location.pathname,
    textContent: "let the page choose",
  }));
}
$("backend-switch").replaceChildren(
  ...switches.flatMap((a, i) => (i ? [document.createTextNode(" · "), a] : [a])),
);
if (info.problem) {
  $("backend-problem").textContent = info.problem;
  $("backend-problem").hidden = false;
}

const runner = new Runner(() =>
  document.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(
    "main button, main input, main select",
  )
);
const tokStatus = statusLine($("tokenize-status"));
const genStatus = statusLine($("generate-status"));
const editStatus = statusLine($("edit-status"));

/** Operations run at least once: later times exclude the one-time warm-up. */
const warmed = new Set<string>();
/** `ms`, saying so when it includes the backend's one-time warm-up (compiling kernels). */
function timed(key: string, ms: number): string {
  const first = !warmed.has(key);
  warmed.add(key);
  return `${ms.toFixed(0)} ms${first ? " (first run: includes one-time warm-up)" : ""}`;
}

/**
 * Paints a 28 × 28 grey image (0…1) into `canvas`; `mask` tints cells red, `cursor` marks the
 * keyboard pen's cell.
 */
function paint(
  canvas: HTMLCanvasElement,
  grey: ArrayLike<number>,
  { mask, cursor }: { mask?: Uint8Array; cursor?: [number, number] } = {},
) {
  canvas.width = canvas.height = SIDE;
  const ctx = canvas.getContext("2d")!;
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, grey[i])));
    img.data.set(mask?.[i] ? [Math.max(v, 160), v >> 1, v >> 1, 255] : [v, v, v, 255], 4 * i);
  }
  if (cursor) img.data.set([40, 140, 255, 255], 4 * (cursor[1] * SIDE + cursor[0]));
  ctx.putImageData(img, 0, 0);
}

/** A figure with a picture and a caption, its canvas described for screen readers. */
function pictureFigure(pixels: ArrayLike<number>, caption: string, alt: string) {
  const fig = document.createElement("figure");
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", alt);
  paint(canvas, pixels);
  const cap = document.createElement("figcaption");
  cap.textContent = caption;
  fig.append(canvas, cap);
  return fig;
}

// ---------------------------------------------------------------- tokenize

/** The input image, 28 × 28 grey in 0…1 (Fashion-MNIST: a light object on black). */
const image = new Float32Array(SIDE * SIDE);
/** Where the input came from, for the canvases' text alternatives. */
let imageSource = "";
const drawCanvas = $<HTMLCanvasElement>("draw");
const indexInput = $<HTMLInputElement>("index");

function showInput(cursor?: [number, number]) {
  paint(drawCanvas, image, { cursor });
  paint($("original"), image);
  $("original").setAttribute("aria-label", `the input: ${imageSource}`);
  showMask();
}

/** The last tokenization, kept for the slider. */
let last: Tokenized | undefined;

/** Columns of the token-map and residual figures: every scale in a row, or 3 on a phone. */
const mapColumns = () => ($("tokens").clientWidth < 560 ? 3 : K);
let plottedColumns = 0;

/** Tokenizes the input image and shows everything the section shows. */
async function tokenize(): Promise<{ idxBl: number[][]; ms: number }> {
  const cols = mapColumns();
  const t = await models.ask({ op: "tokenize", pixels: image.slice(), cols });
  last = t;
  showReconstruction();
  await plotMaps(t, cols);
  $("tokenize-time").textContent = `Tokenized in ${timed("tokenize", t.ms)} on ${info.backend}: ` +
    `encoder + ${K} scales of nearest codes, ${t.idxBl.flat().length} tokens.`;
  $("tokens").dataset.indices = JSON.stringify(t.idxBl);
  $("tokens").setAttribute(
    "aria-label",
    `token maps: ${t.idxBl.map((m, k) => `scale ${k + 1}: ${m.join(" ")}`).join("; ")}`,
  );
  $("residuals").setAttribute(
    "aria-label",
    `largest residual after each scale: ${
      t.residualMax.map((r, k) => `after scale ${k + 1}: ${r.toFixed(2)}`).join(", ")
    }`,
  );
  clearEdit();
  return { idxBl: t.idxBl, ms: t.ms };
}

type Fig = { data: unknown[]; layout?: Record<string, unknown> };
/** Draws the token-map and residual figures at the width of their boxes. */
async function plotMaps(figs: { tokens: Fig; residuals: Fig }, cols: number) {
  const config = { displayModeBar: false };
  for (const [id, fig] of [["tokens", figs.tokens], ["residuals", figs.residuals]] as const) {
    const layout = { ...fig.layout, width: $(id).clientWidth };
    await Plotly.react($(id), fig.data as never, layout as never, config);
  }
  plottedColumns = cols;
  $("tokens").dataset.cols = String(cols);
  markDrawnWidth();
}

/** Says on the maps' element the width they were last drawn at (what a layout check awaits). */
function markDrawnWidth() {
  $("tokens").dataset.width = String($("tokens").clientWidth);
}

// Pointing at a cell (hover) or tapping it (click) names its code in words.
type PlotEvent = { points: { curveNumber: number; x: number; y: number; z: number }[] };
function listenForPicks() {
  const div = $("tokens") as HTMLElement & { on(event: string, fn: (e: PlotEvent) => void): void };
  const pick = (e: PlotEvent) => {
    const p = e.points[0];
    if (!p) return;
    const pn = patchNums[p.curveNumber];
    $("token-pick").textContent = `scale ${
      p.curveNumber + 1
    } (${pn}×${pn}), row ${p.y}, column ${p.x}: code ${p.z}`;
  };
  div.on("plotly_hover", pick);
  div.on("plotly_click", pick);
}

// A phone turned, a window resized: the maps re-flow (3 or 6 a row) at the new width.
let resizing: ReturnType<typeof setTimeout> | undefined;
addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(async () => {
    if (!last) return;
    const cols = mapColumns();
    if (cols !== plottedColumns) {
      plottedColumns = cols;
      await plotMaps(await models.ask({ op: "maps", cols }), cols);
    } else {
      for (const id of ["tokens", "residuals"]) {
        await Plotly.relayout($(id), { width: $(id).clientWidth } as never);
      }
      markDrawnWidth();
    }
  }, 150);
});

function showReconstruction() {
  if (!last) return;
  const k = Number($<HTMLInputElement>("k").value);
  $("k-value").textContent = String(k);
  paint($("recon"), last.reconstructions[k - 1]);
  const which = k === 1 ? "after scale 1" : `after scales 1…${k}`;
  $("recon-caption").textContent = which;
  $("recon").setAttribute("aria-label", `the reconstruction from the tokens ${which}`);
}

const maxIndex = info.testImages - 1;
$("index-max").textContent = String(maxIndex);
indexInput.max = String(maxIndex);

/** Shows and tokenizes test image `i` (a whole number in 0…maxIndex). */
async function loadTestImage(i: number) {
  const { pixels, label } = await models.ask({ op: "testImage", index: i });
  image.set(pixels);
  indexInput.value = String(i);
  indexInput.removeAttribute("aria-invalid");
  imageSource = `test image ${i}, a ${classes[label]}`;
  showInput();
  return tokenize();
}

/** The input is no longer a test image: the index field says so. */
function notATestImage(source: string) {
  indexInput.value = "";
  indexInput.placeholder = "none";
  indexInput.removeAttribute("aria-invalid");
  imageSource = source;
}

$("tokenize-form").addEventListener("submit", (e) => {
  e.preventDefault(); // Enter in the field shows that image, as the button does
  const i = readNumber(indexInput, "Test image", { min: 0, max: maxIndex, integer: true });
  if (typeof i === "string") return tokStatus.say(i, "error");
  runner.run(tokStatus, `tokenizing test image ${i}`, () => loadTestImage(i));
});
$("random").addEventListener("click", () => {
  const i = Math.floor(Math.random() * info.testImages);
  runner.run(tokStatus, `tokenizing test image ${i}`, () => loadTestImage(i));
});
$("clear").addEventListener("click", () =>
  runner.run(tokStatus, "tokenizing a blank image", () => {
    image.fill(0);
    notATestImage("a blank image");
    showInput();
    return tokenize();
  }));
$("k").addEventListener("input", showReconstruction);

// Drawing: a soft round brush on the 28 × 28 image, by pointer or keyboard.
sketchPad(drawCanvas, SIDE, {
  paint(x, y) {
    const r = 1.6;
    for (let py = Math.floor(y - r - 1); py <= y + r + 1; py++) {
      for (let px = Math.floor(x - r - 1); px <= x + r + 1; px++) {
        if (px < 0 || py < 0 || px >= SIDE || py >= SIDE) continue;
        const d = Math.hypot(px + 0.5 - x, py + 0.5 - y);
        const v = Math.max(0, Math.min(1, r + 0.5 - d));
        image[py * SIDE + px] = Math.max(image[py * SIDE + px], v);
      }
    }
  },
  redraw: (cursor) => showInput(cursor),
  strokeEnd() {
    notATestImage("a drawing");
    runner.run(tokStatus, "tokenizing your drawing", tokenize);
  },
  enabled: () => !runner.busy,
});

/** An image file becomes the input (the worker decodes and shrinks it) and is tokenized. */
function loadFile(file: File) {
  return runner.run(tokStatus, `reading ${file.name}`, async () => {
    const { pixels, steps } = await models.ask({ op: "file", file });
    image.set(pixels);
    notATestImage(`the file ${file.name}`);
    showInput();
    const result = await tokenize();
    tokStatus.say(`${file.name}: ${steps}.`);
    return result;
  });
}
const fileInput = $<HTMLInputElement>("file");
fileInput.addEventListener("change", () => {
  const f = fileInput.files?.[0];
  if (f) loadFile(f);
  fileInput.value = ""; // choosing the same file again is a change too
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
classes.forEach((name, i) => classSelect.add(new Option(name, String(i))));
classSelect.value = "1";

/** Sampling options from the form, or the message that says what is wrong. */
function options(): SampleOptions | string {
  const cfg = readNumber($("cfg"), "Guidance", { min: 0, max: 20 });
  if (typeof cfg === "string") return cfg;
  const seed = readNumber($("seed"), "Seed", { min: 0, max: 2 ** 32 - 1, integer: true });
  if (typeof seed === "string") return seed;
  return { cfg, topP: 0.9, seed };
}

/** Generates one sample of `cls`, drawing each scale's image as it is decided. */
async function generateOne(cls: number, opts: SampleOptions) {
  const strip = $("scales");
  strip.replaceChildren();
  const t0 = performance.now();
  const request = { op: "generate", cls, n: 1, options: opts, drawScales: true } as const;
  await models.ask(request, ({ scale, pixels, ms }) => {
    const pn = patchNums[scale];
    strip.append(pictureFigure(
      pixels!, // drawScales: every scale brings its image
      `scale ${scale + 1} (${pn}×${pn}), done at ${ms.toFixed(0)} ms`,
      `the ${classes[cls]} after scale ${scale + 1} of ${K}`,
    ));
    genStatus.say(`working: one ${classes[cls]}, scale ${scale + 1} of ${K} done…`, "working");
  });
  const ms = performance.now() - t0;
  $("generate-time").textContent =
    `One ${classes[cls]} in ${timed("sample", ms)} on ${info.backend}: ` +
    `${K} passes of the transformer, each scale decoded and drawn.`;
  return { ms };
}

/** `n` samples of `cls` in one batch, judged by the shipped classifier. */
async function judgeSamples(cls: number, n: number, opts: SampleOptions) {
  const t0 = performance.now();
  const onScale = ({ scale }: Progress) =>
    genStatus.say(
      `working: ${n} samples of ${classes[cls]}, scale ${scale + 1} of ${K} done…`,
      "working",
    );
  const { predicted, pixels } = await models.ask(
    { op: "generate", cls, n, options: opts, drawScales: false },
    onScale,
  );
  const ms = performance.now() - t0;
  $("grid").replaceChildren(...predicted.map((p, i) => {
    const fig = pictureFigure(
      pixels.subarray(i * SIDE * SIDE, (i + 1) * SIDE * SIDE),
      classes[p],
      `sample ${i + 1}, judged ${classes[p]}`,
    );
    if (p !== cls) fig.classList.add("wrong");
    return fig;
  }));
  const right = predicted.filter((p) => p === cls).length;
  $("grid-note").textContent = `${n} samples of ${classes[cls]}, one batch, in ` +
    `${timed(`grid${n}`, ms)}. The classifier judges ${right} of ${n} to be ${classes[cls]} ` +
    `(red: judged otherwise).`;
  return { accuracy: right / n, predicted, ms };
}

/** Runs a job with the form's sampling options, or says on `status` what is wrong with them. */
function withOptions<T>(
  status: ReturnType<typeof statusLine>,
  what: string,
  job: (o: SampleOptions) => Promise<T>,
) {
  const o = options();
  if (typeof o === "string") return status.say(o, "error");
  runner.run(status, what, () => job(o));
}
const generateClicked = () => {
  const cls = Number(classSelect.value);
  withOptions(genStatus, `generating one ${classes[cls]}`, (o) => generateOne(cls, o));
};
$("generate-form").addEventListener("submit", (e) => {
  e.preventDefault(); // Enter in Guidance or Seed generates, as the button does
  generateClicked();
});
$("grid-go").addEventListener("click", () => {
  const cls = Number(classSelect.value);
  withOptions(
    genStatus,
    `generating 16 samples of ${classes[cls]}`,
    (o) => judgeSamples(cls, 16, o),
  );
});
// A new class: the old class's grid goes, and one sample of the new class is drawn.
classSelect.addEventListener("change", () => {
  $("grid").replaceChildren();
  $("grid-note").textContent = "";
  generateClicked();
});

// ---------------------------------------------------------------- edit

/** The region to regenerate: 1 where the image is to change (28 × 28). */
const mask = new Uint8Array(SIDE * SIDE);
const maskCanvas = $<HTMLCanvasElement>("mask");

/** The input image with the mask over it in red. */
function showMask(cursor?: [number, number]) {
  paint(maskCanvas, image, { mask, cursor });
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

/** The input changed: an edit of the old one no longer applies. */
function clearEdit() {
  $("edit-scales").replaceChildren();
  $("edit-note").textContent = "";
}

sketchPad(maskCanvas, SIDE, {
  paint(x, y) {
    for (let py = Math.floor(y - 2); py <= y + 2; py++) {
      for (let px = Math.floor(x - 2); px <= x + 2; px++) {
        const inside = Math.hypot(px + 0.5 - x, py + 0.5 - y) <= 2;
        if (inside && px >= 0 && py >= 0 && px < SIDE && py < SIDE) mask[py * SIDE + px] = 1;
      }
    }
  },
  redraw: (cursor) => showMask(cursor),
  strokeEnd() {},
  enabled: () => !runner.busy,
});
$("mask-centre").addEventListener("click", () => setMask("centre"));
$("mask-left").addEventListener("click", () => setMask("left"));
$("mask-clear").addEventListener("click", () => setMask("none"));

/** Regenerates the masked region of the input as class `cls`, drawing each scale. */
async function inpaint(cls: number, opts: SampleOptions) {
  const strip = $("edit-scales");
  strip.replaceChildren(pictureFigure(image, "input", "the input before the edit"));
  const r = await models.ask(
    { op: "inpaint", pixels: image.slice(), mask: mask.slice(), cls, options: opts },
    ({ scale, pixels }) => {
      strip.append(pictureFigure(
        pixels!, // an edit always brings the image
        `after scale ${scale + 1} (${patchNums[scale]}×${patchNums[scale]})`,
        `the edited image after scale ${scale + 1} of ${K}`,
      ));
      editStatus.say(`working: scale ${scale + 1} of ${K} done…`, "working");
    },
  );
  $("edit-note").textContent = r.regenerated === 0
    ? "The mask covers no token's cell entirely: nothing was regenerated (mask a larger region)."
    : `${r.regenerated} of ${info.tokensPerImage} tokens regenerated as ${classes[cls]} in ` +
      `${timed("edit", r.ms)}; every other token is the image's own.`;
  return r;
}
$("edit-go").addEventListener("click", () => {
  const cls = Number(classSelect.value);
  withOptions(
    editStatus,
    `regenerating the masked region as ${classes[cls]}`,
    (o) => inpaint(cls, o),
  );
});

// ---------------------------------------------------------------- start

document.body.dataset.loaded = "true"; // shows the sections; the first jobs fill them
$("loading").hidden = true;
const start: SampleOptions = { cfg: 3, topP: 0.9, seed: 0 };
await runner.queue(tokStatus, "tokenizing test image 0", () => loadTestImage(0));
listenForPicks();
await runner.queue(genStatus, `generating one ${classes[1]}`, () => generateOne(1, start));

/** What tests (and the curious, in the console) can call: the buttons' jobs, queued. */
const api = {
  backend: info.backend,
  tokenizeTest: (i: number) =>
    runner.queue(tokStatus, `tokenizing test image ${i}`, () => loadTestImage(i)),
  generateOne: (cls: number, seed = 0) =>
    runner.queue(genStatus, "generating", () => generateOne(cls, { ...start, seed })),
  judge: (cls: number, n: number, seed = 0) =>
    runner.queue(genStatus, "generating", () => judgeSamples(cls, n, { ...start, seed })),
  inpaint: (preset: "centre" | "left", cls: number, seed = 0) =>
    runner.queue(editStatus, "regenerating", () => {
      setMask(preset);
      return inpaint(cls, { ...start, seed });
    }),
};
(globalThis as unknown as { vqvar: typeof api }).vqvar = api;
document.body.dataset.ready = "true";
