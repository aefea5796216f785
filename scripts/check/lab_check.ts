/// <reference lib="dom" />
/**
 * The live JupyterLab check: what a person sees. Starts JupyterLab on a loopback port with the
 * project's kernelspecs and, for each kernel, opens every notebook in headless Chromium, runs
 * all cells and asserts, without ever moving the mouse:
 * - no cell shows an error (an error output, or text on stderr, which is how tslab reports a
 *   compile error);
 * - every plotly output has drawn its traces as a live figure (not a static PNG), every trace
 *   holds data (points, or an image's source), the figure
 *   drawn is the output's final data (live training curves end with their final traces), and
 *   a figure with a title shows it (image grids too);
 * - in the notebooks that train, a live figure was seen redrawn while its cell ran.
 *
 * Every notebook runs once on each kernel; `--tabs N` browser tabs (each its own JupyterLab
 * workspace) take these runs as they come free, the notebooks that train first, so runs go side
 * by side.
 * Default 2. On 2 cores (AMD EPYC, one run each, budget 0.25), this check alone took 278 s with
 * 2 tabs, 253 s with 3 and 286 s with 4; but in `./vqvar test`, beside the static checks, 3
 * tabs made the check 311 s and the static checks 151 s (fresh clone, 74092d0), against 284 s
 * and 80 s with one tab per kernel (75ea59f).
 * Each kernel has its own copy of the notebooks: OUT/KERNEL/notebooks/NAME.ipynb, beside links
 * to the project's data/ and lib/ and a private out/ (notebooks open "../data/…" and write
 * "../out/…"), so two runs never share a file or a Jupyter session. Each executed notebook is saved there by
 * JupyterLab itself: those copies are what the kernel comparison and the browser check of the
 * exported pages read. notebooks/ is never opened; the check fails if a file there changed.
 * A screenshot of a notebook (OUT/NAME.KERNEL.png) is taken when it fails, or always with
 * `--screenshots`. Training budgets: VQVAR_BUDGET (default here 0.25: at 0.1 the first run of
 * 03 ended at its first evaluation and no redraw was seen; at 0.15 its short runs measured
 * warm-up more than steps, and the multi-scale tokenizer came out ahead in one run, which 03's
 * prose about this comparison does not expect; 0.15 took the check no less time).
 *
 * Usage: deno run -A scripts/check/lab_check.ts [--kernels vqvar-deno,vqvar-tslab] [--tabs N]
 *          [--screenshots] [--out out/lab] [NOTEBOOK ...]
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { parseArgs } from "node:util";
import { relative, resolve } from "node:path";
import { createHash } from "node:crypto";
import { decode as decodePng, encode as encodePng } from "fast-png";
import { findChromium } from "./chromium.ts";
import { listNotebooks } from "./notebook_files.ts";

const { values: opts, positionals } = parseArgs({
  args: Deno.args,
  options: {
    kernels: { type: "string", default: "vqvar-deno,vqvar-tslab" },
    out: { type: "string", default: "out/lab" },
    timeout: { type: "string", default: "900" },
    tabs: { type: "string", default: "2" },
    screenshots: { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const root = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const kernels = opts.kernels.split(",").map((k) => k.trim()).filter(Boolean);
const notebooks = await listNotebooks(positionals.length ? positionals : [`${root}/notebooks`]);
const timeoutMs = Number(opts.timeout) * 1000;
const tabs = Number(opts.tabs);
if (!Number.isInteger(tabs) || tabs < 1) {
  console.error(`[lab] --tabs must be an integer ≥ 1, got ${opts.tabs}`);
  Deno.exit(2);
}
const outDir = resolve(opts.out);
if (!outDir.startsWith(`${root}/`)) {
  console.error(
    `[lab] --out must be a folder inside ${root} (JupyterLab serves only that), got ${opts.out}`,
  );
  Deno.exit(2);
}
Deno.mkdirSync(outDir, { recursive: true });

// ---- JupyterLab on a free loopback port, in a throwaway settings/workspace folder ----------
const work = Deno.makeTempDirSync({ prefix: "vqvar-lab-" });
const settings: Record<string, unknown> = {
  // Every cell in the DOM; cell timings kept in the saved notebooks (metadata.execution).
  "@jupyterlab/notebook-extension/tracker": { windowingMode: "none", recordTiming: true },
  "@jupyterlab/docmanager-extension/plugin": { autosave: false },
  "@jupyterlab/apputils-extension/notification": { fetchNews: "false", checkForUpdates: false },
};
for (const [name, value] of Object.entries(settings)) {
  const file = `${work}/settings/${name}.jupyterlab-settings`;
  Deno.mkdirSync(file.replace(/\/[^/]+$/, ""), { recursive: true });
  Deno.writeTextFileSync(file, JSON.stringify(value));
}
const port = (() => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const p = (l.addr as Deno.NetAddr).port;
  l.close();
  return p;
})();
const token = crypto.randomUUID().replaceAll("-", "");
const fingerprint = (path: string) =>
  createHash("sha256").update(Deno.readFileSync(path)).digest("hex");
const before = new Map(notebooks.map((p) => [p, fingerprint(p)]));

const server = new Deno.Command("bash", {
  args: [
    `${root}/scripts/env/jupyter.sh`,
    "lab",
    "--no-browser",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    "--ServerApp.port_retries=0",
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${root}`,
    "--LabApp.expose_app_in_browser=True",
    "--LabApp.news_url=None",
    `--LabApp.user_settings_dir=${work}/settings`,
    `--LabApp.workspaces_dir=${work}/workspaces`,
  ],
  env: { VQVAR_BUDGET: Deno.env.get("VQVAR_BUDGET") ?? "0.25" },
  stdout: "null",
  stderr: Deno.env.get("VQVAR_LAB_LOG") ? "inherit" : "null",
}).spawn();

const base = `http://127.0.0.1:${port}`;
async function waitForServer() {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${base}/api/kernelspecs?token=${token}`);
      if (r.ok) return (await r.json()) as { kernelspecs: Record<string, unknown> };
      await r.body?.cancel();
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error("JupyterLab did not start within 60 s (set VQVAR_LAB_LOG=1 to see its log)");
}

// ---- What the page reports ---------------------------------------------------------------
interface Report {
  kernel: string;
  done: boolean;
  busy: boolean;
  errors: string[];
  figures: {
    cell: number;
    title: string;
    drawn: boolean;
    traces: number;
    expectedTraces: number;
    points: number;
    expectedPoints: number;
    emptyTraces: number;
    titleShown: string;
    pngShown: boolean;
    html: string;
  }[];
  outputs: number;
}

/** Runs in the page: the state of the current notebook, from its model and its DOM. */
function inspect(): Report {
  type Out = { output_type: string; name?: string; text?: string | string[]; data?: unknown };
  type LabCell = {
    model: { type: string; executionCount: number | null; outputs: { toJSON(): Out[] } };
    node: HTMLElement;
  };
  // deno-lint-ignore no-explicit-any
  const w = globalThis as any;
  const panel = w.__vqvarPanel;
  const kernel = panel.sessionContext.session?.kernel;
  const errors: string[] = [];
  const figures: Report["figures"] = [];
  let outputs = 0;
  let allRun = true;
  panel.content.widgets.forEach((cell: LabCell, i: number) => {
    if (cell.model.type !== "code") return;
    if (cell.model.executionCount == null) allRun = false;
    const outs: Out[] = cell.model.outputs.toJSON();
    outputs += outs.length;
    const rendered = [...cell.node.querySelectorAll(".jp-OutputArea-output")] as HTMLElement[];
    outs.forEach((o, k) => {
      if (o.output_type === "error") {
        errors.push(
          `cell ${i}: ${(o as { ename?: string }).ename}: ${(o as { evalue?: string }).evalue}`,
        );
      }
      if (o.output_type === "stream" && o.name === "stderr") {
        const text = Array.isArray(o.text) ? o.text.join("") : o.text ?? "";
        errors.push(`cell ${i} (stderr): ${text.slice(0, 300)}`);
      }
      const fig = w.__vqvarFigureFacts(o, rendered[k], i, k, rendered.length);
      if (fig) figures.push(fig);
    });
  });
  return {
    kernel: kernel?.name ?? "",
    done: w.__vqvarRunDone === true && allRun,
    busy: kernel?.status !== "idle",
    errors,
    figures,
    outputs,
  };
}

/**
 * Runs in the page (installed as `__vqvarFigureFacts` by `runNotebook`): what a plotly output
 * `o` of cell `i` holds, and what its rendered element `el` shows; undefined for other outputs.
 */
function figureFacts(
  o: { data?: unknown },
  el: HTMLElement | undefined,
  i: number,
  k: number,
  count: number,
): Report["figures"][number] | undefined {
  type Series = { x?: unknown[]; y?: unknown[]; z?: unknown[]; source?: string };
  type PlotlyJson = { data: Series[]; layout?: { title?: string | { text?: string } } };
  const fig = (o.data as Record<string, PlotlyJson> | undefined)
    ?.["application/vnd.plotly.v1+json"];
  if (!fig) return undefined;
  const points = (data: Series[] | undefined) =>
    (data ?? []).reduce((n, t) => n + (t.x?.length ?? t.y?.length ?? t.z?.length ?? 0), 0);
  // The plotly renderer is the output element itself (or inside it, in older JupyterLabs).
  const node = (el?.matches(".jp-RenderedPlotly") ? el : el?.querySelector(".jp-RenderedPlotly")) as
    | (HTMLElement & { data?: Series[] })
    | null;
  const container = node?.querySelector(".plot-container") as HTMLElement | null;
  const img = node?.querySelector(".plot-img") as HTMLElement | null;
  const t = fig.layout?.title;
  return {
    cell: i,
    title: typeof t === "string" ? t : t?.text ?? "",
    drawn: !!container && container.style.display !== "none" &&
      node!.querySelectorAll(
          ".main-svg .trace, .main-svg image, .gl-container canvas, .main-svg .hm",
        ).length > 0,
    traces: node?.data?.length ?? 0,
    expectedTraces: fig.data.length,
    points: points(node?.data),
    expectedPoints: points(fig.data),
    // A trace with no data draws nothing a person can see (an image trace has a source).
    emptyTraces: fig.data.filter((t) => !points([t]) && !t.source).length,
    titleShown: node?.querySelector(".gtitle")?.textContent ?? "",
    pngShown: !!img && img.style.display !== "none" && !!(img as HTMLImageElement).src,
    // Only a figure that failed to draw is described (a drawn one's HTML can be megabytes).
    html: container ? "" : (el?.outerHTML ?? `(no output element ${k} of ${count})`).slice(0, 300),
  };
}

/**
 * Runs in the page, every poll while a notebook runs, so it reads only counts (serializing the
 * outputs, plotly figures included, on every poll kept Chromium busy): whether the run is done,
 * the kernel busy, how many outputs there are, whether one is an error or stderr, and the number
 * of points of every drawn plotly figure, keyed by position.
 */
function progress() {
  type Output = { type: string; toJSON(): { name?: string } };
  // deno-lint-ignore no-explicit-any
  const w = globalThis as any;
  const panel = w.__vqvarPanel;
  const drawn: Record<string, number> = {};
  let outputs = 0, failed = false, allRun = true;
  // deno-lint-ignore no-explicit-any
  panel.content.widgets.forEach((cell: any, i: number) => {
    if (cell.model.type !== "code") return;
    if (cell.model.executionCount == null) allRun = false;
    const outs = cell.model.outputs as { length: number; get(k: number): Output };
    outputs += outs.length;
    for (let k = 0; k < outs.length; k++) {
      const o = outs.get(k);
      if (o.type === "error" || (o.type === "stream" && o.toJSON().name === "stderr")) {
        failed = true;
      }
    }
    const areas = [...cell.node.querySelectorAll(".jp-OutputArea-output")] as HTMLElement[];
    areas.forEach((a, k) => {
      const el = a.matches(".jp-RenderedPlotly") ? a : a.querySelector(".jp-RenderedPlotly");
      const d = (el as (HTMLElement & { data?: { x?: unknown[]; y?: unknown[] }[] }) | null)
        ?.data;
      if (d) drawn[`${i}.${k}`] = d.reduce((n, t) => n + (t.x?.length ?? t.y?.length ?? 0), 0);
    });
  });
  const done = w.__vqvarRunDone === true && allRun;
  const busy = panel.sessionContext.session?.kernel?.status !== "idle";
  return { done, busy, outputs, failed, drawn };
}

/**
 * The visible notebook, top to bottom, as one PNG: its scroller is stepped one screenful at a
 * time and the screenfuls are stacked (the figures redraw correctly on scrolling, while making
 * the page as tall as the notebook would resize every figure at once).
 */
async function scrollShot(page: Page): Promise<Uint8Array> {
  const sel = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer";
  const box = await page.evaluate((sel) => {
    const el = document.querySelector(sel) as HTMLElement;
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height, total: el.scrollHeight };
  }, sel);
  const clip = { x: box.x, y: box.y, width: Math.floor(box.width), height: Math.floor(box.height) };
  const parts: { top: number; image: ReturnType<typeof decodePng> }[] = [];
  for (let want = 0; want < Math.min(box.total, 40000); want += clip.height) {
    const top = await page.evaluate(({ sel, want }) => {
      const el = document.querySelector(sel) as HTMLElement;
      el.scrollTop = want;
      return el.scrollTop;
    }, { sel, want });
    await new Promise((r) => setTimeout(r, 400));
    parts.push({ top, image: decodePng(await page.screenshot({ clip })) });
    if (top < want) break; // the last screenful
  }
  const width = parts[0].image.width, scale = width / clip.width;
  const last = parts[parts.length - 1];
  const height = Math.round(last.top * scale) + last.image.height;
  const channels = parts[0].image.channels;
  const out = new Uint8Array(width * height * channels);
  for (const p of parts) {
    out.set(p.image.data as Uint8Array, Math.round(p.top * scale) * width * channels);
  }
  return encodePng({ width, height, data: out, channels, depth: 8 });
}

/**
 * Polls the running notebook until it is done (or failed, or timed out) and quiet; returns
 * every figure's drawn sizes seen meanwhile (a live figure that redrew has two or more).
 */
async function waitForRun(page: Page, t0: number): Promise<Map<string, Set<number>>> {
  const seen = new Map<string, Set<number>>();
  let stableSince = 0;
  let lastOutputs = -1;
  while (true) {
    const report = await page.evaluate(progress);
    for (const [key, n] of Object.entries(report.drawn)) {
      if (!seen.has(key)) seen.set(key, new Set());
      seen.get(key)!.add(n);
    }
    const finished = (report.done || report.failed) && !report.busy;
    // The Deno kernel can publish outputs just after it reports idle: wait for quiet.
    if (finished && report.outputs === lastOutputs) {
      if (!stableSince) stableSince = Date.now();
      if (Date.now() - stableSince > 1000) break;
    } else {
      stableSince = 0;
    }
    lastOutputs = report.outputs;
    if (performance.now() - t0 > timeoutMs) break; // problemsOf says so (not done)
    await new Promise((r) => setTimeout(r, 400));
  }
  return seen;
}

/**
 * The finished notebook's report once plotly has drawn every figure as its output says (plotly
 * draws after the output arrives): polled until then, or for 30 s, after which the report says
 * what is not drawn.
 */
async function lastDraws(page: Page): Promise<Report> {
  const t0 = performance.now();
  while (true) {
    const report = await page.evaluate(inspect);
    const drawn = report.figures.every((f) =>
      f.drawn && f.traces === f.expectedTraces && f.points === f.expectedPoints
    );
    if (drawn || performance.now() - t0 > 30_000) return report;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What is wrong with a finished notebook's report: errors, kernel, figures. */
function problemsOf(report: Report, kernel: string): string[] {
  const problems = [...report.errors];
  if (!report.done && !report.errors.length) problems.push(`not finished after ${opts.timeout} s`);
  if (report.kernel !== kernel) problems.push(`ran on kernel "${report.kernel}"`);
  for (const f of report.figures) {
    const what = `cell ${f.cell} figure "${f.title}"`;
    if (!f.drawn) problems.push(`${what} is not drawn: ${f.html}`);
    if (f.pngShown) problems.push(`${what} shows a static PNG`);
    if (f.emptyTraces) problems.push(`${what} has ${f.emptyTraces} trace(s) with no data`);
    if (f.traces !== f.expectedTraces || f.points !== f.expectedPoints) {
      problems.push(
        `${what} drew ${f.traces} traces / ${f.points} points, its output holds ${f.expectedTraces} / ${f.expectedPoints}`,
      );
    }
    if (f.title && !f.titleShown.includes(f.title.slice(0, 20))) {
      problems.push(`${what} does not show its title`);
    }
  }
  return problems;
}

/** Opens `rel` in JupyterLab on `kernel` and starts running all its cells. */
async function startRun(page: Page, rel: string, kernel: string) {
  await page.evaluate(async ({ rel, kernel }) => {
    // deno-lint-ignore no-explicit-any
    const w = globalThis as any;
    const app = w.jupyterapp;
    const panel = await app.commands.execute("docmanager:open", {
      path: rel,
      factory: "Notebook",
      kernel: { name: kernel },
    });
    await panel.context.ready;
    await panel.sessionContext.ready;
    // A notebook opened before may get its earlier kernel back: ask for this one.
    if (panel.sessionContext.session?.kernel?.name !== kernel) {
      await panel.sessionContext.changeKernel({ name: kernel });
    }
    app.shell.activateById(panel.id);
    // jupyterlab-plotly stores a PNG snapshot of every figure it draws (Plotly.toImage, which
    // draws the figure a second time, off-screen, and encodes it): a third of the page's
    // plotly work in a profile of this check, for nothing it asserts (the drawn figure). Its
    // renderer class keeps plotly.js in a static field once loaded; there, toImage is replaced
    // by a promise that never settles, so no snapshot is made or stored (the browser check adds
    // PNGs to the Deno kernel's executed copies instead).
    const mime = "application/vnd.plotly.v1+json";
    const factory = panel.content.rendermime.getFactory(mime);
    const renderer = factory?.createRenderer({ mimeType: mime });
    const cls = renderer?.constructor;
    renderer?.dispose?.();
    if (cls?.loadingPlotly && !cls.__vqvarNoSnapshot) {
      cls.__vqvarNoSnapshot = true;
      cls.loadingPlotly.then(() => {
        const plotly = cls.Plotly;
        cls.Plotly = new Proxy(plotly, {
          get: (t, k) => k === "toImage" ? () => new Promise(() => {}) : t[k],
        });
      });
    }
    w.__vqvarPanel = panel;
    w.__vqvarRunDone = false;
    app.commands.execute("notebook:run-all-cells").finally(() => w.__vqvarRunDone = true);
  }, { rel, kernel });
  await page.evaluate(`globalThis.__vqvarFigureFacts = ${figureFacts.toString()}`);
}

/**
 * Runs one notebook copy (`path`, inside the kernel's folder) with Run All, checks what the page
 * shows, and saves the executed notebook in place through JupyterLab.
 */
async function runNotebook(page: Page, path: string, kernel: string, trains: boolean) {
  const rel = relative(root, path);
  const name = rel.replace(/^.*\//, "").replace(/\.ipynb$/, "");
  const t0 = performance.now();
  await startRun(page, rel, kernel);
  const seen = await waitForRun(page, t0);
  const seconds = (performance.now() - t0) / 1000;
  const report = await lastDraws(page);

  const problems = problemsOf(report, kernel);
  const redrawn = [...seen.values()].filter((s) => s.size >= 2).length;
  if (trains && redrawn === 0) problems.push("no live figure was seen redrawing while it trained");
  const ok = problems.length === 0;

  // A screenshot of the whole notebook, as a person scrolling through it sees it.
  const shot = `${outDir}/${name}.${kernel}.png`;
  if (!ok || opts.screenshots) Deno.writeFileSync(shot, await scrollShot(page));

  // Save the executed notebook (the copy), then stop the kernel and close it.
  await page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const panel = (globalThis as any).__vqvarPanel;
    await panel.context.save();
    await panel.sessionContext.shutdown();
    panel.dispose();
  });
  const slowest = cellSeconds(path).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([i, s]) => `cell ${i} ${s.toFixed(1)} s`).join(", ");
  console.error(
    `[lab] ${name} on ${kernel}: ${ok ? "ok" : "FAILED"} in ${
      seconds.toFixed(1)
    } s, ${report.figures.length} figures drawn` +
      `${trains ? `, ${redrawn} seen redrawing live` : ""}${
        !ok || opts.screenshots ? ` -> ${shot}` : ""
      }${slowest ? `; slowest: ${slowest}` : ""}`,
  );
  for (const p of problems) console.error(`  ${p}`);
  return { ok, seconds, figures: report.figures.length };
}

/** [cell index, seconds] of every code cell of a saved notebook that JupyterLab timed. */
function cellSeconds(path: string): [number, number][] {
  type Timed = { cell_type: string; metadata?: { execution?: Record<string, string> } };
  const nb = JSON.parse(Deno.readTextFileSync(path)) as { cells: Timed[] };
  return nb.cells.flatMap((c, i) => {
    const t = c.metadata?.execution;
    const start = Date.parse(t?.["iopub.execute_input"] ?? "");
    const end = Date.parse(t?.["shell.execute_reply"] ?? "");
    return c.cell_type === "code" && end >= start ? [[i, (end - start) / 1000]] : [];
  });
}

/**
 * The kernel's own copy of the notebooks: OUT/KERNEL/notebooks/*.ipynb, with OUT/KERNEL/data
 * and OUT/KERNEL/lib linking to the project's, and an empty OUT/KERNEL/out of its own.
 */
function prepareCopies(kernel: string): string[] {
  const dir = `${outDir}/${kernel}`;
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  Deno.mkdirSync(`${dir}/notebooks`, { recursive: true });
  Deno.mkdirSync(`${dir}/out`);
  for (const link of ["data", "lib"]) Deno.symlinkSync(`${root}/${link}`, `${dir}/${link}`);
  return notebooks.map((p) => {
    const copy = `${dir}/notebooks/${p.replace(/^.*\//, "")}`;
    Deno.copyFileSync(p, copy);
    return copy;
  });
}

/** One notebook to run on one kernel: the original, and the kernel's copy that runs. */
interface Run {
  path: string;
  copy: string;
  kernel: string;
}

/**
 * Opens JupyterLab in a tab of its own (workspace `name`) and runs there, one after another,
 * the runs it takes from the shared queue, until the queue is empty.
 */
async function runTab(browser: Browser, name: string, queue: Run[]) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => {
    // JupyterLab's debugger panel asks every kernel for a debug session; ours have none.
    if (!/No active debugger session/.test(String(e))) pageErrors.push(String(e));
  });
  await page.goto(`${base}/lab/workspaces/${name}?token=${token}`);
  await page.waitForFunction(
    () => {
      // deno-lint-ignore no-explicit-any
      const app = (globalThis as any).jupyterapp;
      return app && app.serviceManager?.isReady && app.commands.hasCommand("docmanager:open");
    },
    null,
    { timeout: 120_000 },
  );
  // No CSS animations or transitions: JupyterLab's busy indicators would repaint the page at
  // frame rate while a kernel works, taking CPU from the notebook the check runs.
  await page.addStyleTag({
    content: "*, *::before, *::after { animation: none !important; transition: none !important; }",
  });
  await page.evaluate(() => {
    // deno-lint-ignore no-explicit-any
    const app = (globalThis as any).jupyterapp;
    app.shell.collapseLeft();
    app.shell.collapseRight();
  });
  let failures = 0;
  for (let run = queue.shift(); run; run = queue.shift()) {
    const trains = /\b(train|trainVAR)\(/.test(Deno.readTextFileSync(run.path));
    const r = await runNotebook(page, run.copy, run.kernel, trains);
    if (!r.ok) failures++;
    const nb = run.path.replace(/^.*\//, "");
    (timings[nb] ??= {})[run.kernel] = `${r.seconds.toFixed(1)} s, ${r.figures} figures`;
  }
  if (pageErrors.length) {
    console.error(`[lab] page errors in tab ${name}: ${pageErrors.join(" | ")}`);
    failures++;
  }
  await page.close();
  return failures;
}

let failed = 0;
const timings: Record<string, Record<string, string>> = {};
const t0 = performance.now();
try {
  const specs = await waitForServer();
  for (const k of kernels) {
    if (!(k in specs.kernelspecs)) throw new Error(`JupyterLab has no kernel "${k}"`);
  }
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  // Every notebook on every kernel, taken by the tabs as they come free: the notebooks that
  // train the most first (so the short ones fill in at the end, not a long one alone), each on
  // its kernels in reverse order (tslab, the slower, first).
  const copies = new Map(kernels.map((k) => [k, prepareCopies(k)]));
  const trainings = (path: string) =>
    Deno.readTextFileSync(path).match(/\b(train|trainVAR|fitCodebook|trainClassifier)\(/g)
      ?.length ?? 0;
  const queue: Run[] = notebooks
    .map((path, i) => ({ path, i, cost: trainings(path) }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i)
    .flatMap(({ path, i }) =>
      kernels.toReversed().map((kernel) => ({ path, copy: copies.get(kernel)![i], kernel }))
    );
  try {
    const results = await Promise.all(
      Array.from({ length: tabs }, (_, i) => runTab(browser, `tab${i + 1}`, queue)),
    );
    failed += results.reduce((a, b) => a + b, 0);
  } finally {
    await browser.close();
  }
} finally {
  server.kill("SIGTERM");
  await server.status;
  Deno.removeSync(work, { recursive: true });
}
for (const [p, hash] of before) {
  if (fingerprint(p) !== hash) {
    console.error(`[lab] ${p} was changed by the check`);
    failed++;
  }
}
console.table(timings);
const where = kernels.map((k) => `${relative(Deno.cwd(), outDir)}/${k}/notebooks`);
console.error(
  `[lab] ${notebooks.length} notebooks on ${kernels.join(" and ")}, ${tabs} at a time, in ${
    ((performance.now() - t0) / 1000).toFixed(0)
  } s; executed notebooks in ${where.join(", ")}`,
);
if (failed) {
  console.error(`[lab] ${failed} failure(s)`);
  Deno.exit(1);
}
