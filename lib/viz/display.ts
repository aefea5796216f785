/**
 * Rich output that works wherever the code runs: the Deno Jupyter kernel, the tslab kernel,
 * or plain `deno run` / `node` (where a short text summary is printed instead).
 *
 * Plotly figures become one MIME bundle that draws in JupyterLab (plotly's renderer reads
 * `application/vnd.plotly.v1+json`), in exported HTML (`text/html`, drawn by the plotly.js
 * that the notebook runner inlines once per page) and in a terminal (a `text/plain`
 * summary). Both kernels send the whole bundle. The bundle carries no `image/png`:
 * JupyterLab's plotly renderer would show a PNG instead of drawing the figure (until the
 * mouse passes over it); PNG renderings for viewers that run no scripts are added to the
 * executed notebooks afterwards (scripts/check/browser_check.ts).
 *
 * A bundle maps MIME types to content, as Jupyter's `display_data` does:
 * `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`.
 */
import process from "node:process";
import { createRequire } from "node:module";

/** MIME type → content, as in Jupyter's `display_data` messages. */
export type MimeBundle = Record<string, unknown>;

/** Where output goes. */
export type DisplayTarget = "deno-jupyter" | "tslab" | "console";

interface DenoJupyter {
  display(
    obj: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ): Promise<void>;
}

/** tslab's own writer of display messages: the whole bundle, in place with `update`. */
type TslabWriter = (
  content: { data: MimeBundle; metadata: Record<string, unknown>; transient: object },
  update: boolean,
) => void;

interface Tslab {
  /** The writer of the cell being executed (tslab 1.0: `dist/jupyter`'s export). */
  writer(): TslabWriter | null;
  /** Public API: one MIME type per call. */
  display: { raw(contentType: string, content: unknown): void };
}

function denoJupyter(): DenoJupyter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  try {
    // Outside `deno jupyter`, reading Deno.jupyter throws.
    return deno?.jupyter;
  } catch {
    return undefined;
  }
}

/** How long the Deno kernel's end of a cell waits for the cell's output to go out (ms). */
const DENO_OUTPUT_SETTLE_MS = 50;
const SETTLED = Symbol.for("vqvar.denoOutputSettled");

type BroadcastResult = ((executionCount: number, result: unknown) => Promise<void>) & {
  [SETTLED]?: true;
};

/**
 * Keeps every output of a cell under that cell in Deno's Jupyter kernel.
 *
 * The kernel (Deno 2.x) puts a cell's printed lines and displays alike into a queue that it
 * drains while it finishes the request, and stamps each message with the request current when
 * the message goes out; `await Deno.jupyter.display(...)` returns once the message is queued.
 * So the last lines of a cell, above all after a large figure, can leave after the kernel has
 * reported the cell idle: JupyterLab drops them, or shows them under the next cell when that is
 * already queued (Run All). Before it reports a cell done, the kernel awaits its internal
 * `jupyter.broadcastResult` (which shows the cell's value); delaying that call by
 * {@link DENO_OUTPUT_SETTLE_MS} lets the queue drain first. A pause, not a flush: the kernel
 * offers nothing to wait on (it sleeps 5 ms itself for the same reason, as ipykernel does; see
 * denoland/deno#20337), so this makes late output rare, not impossible.
 *
 * Importing vqvar does not install it: {@link display} does, the first time it shows something
 * in Deno's kernel (from then on every cell of that kernel ends 50 ms later), or call this
 * yourself to settle the cells before that. Installed once per kernel; returns whether the hook
 * is in place, false outside Deno's kernel or where the hook is missing (other Deno versions).
 */
export function settleDenoOutput(): boolean {
  if (!denoJupyter()) return false;
  const deno = (globalThis as { Deno?: Record<PropertyKey, unknown> }).Deno;
  const key = deno?.internal;
  if (!deno || (typeof key !== "symbol" && typeof key !== "string")) return false;
  const jupyter = (deno[key] as { jupyter?: { broadcastResult?: BroadcastResult } } | undefined)
    ?.jupyter;
  const original = jupyter?.broadcastResult;
  if (!jupyter || typeof original !== "function") return false;
  if (original[SETTLED]) return true;
  const settled: BroadcastResult = async (executionCount, result) => {
    await new Promise((resolve) => setTimeout(resolve, DENO_OUTPUT_SETTLE_MS));
    await original.call(jupyter, executionCount, result);
  };
  settled[SETTLED] = true;
  jupyter.broadcastResult = settled;
  return true;
}

let tslab: Tslab | null | undefined;
function tslabKernel(): Tslab | undefined {
  if (tslab === undefined) {
    tslab = null;
    if (!(globalThis as { Deno?: unknown }).Deno && process.argv.some((a) => /tslab/.test(a))) {
      try {
        // The kernel's own tslab, resolved from its launcher (argv[1]).
        const req = createRequire(process.argv[1] ?? `${process.cwd()}/`);
        const pub = req("tslab") as { display: Tslab["display"] };
        let internals: { lastWriteDisplayData?: TslabWriter | null } = {};
        try {
          internals = req("tslab/dist/jupyter");
        } catch { /* another tslab layout: the public API alone */ }
        tslab = { display: pub.display, writer: () => internals.lastWriteDisplayData ?? null };
      } catch {
        tslab = null;
      }
    }
  }
  return tslab ?? undefined;
}

/** The output target of this process. */
export function displayTarget(): DisplayTarget {
  if (denoJupyter()) return "deno-jupyter";
  if (tslabKernel()) return "tslab";
  return "console";
}

/** The MIME type sent alone where a kernel takes only one per output: the richest. */
const ONE_TYPE_ORDER = [
  "application/vnd.plotly.v1+json",
  "text/html",
  "image/svg+xml",
  "image/png",
  "text/plain",
];

/**
 * Shows a MIME bundle. With `displayId`, a later call with the same id and `update: true`
 * replaces the earlier output in place (both kernels).
 *
 * @example
 * ```ts
 * import { display } from "./display.ts";
 * await display({ "text/html": "<b>bold</b>", "text/plain": "bold" });
 * ```
 */
export async function display(
  bundle: MimeBundle,
  options: { displayId?: string; update?: boolean } = {},
): Promise<void> {
  const deno = denoJupyter();
  if (deno) {
    settleDenoOutput();
    await deno.display(bundle, {
      raw: true,
      update: options.update ?? false,
      display_id: options.displayId,
    });
    return;
  }
  const ts = tslabKernel();
  if (ts) {
    const write = ts.writer();
    const transient = options.displayId ? { display_id: options.displayId } : {};
    if (write) {
      write({ data: bundle, metadata: {}, transient }, options.update ?? false);
    } else {
      const type = ONE_TYPE_ORDER.find((t) => t in bundle);
      if (type) ts.display.raw(type, bundle[type]);
    }
    return;
  }
  if (!options.update) console.log(String(bundle["text/plain"] ?? "[rich output]"));
}

// ---------------------------------------------------------------------------------------
// Plotly figures

/** A plotly trace: `{ type: "scatter", x, y, ... }`. Layout and config are plotly's too. */
export type Trace = Record<string, unknown>;
/** A plotly layout. */
export type Layout = Record<string, unknown>;

/** A plotly figure: traces, layout, config. */
export interface Figure {
  /** The traces. */
  data: Trace[];
  /** The layout. */
  layout?: Layout;
  /** plotly's config. */
  config?: Record<string, unknown>;
}

let counter = 0;

/** A short description of a figure for consoles and `text/plain`. */
export function describeFigure(fig: Figure): string {
  const title = (fig.layout?.title as { text?: string } | string | undefined) ?? "";
  const name = typeof title === "string" ? title : title.text ?? "";
  const traces = fig.data.map((t) => {
    const n = Array.isArray(t.y) && t.type !== "heatmap"
      ? t.y.length
      : Array.isArray(t.z)
      ? t.z.length
      : Array.isArray(t.x)
      ? t.x.length
      : 0;
    return `${t.type ?? "scatter"}${t.name ? ` "${t.name}"` : ""} (${n} ${
      t.type === "heatmap" || t.type === "image" ? "rows" : "points"
    })`;
  });
  return `[plotly figure${name ? ` "${name}"` : ""}: ${traces.join(", ")}]`;
}

/** The MIME bundle of a figure. `divId` names the HTML element (unique by default). */
export function figureBundle(
  fig: Figure,
  divId = `vqvar-plot-${Date.now().toString(36)}-${counter++}`,
): MimeBundle {
  const layout: Layout = { ...fig.layout };
  const config = { responsive: true, displaylogo: false, ...fig.config };
  const json = JSON.stringify({ data: fig.data, layout, config });
  const html =
    `<div id="${divId}" class="vqvar-plotly" style="width:100%;min-height:${
      Number(layout.height ?? 420)
    }px"></div>\n<script type="text/javascript">(function(){var f=${
      json.replaceAll("</", "<\\/")
    };function draw(){window.Plotly.newPlot("${divId}",f.data,f.layout,f.config);}` +
    `if(window.Plotly){draw();}else{document.addEventListener("DOMContentLoaded",function(){` +
    `if(window.Plotly)draw();});}})();</script>`;
  const bundle: MimeBundle = {
    "application/vnd.plotly.v1+json": { data: fig.data, layout, config },
    "text/html": html,
    "text/plain": describeFigure(fig),
  };
  return bundle;
}

/** Shows a figure inline (see the module comment for where it draws). */
export async function show(fig: Figure): Promise<void> {
  await display(figureBundle(fig));
}

/**
 * A figure that redraws in place: `await live.show()` once, then `await live.update(fig)` as
 * often as you like (redraws are throttled to `minIntervalMs`); `await live.close()` draws
 * the last state. In a terminal only the final figure's summary is printed.
 *
 * How it redraws: every redraw replaces the output (Jupyter's `update_display_data`, under
 * both kernels). JupyterLab's plotly renderer draws a figure once and ignores later data for
 * the same output, but it is replaced by a new renderer when the output's MIME type changes;
 * so a redraw is two updates: a blank of the figure's height (HTML), then the new figure.
 * The saved notebook, the exported HTML and the headless runner keep the last figure.
 *
 * @example
 * ```ts
 * import { LiveFigure } from "./display.ts";
 * const live = new LiveFigure({ data: [{ type: "scatter", y: [] }] });
 * await live.show();
 * for (let step = 1; step <= 3; step++) {
 *   await live.update({ data: [{ type: "scatter", y: [3, 2, 1].slice(0, step) }] });
 * }
 * await live.close();
 * ```
 */
export class LiveFigure {
  /** The id that ties the redraws to the first output. */
  readonly displayId = `vqvar-live-${Date.now().toString(36)}-${counter++}`;
  private fig: Figure;
  private lastDraw = 0;
  private pending = false;
  private shown = false;

  /** A live figure starting as `fig`; redraws come at most every `minIntervalMs`. */
  constructor(fig: Figure, readonly minIntervalMs = 500) {
    this.fig = fig;
  }

  /** Draws the figure for the first time. */
  async show(): Promise<void> {
    await display(figureBundle(this.fig, this.displayId), { displayId: this.displayId });
    this.shown = true;
    this.lastDraw = Date.now();
  }

  /** Replaces the figure; redraws now unless the last redraw was too recent. */
  async update(fig: Figure): Promise<void> {
    this.fig = fig;
    this.pending = true;
    if (Date.now() - this.lastDraw >= this.minIntervalMs) await this.redraw();
  }

  /** Draws the latest figure if an update is still pending. */
  async close(): Promise<void> {
    if (this.pending) await this.redraw();
    if (!this.shown) await this.show();
  }

  /** Replaces the output with the latest figure (see the class comment). */
  private async redraw(): Promise<void> {
    if (!this.shown) return await this.show();
    const height = Number(this.fig.layout?.height ?? 420);
    await display({
      "text/html": `<div class="vqvar-redrawing" style="height:${height}px"></div>`,
      "text/plain": "",
    }, { displayId: this.displayId, update: true });
    await display(figureBundle(this.fig, this.displayId), {
      displayId: this.displayId,
      update: true,
    });
    this.pending = false;
    this.lastDraw = Date.now();
  }
}
