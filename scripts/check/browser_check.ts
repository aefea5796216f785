/// <reference lib="dom" />
/**
 * Opens every exported notebook page (out/notebooks/*.html) in headless Chromium and checks
 * that every plotly figure drew its traces, saving a full-page screenshot next to a page that
 * fails (NAME.png; of every page with `--screenshots`). Then gives every plotly output of the executed notebooks (NAME.ipynb) a PNG
 * rendering (`image/png`), the fallback that viewers which run no scripts (GitHub, untrusted
 * notebooks) show. (Figures are displayed without one: JupyterLab's plotly renderer would show
 * the PNG instead of drawing the figure.)
 *
 * Chromium: $VQVAR_CHROMIUM, else `chromium` / `chromium-browser` on PATH (Debian: `apt-get
 * install chromium`). Pages must not touch the network: any request that is not file: or
 * data: fails the check.
 *
 * Usage: deno run -A scripts/check/browser_check.ts [--min-figures N] [--screenshots] [DIR ...]
 *   (default out/notebooks)
 * `--min-figures N` requires N plotly figures on every page but the setup check (00_*).
 */
import { chromium, type Page, type Request } from "playwright-core";
import { findChromium } from "./chromium.ts";

const args = [...Deno.args];
let minFigures = 0;
const mi = args.indexOf("--min-figures");
if (mi >= 0) {
  minFigures = Number(args[mi + 1]);
  args.splice(mi, 2);
}
const si = args.indexOf("--screenshots");
const screenshots = si >= 0;
if (screenshots) args.splice(si, 1);
const dirs = (args.length ? args : ["out/notebooks"]).map((d) => d.replace(/\/$/, ""));
const pages = dirs.flatMap((dir) => {
  const names = [...Deno.readDirSync(dir)]
    .filter((e) => e.isFile && e.name.endsWith(".html"))
    .map((e) => e.name)
    .sort();
  if (!names.length) throw new Error(`no .html files in ${dir}: run the notebooks first`);
  return names.map((name) => ({ dir, name }));
});

const browser = await chromium.launch({
  executablePath: findChromium(),
  args: ["--no-sandbox", "--disable-gpu"],
});
let failures = 0;
/** Each plotly figure of the page: its traces and drawn elements, once every figure drew. */
async function drawnFigures(page: Page) {
  const facts = () => {
    type PlotDiv = HTMLElement & { _fullData?: unknown[] };
    return [...document.querySelectorAll<PlotDiv>(".vqvar-plotly")].map((d) => ({
      id: d.id,
      traces: d._fullData?.length ?? 0,
      drawn: d.querySelectorAll(
        ".main-svg .trace, .main-svg image, .gl-container canvas, .main-svg .hm",
      ).length,
    }));
  };
  // Plotly draws each figure after load: wait until every one has (or 30 s have passed, after
  // which the facts say which did not).
  await page.waitForFunction(
    `(${facts.toString()})().every((f) => f.traces > 0 && f.drawn > 0)`,
    undefined,
    { timeout: 30_000 },
  ).catch(() => undefined);
  return await page.evaluate(facts);
}

/**
 * Checks one exported page (and adds PNG fallbacks to its executed notebook) in `page`, a tab
 * reused from page to page: its renderer keeps the compiled plotly.js and MathJax, which makes
 * every page after the first load several times faster.
 */
async function checkPage(page: Page, dir: string, name: string) {
  const external: string[] = [];
  const errors: string[] = [];
  const onRequest = (r: Request) => {
    if (!/^(file|data|blob|about):/.test(r.url())) external.push(r.url());
  };
  const onError = (e: Error) => errors.push(String(e));
  page.on("request", onRequest);
  page.on("pageerror", onError);
  await page.goto(`file://${Deno.realPathSync(`${dir}/${name}`)}`, { waitUntil: "load" });
  // MathJax typesets after load; wait for it when the page has it.
  const math = await page.evaluate(async () => {
    const mj = (globalThis as unknown as { MathJax?: { startup?: { promise?: Promise<void> } } })
      .MathJax;
    if (!mj?.startup?.promise) return { formulas: 0, raw: 0 };
    await mj.startup.promise;
    const md = [...document.querySelectorAll(".jp-MarkdownOutput")];
    const raw = md.filter((m) => /\$\$|\\\(|(^|[^\\])\$[^$\s][^$]*\$/.test(m.textContent ?? ""));
    return { formulas: document.querySelectorAll("mjx-container").length, raw: raw.length };
  });
  const figures = await drawnFigures(page);
  const bad = figures.filter((f) => f.traces === 0 || f.drawn === 0);
  const base = name.replace(/\.html$/, "");
  const ok = !bad.length && !external.length && !errors.length &&
    (figures.length >= minFigures || name.startsWith("00_")) && math.raw === 0;
  if (screenshots || !ok) await page.screenshot({ path: `${dir}/${base}.png`, fullPage: true });
  console.error(
    `[browser] ${dir}/${name}: ${figures.length} figures, ${
      figures.reduce((a, f) => a + f.traces, 0)
    } traces, ${math.formulas} formulas${ok ? "" : " — FAILED"}${
      screenshots || !ok ? ` -> ${dir}/${base}.png` : ""
    }`,
  );
  if (bad.length) console.error(`  figures without traces: ${bad.map((b) => b.id).join(", ")}`);
  if (external.length) console.error(`  network requests: ${external.join(", ")}`);
  if (errors.length) console.error(`  page errors: ${errors.join(" | ")}`);
  if (figures.length < minFigures && !name.startsWith("00_")) {
    console.error(`  fewer than ${minFigures} figures`);
  }
  if (math.raw) console.error(`  ${math.raw} markdown cells with untypeset TeX`);
  if (!ok) failures++;

  await addPngFallbacks(page, `${dir}/${base}.ipynb`);
  page.off("request", onRequest);
  page.off("pageerror", onError);
}

/**
 * Gives every plotly output of the executed notebook at `nbPath` (if there is one) a PNG
 * rendering drawn by plotly.js in `page`, and saves the notebook atomically.
 */
async function addPngFallbacks(page: Page, nbPath: string) {
  let nb;
  try {
    nb = JSON.parse(await Deno.readTextFile(nbPath));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  let added = 0;
  for (const cell of nb.cells) {
    for (const out of cell.outputs ?? []) {
      const fig = out.data?.["application/vnd.plotly.v1+json"];
      if (!fig || out.data["image/png"]) continue;
      out.data["image/png"] = await page.evaluate(async (f) => {
        const P = (globalThis as unknown as {
          Plotly: { toImage(f: unknown, o: unknown): Promise<string> };
        }).Plotly;
        const width = f.layout?.width ?? 900, height = f.layout?.height ?? 420;
        const url = await P.toImage({ data: f.data, layout: f.layout }, {
          format: "png",
          width,
          height,
        });
        return url.replace(/^data:image\/png;base64,/, "");
      }, fig);
      added++;
    }
  }
  if (!added) return;
  const tmp = `${nbPath}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(nb, null, 1) + "\n");
  await Deno.rename(tmp, nbPath);
  console.error(`[browser] ${nbPath}: ${added} PNG fallbacks added`);
}

// Two tabs at a time: loading a page is CPU-bound (~4 s here for one with plotly.js inlined).
const queue = [...pages];
try {
  await Promise.all(
    [0, 1].map(async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      for (let p = queue.shift(); p; p = queue.shift()) await checkPage(page, p.dir, p.name);
      await page.close();
    }),
  );
} finally {
  await browser.close();
}
if (failures) {
  console.error(`[browser] ${failures} page(s) failed`);
  Deno.exit(1);
}
