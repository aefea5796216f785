/**
 * plotly figures, shown through one call that works in JupyterLab (plotly's renderer reads
 * `application/vnd.plotly.v1+json`), in exported HTML (`text/html`, which draws with the
 * plotly.js that the notebook runner inlines once per page), and in a plain terminal
 * (`text/plain` summary).
 */
import { display } from "./display.ts";

/** A plotly trace: `{ type: "scatter", x, y, ... }`. Layout and config are plotly's too. */
export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

export interface Figure {
  data: Trace[];
  layout?: Layout;
  config?: Record<string, unknown>;
}

let counter = 0;

/** A short description of a figure for consoles and `text/plain`. */
export function describeFigure(fig: Figure): string {
  const title = (fig.layout?.title as { text?: string } | string | undefined) ?? "";
  const name = typeof title === "string" ? title : title.text ?? "";
  const traces = fig.data.map((t) => {
    const n = Array.isArray(t.y) ? t.y.length : Array.isArray(t.z) ? t.z.length : 0;
    return `${t.type ?? "scatter"}${t.name ? ` "${t.name}"` : ""} (${n} points)`;
  });
  return `[plotly figure${name ? ` "${name}"` : ""}: ${traces.join(", ")}]`;
}

/** The MIME bundle of a figure. `divId` names the HTML element (unique by default). */
export function figureBundle(fig: Figure, divId = `vqvar-plot-${Date.now()}-${counter++}`) {
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
  return {
    "application/vnd.plotly.v1+json": { data: fig.data, layout, config },
    "text/html": html,
    "text/plain": describeFigure(fig),
  };
}

/** Shows a figure inline (see the module comment for where it draws). */
export async function show(fig: Figure): Promise<void> {
  await display(figureBundle(fig));
}
