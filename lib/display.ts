/**
 * Rich output that works wherever the code runs: the Deno Jupyter kernel, the tslab kernel,
 * or plain `deno run` / `node` (where a short text summary is printed instead).
 *
 * Plotly figures become one MIME bundle that draws in JupyterLab (plotly's renderer reads
 * `application/vnd.plotly.v1+json`), in exported HTML (`text/html`, drawn by the plotly.js
 * that the notebook runner inlines once per page), in viewers that run no scripts
 * (`image/png` when the figure carries one), under tslab (its HTML) and in a terminal (a
 * `text/plain` summary). This module needs no TensorFlow.js and no other module, so it also
 * runs under tslab on Node, where the rest of the library cannot (see README).
 *
 * A bundle maps MIME types to content, as Jupyter's `display_data` does:
 * `{ "text/html": "<b>hi</b>", "text/plain": "hi" }`.
 */
import process from "node:process";
import { createRequire } from "node:module";

export type MimeBundle = Record<string, unknown>;

/** Where output goes. */
export type DisplayTarget = "deno-jupyter" | "tslab" | "console";

interface DenoJupyter {
  display(
    obj: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ): Promise<void>;
}

interface TslabDisplay {
  raw(contentType: string, content: string | Uint8Array): void;
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

let tslab: TslabDisplay | null | undefined;
function tslabDisplay(): TslabDisplay | undefined {
  if (tslab === undefined) {
    tslab = null;
    if (!(globalThis as { Deno?: unknown }).Deno && process.argv.some((a) => /tslab/.test(a))) {
      try {
        // Resolve tslab from its own launcher (argv[1]); no import.meta here, which Node would
        // take as ES module syntax in tslab's CommonJS output.
        const req = createRequire(process.argv[1] ?? `${process.cwd()}/`);
        tslab = (req("tslab") as { display: TslabDisplay }).display;
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
  if (tslabDisplay()) return "tslab";
  return "console";
}

/**
 * tslab's display takes one MIME type per call; this is the order it tries them in
 * (richest that tslab's frontends render first).
 */
const TSLAB_ORDER = ["text/html", "image/svg+xml", "image/png", "text/plain"];

/**
 * Shows a MIME bundle. With `displayId`, a later call with the same id and `update: true`
 * replaces the earlier output in place (Deno kernel; tslab shows a new output instead).
 */
export async function display(
  bundle: MimeBundle,
  options: { displayId?: string; update?: boolean } = {},
): Promise<void> {
  const deno = denoJupyter();
  if (deno) {
    await deno.display(bundle, {
      raw: true,
      update: options.update ?? false,
      display_id: options.displayId,
    });
    return;
  }
  const ts = tslabDisplay();
  if (ts) {
    const type = TSLAB_ORDER.find((t) => t in bundle);
    if (type) ts.raw(type, String(bundle[type]));
    return;
  }
  if (!options.update) console.log(String(bundle["text/plain"] ?? "[rich output]"));
}

// ---------------------------------------------------------------------------------------
// Plotly figures

/** A plotly trace: `{ type: "scatter", x, y, ... }`. Layout and config are plotly's too. */
export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

export interface Figure {
  data: Trace[];
  layout?: Layout;
  config?: Record<string, unknown>;
  /** A PNG of the figure (base64), the fallback for viewers that run no scripts. */
  png?: string;
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
  if (fig.png) bundle["image/png"] = fig.png;
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
 */
export class LiveFigure {
  readonly displayId = `vqvar-live-${Date.now().toString(36)}-${counter++}`;
  private fig: Figure;
  private lastDraw = 0;
  private pending = false;
  private shown = false;

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

  private async redraw(): Promise<void> {
    if (!this.shown) return await this.show();
    await display(figureBundle(this.fig, this.displayId), {
      displayId: this.displayId,
      update: true,
    });
    this.pending = false;
    this.lastDraw = Date.now();
  }
}
