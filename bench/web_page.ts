/// <reference lib="dom" />
/**
 * The web page's timings per backend, as a learner meets them, in headless Chromium (WebGL
 * through SwiftShader where no GPU is present): builds and serves out/web, then per backend
 * loads the page `--loads` times (default 3) and records
 *
 * - `loaded`: seconds from navigation until the models are loaded and the sections show (pages
 *   without that mark: NaN);
 * - `ready`: seconds until the first tokenization and the first sample are drawn;
 * - `firstTokenize`, `firstSample`: the milliseconds the page shows for its first tokenization
 *   and first sample (what a learner reads first);
 * - `tokenize`, `sample`: the same operations again (medians of 4 and 3 calls);
 * - `grid1`, `grid2`: the first and the second "Grid of 16";
 * - `longestLoading`, `longestTask`: the longest time the page's main thread was blocked (Long
 *   Tasks API) until ready, and after (over the calls above).
 *
 * Prints min/median/max over the loads and writes bench/web_page.json. Usage:
 * `deno run -A bench/web_page.ts [--loads N] [--backends default,webgl,wasm,cpu]`
 */
import { chromium } from "playwright-core";
import { parseArgs } from "node:util";
import { writeFile } from "node:fs/promises";
import { findChromium } from "../scripts/check/chromium.ts";
import { buildWeb } from "../scripts/build/build_web.ts";
import { serveStatic } from "../scripts/build/web_server.ts";
import { longestTask, watchLongTasks } from "../scripts/check/long_tasks.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    loads: { type: "string", default: "3" },
    backends: { type: "string", default: "default,webgl,wasm,cpu" },
  },
});
const loads = Number(values.loads);
const backends = values.backends.split(",");
const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => "")).match(
  /model name\s*:\s*(.*)/,
)?.[1] ?? "unknown CPU";

interface Api {
  vqvar: {
    backend: string;
    tokenizeTest(i: number): Promise<{ ms: number }>;
    generateOne(cls: number, seed: number): Promise<{ ms: number }>;
    judge(cls: number, n: number, seed: number): Promise<{ ms: number }>;
  };
}
type Visit = Record<string, number>;

await buildWeb();
const { server, url } = await serveStatic("out/web");
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
});
const results: Record<string, { backend: string; visits: Visit[] }> = {};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const asked of backends) {
    const visits: Visit[] = [];
    let backend = asked;
    for (let n = 0; n < loads; n++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await watchLongTasks(page);
      const t0 = performance.now();
      await page.goto(url + (asked === "default" ? "" : `?backend=${asked}`));
      // Sections shown (models loaded; pages before the worker had no such mark), then ready.
      await page.waitForSelector("body[data-loaded=true], body[data-ready=true]", {
        timeout: 300_000,
      });
      const shownAt = await page.evaluate(() => document.body.dataset.loaded === "true")
        ? (performance.now() - t0) / 1000
        : NaN;
      await page.waitForSelector("body[data-ready=true]", { timeout: 300_000 });
      const ready = (performance.now() - t0) / 1000;
      // The longest block of the main thread while loading; then reset for the jobs that follow.
      const longestLoading = await longestTask(page, { reset: true });
      const shown = await page.evaluate(() => ({
        tokenize: document.getElementById("tokenize-time")!.textContent ?? "",
        sample: document.getElementById("generate-time")!.textContent ?? "",
      }));
      const number = (s: string) => Number(s.match(/in ([\d.]+) ms/)?.[1] ?? NaN);
      const visit = await page.evaluate(async () => {
        const api = (globalThis as unknown as Api).vqvar;
        const tokenize = [], sample = [];
        for (let i = 1; i <= 4; i++) tokenize.push((await api.tokenizeTest(i)).ms);
        for (let s = 1; s <= 3; s++) sample.push((await api.generateOne(1, s)).ms);
        const grid1 = (await api.judge(1, 16, 0)).ms;
        const grid2 = (await api.judge(1, 16, 1)).ms;
        const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
        return {
          tokenize: sorted(tokenize)[2],
          sample: sorted(sample)[1],
          grid1,
          grid2,
          backend: api.backend,
        };
      });
      const longestAfter = await longestTask(page);
      backend = visit.backend;
      visits.push({
        loaded: shownAt,
        ready,
        firstTokenize: number(shown.tokenize),
        firstSample: number(shown.sample),
        tokenize: visit.tokenize,
        sample: visit.sample,
        grid1: visit.grid1,
        grid2: visit.grid2,
        longestLoading,
        longestTask: longestAfter,
      });
      await page.close();
      console.error(
        `[web-bench] ${asked} (${backend}) load ${n + 1}: ${JSON.stringify(visits.at(-1))}`,
      );
    }
    results[asked] = { backend, visits };
  }
} finally {
  await browser.close();
  server.close();
}

const keys = [
  "loaded",
  "ready",
  "firstTokenize",
  "firstSample",
  "tokenize",
  "sample",
  "grid1",
  "grid2",
  "longestLoading",
  "longestTask",
];
console.log(`# web page timings, ${loads} loads per backend, ${cpu}, Chromium headless, no GPU`);
console.log(`| asked | backend | ${keys.join(" | ")} |`);
console.log(`| --- | --- | ${keys.map(() => "---").join(" | ")} |`);
for (const [asked, { backend, visits }] of Object.entries(results)) {
  const cells = keys.map((k) => {
    const xs = visits.map((v) => v[k]);
    const f = (x: number) => (k === "ready" || k === "loaded" ? x.toFixed(1) : x.toFixed(0));
    return `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
  });
  console.log(`| ${asked} | ${backend} | ${cells.join(" | ")} |`);
}
await writeFile(
  "bench/web_page.json",
  JSON.stringify({ cpu, loads, units: "ready: s; others: ms", results }, null, 2) + "\n",
);
