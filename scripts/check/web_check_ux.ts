/// <reference lib="dom" />
/**
 * The web page as a learner meets it, checked in headless Chromium (used by `web_check.ts`):
 * one run at a time, every failure a user can cause shown next to its control, stale state
 * cleared, keyboard use (file chooser and canvas included), layout at 1280 px and 390 px (with
 * screenshots), and axe-core's accessibility rules.
 */
import type { Browser, Page } from "playwright-core";
import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { uncounted } from "./long_tasks.ts";

/** Records one check's outcome. */
export type Check = (ok: boolean, what: string) => void;

const busy = (page: Page) => page.evaluate(() => document.body.dataset.busy === "true");
const jobsEnded = (page: Page) => page.evaluate(() => Number(document.body.dataset.jobs ?? 0));

/**
 * Does `action` (a click, a key, a file: something that starts one of the page's jobs) and waits
 * until that job has ended: the page counts ended jobs in `data-jobs`. On a timeout it returns,
 * and the check that follows reports what it sees.
 */
export async function afterJob(page: Page, action: () => Promise<unknown>) {
  const before = await jobsEnded(page);
  await action();
  await page.waitForFunction(
    (b) => Number(document.body.dataset.jobs ?? 0) > b && !document.body.dataset.busy,
    before,
    { timeout: 120_000 },
  ).catch(() => undefined);
}
const text = async (page: Page, selector: string) => (await page.textContent(selector)) ?? "";

/** Double-click on Generate: one run, six scales, controls disabled meanwhile. */
export async function checkOneRunAtATime(page: Page, check: Check) {
  let during = { disabled: false, status: "" }, wasBusy = false;
  await afterJob(page, async () => {
    await page.dblclick("#go");
    during = await page.evaluate(() => ({
      disabled: (document.getElementById("go") as HTMLButtonElement).disabled,
      status: document.getElementById("generate-status")!.textContent ?? "",
    }));
    wasBusy = await busy(page);
  });
  const figures = await page.locator("#scales figure").count();
  check(figures === 6, `a double-click on Generate draws one run of 6 scales (${figures})`);
  check(
    !wasBusy || (during.disabled && /working/.test(during.status)),
    `while it runs, Generate is disabled and the section says "${during.status}"`,
  );
}

/** Out-of-range and malformed inputs: a message next to the control, naming the range. */
export async function checkFieldMessages(page: Page, check: Check) {
  const cases: [string, string, string, RegExp][] = [
    ["#index", "-5", "#tokenize-status", /Test image must be a whole number from 0 to 999/],
    ["#index", "99999", "#tokenize-status", /99999 is outside that range/],
    ["#index", "", "#tokenize-status", /Test image .* the field is empty/],
    ["#cfg", "-1", "#generate-status", /Guidance must be a number from 0 to 20: -1 is outside/],
    ["#cfg", "", "#generate-status", /Guidance .* the field is empty/],
    ["#seed", "1.5", "#generate-status", /Seed must be a whole number .*1\.5 is not a whole/],
    ["#seed", "1e30", "#generate-status", /Seed .* 1e30 is outside that range/],
  ];
  for (const [field, value, status, want] of cases) {
    const before = await page.locator(field).inputValue();
    await page.fill(field, value);
    await page.press(field, "Enter");
    await page.waitForFunction(
      (f) => document.querySelector(f)!.getAttribute("aria-invalid"),
      field,
    )
      .catch(() => undefined);
    const said = await text(page, status);
    const invalid = await page.getAttribute(field, "aria-invalid");
    check(
      want.test(said) && invalid === "true",
      `${field} = "${value}" + Enter says "${said}" next to it (aria-invalid ${invalid})`,
    );
    await page.fill(field, before);
  }
  // Enter in Seed with a good value generates (a job runs, the strip is redrawn).
  await page.fill("#seed", "5");
  const jobs = await jobsEnded(page);
  await afterJob(page, () => page.press("#seed", "Enter"));
  const t1 = await text(page, "#generate-time");
  const ran = await jobsEnded(page) - jobs;
  check(ran === 1 && /One Trouser/.test(t1), `Enter in Seed regenerates (${ran} job: "${t1}")`);
  await page.fill("#seed", "0");
}

/** A new class clears the old class's grid and draws a sample of the new one. */
export async function checkClassChange(page: Page, check: Check) {
  await afterJob(page, () => page.click("#grid-go"));
  await afterJob(page, () => page.selectOption("#class", "7")); // Sneaker
  const grid = await page.locator("#grid figure").count();
  const caption = await text(page, "#generate-time");
  check(
    grid === 0 && /One Sneaker/.test(caption),
    `changing the class to Sneaker clears the grid (${grid} left) and draws one ("${caption}")`,
  );
  await afterJob(page, () => page.selectOption("#class", "1"));
}

/** Files a user can choose: not an image, and a huge one (shrunk before tokenizing). */
export async function checkFiles(page: Page, check: Check) {
  await afterJob(page, () =>
    page.setInputFiles("#file", {
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("these are notes, not pixels"),
    }));
  const said = await text(page, "#tokenize-status");
  const cls = await page.getAttribute("#tokenize-status", "class");
  check(
    /notes\.txt: not an image/.test(said) && /error/.test(cls ?? ""),
    `a text file is refused next to the file control ("${said}")`,
  );
  // 12000 × 12000: made in the page (PNG), handed to the file input as a user would. Making
  // it blocks the page's main thread (the check's own work, not the page's): the long-task
  // record is put back afterwards.
  const before = await page.evaluate(() => document.getElementById("tokens")!.dataset.indices);
  await uncounted(page, () =>
    page.evaluate(async () => {
      const c = new OffscreenCanvas(12000, 12000);
      const ctx = c.getContext("2d")!;
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, 12000, 12000);
      ctx.fillStyle = "#222";
      ctx.fillRect(3000, 2000, 6000, 8000);
      const blob = await c.convertToBlob({ type: "image/png" });
      (globalThis as unknown as { huge: File }).huge = new File([blob], "huge.png", {
        type: "image/png",
      });
    }));
  const t0 = performance.now();
  await afterJob(page, () =>
    page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add((globalThis as unknown as { huge: File }).huge);
      const input = document.getElementById("file") as HTMLInputElement;
      input.files = dt.files;
      input.dispatchEvent(new Event("change"));
    }));
  const seconds = (performance.now() - t0) / 1000;
  const huge = await text(page, "#tokenize-status");
  const after = await page.evaluate(() => document.getElementById("tokens")!.dataset.indices);
  check(
    after !== before && /huge\.png: 12000×12000: .*shrunk/.test(huge),
    `a 12000×12000 PNG is shrunk and tokenized in ${seconds.toFixed(1)} s ("${huge}")`,
  );
  const index = await page.locator("#index").inputValue();
  check(index === "", `after a file the test-image field is empty ("${index}")`);
}

/**
 * Intercepts `page`'s file choosers through a CDP session of its own: resolves once Chromium has
 * acknowledged the interception, so a key pressed afterwards cannot open an unintercepted chooser.
 * (Playwright's `filechooser` event turns interception on with a message it does not await when
 * the first listener is added: a keypress sent right after can reach the page first, and the
 * chooser then opens unseen. A reproduction missed 1–2 choosers in 100; clicks hide the race
 * behind their actionability checks, a keypress does not.)
 */
async function interceptFileChooser(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Page.enable");
  await cdp.send("Page.setInterceptFileChooserDialog", { enabled: true });
  return {
    /** The next chooser the page opens: its input's node, or undefined after `ms`. */
    next(ms: number): Promise<number | undefined> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), ms);
        cdp.once("Page.fileChooserOpened", (e) => {
          clearTimeout(timer);
          resolve(e.backendNodeId);
        });
      });
    },
    /** Chooses `path` in the chooser of input `node`, as the user would. */
    choose: (node: number, path: string) =>
      cdp.send("DOM.setFileInputFiles", { files: [path], backendNodeId: node }),
    detach: () => cdp.detach(),
  };
}

/** Keyboard only: the file chooser opens from the keyboard; the canvas draws with keys. */
export async function checkKeyboard(page: Page, check: Check, png: Uint8Array) {
  await page.focus("#clear");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement?.id);
  check(focused === "file", `Tab from Blank reaches the file chooser (${focused})`);
  const chooser = await interceptFileChooser(page);
  const dir = await Deno.makeTempDir();
  try {
    const opened = chooser.next(30_000);
    await page.keyboard.press("Space");
    const node = await opened;
    const state = await page.evaluate(
      () => [document.activeElement?.id, document.body.dataset.busy],
    );
    check(
      node !== undefined,
      `Space on the focused file control opens the file chooser (${state})`,
    );
    if (node !== undefined) {
      await Deno.writeFile(`${dir}/disc.png`, png);
      await afterJob(page, () => chooser.choose(node, `${dir}/disc.png`));
      const said = await text(page, "#tokenize-status");
      check(/disc\.png: 60×40/.test(said), `the file chosen by keyboard is tokenized ("${said}")`);
    }
  } finally {
    await chooser.detach();
    await Deno.remove(dir, { recursive: true });
  }
  await afterJob(page, () => page.click("#clear"));
  const blank = await page.evaluate(() => document.getElementById("tokens")!.dataset.indices);
  await page.focus("#draw");
  await page.keyboard.press("Space"); // pen down
  for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowRight");
  for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowDown");
  await afterJob(page, () => page.keyboard.press("Space")); // pen up: tokenize
  const drawn = await page.evaluate(() => document.getElementById("tokens")!.dataset.indices);
  check(drawn !== blank, "a stroke drawn with arrows and Space is tokenized");
}

/** A bad `?backend=`: the page says so under the backend line and starts anyway. */
export async function checkBadBackend(browser: Browser, url: string, check: Check) {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}?backend=foo`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 120_000 });
    const said = await text(page, "#backend-problem");
    const backend = await text(page, "#backend");
    check(
      /“foo”, which does not exist/.test(said),
      `?backend=foo is explained ("${said}") and the page runs on ${backend}`,
    );
  } finally {
    await page.close();
  }
}

/** Layout at 1280 px and 390 px: no overflow, no gaps, titles apart; screenshots saved. */
export async function checkLayout(page: Page, check: Check, outDir: string) {
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    await page.setViewportSize({ width, height });
    const cols = width < 600 ? "3" : "6"; // the maps re-plot at the new width
    // Re-plotted at this width: the page marks the columns and the width it drew at.
    await page.waitForFunction((c) => {
      const maps = document.getElementById("tokens")!;
      return maps.dataset.cols === c && maps.dataset.width === String(maps.clientWidth);
    }, cols);
    const m = await page.evaluate(() => {
      const box = (s: string) => document.querySelector(s)!.getBoundingClientRect();
      const titles = [
        ...document.querySelectorAll("#tokens .annotation-text, #residuals .annotation-text"),
      ]
        .map((t) => t.getBoundingClientRect());
      const overlaps = titles.filter((a, i) =>
        titles.some((b, j) =>
          j > i && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
        )
      ).length;
      const draw = box("#draw"), pair = box(".pair"), tokens = box("#tokens");
      const cells = [...document.querySelectorAll("#tokens .nsewdrag, #residuals .nsewdrag")]
        .map((c) =>
          c.getBoundingClientRect()
        );
      const svgs = ["tokens", "residuals"].map((id) =>
        document.querySelector(`#${id} .main-svg`)!.getBoundingClientRect()
      );
      return {
        smallestMap: Math.min(...cells.map((c) => Math.min(c.width, c.height))),
        mapsInside: svgs[0].bottom <= svgs[1].top && svgs.every((r) => r.right <= innerWidth),
        scrollWidth: document.documentElement.scrollWidth,
        overlaps,
        titles: titles.length,
        gap: pair.left - draw.right,
        reconBelowDraw: pair.top - draw.top,
        mapsWidth: tokens.width,
      };
    });
    check(m.scrollWidth <= width, `at ${width} px nothing overflows sideways (${m.scrollWidth})`);
    check(
      m.smallestMap >= 60 && m.mapsInside,
      `at ${width} px every map is at least 60 px (${m.smallestMap.toFixed(0)}) and the two ` +
        `figures neither overlap nor leave the page`,
    );
    check(
      m.titles === 12 && m.overlaps === 0,
      `at ${width} px the 12 map titles do not overlap (${m.titles} titles, ${m.overlaps} overlap)`,
    );
    check(
      m.gap >= 0 && m.gap < 60 && m.reconBelowDraw < 40,
      `at ${width} px input and reconstruction sit side by side (${m.gap.toFixed(0)} px apart)`,
    );
    await page.screenshot({ path: `${outDir}/layout-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForFunction(() => document.getElementById("tokens")!.dataset.cols === "6");
}

/** axe-core over the whole page: no serious or critical violations. */
export async function checkAccessibility(page: Page, check: Check) {
  const axe = await readFile(
    new URL("../../node_modules/axe-core/axe.min.js", import.meta.url),
    "utf8",
  );
  // axe loads and runs on the page's main thread: the check's own work, not counted against
  // the page.
  const violations = await uncounted(page, async () => {
    await page.addScriptTag({ content: axe });
    return await page.evaluate(async () => {
      const a = (globalThis as unknown as {
        axe: {
          run(
            o: unknown,
          ): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
        };
      }).axe;
      const r = await a.run({ resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
  });
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of violations) console.error(`[web-check] axe: ${v.impact} ${v.id} (${v.nodes})`);
  check(
    bad.length === 0,
    `axe-core finds no serious or critical violation (${bad.map((v) => v.id).join(", ")})`,
  );
}
