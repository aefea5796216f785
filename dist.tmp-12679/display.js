var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/display.ts
var display_exports = {};
__export(display_exports, {
  LiveFigure: () => LiveFigure,
  describeFigure: () => describeFigure,
  display: () => display,
  displayTarget: () => displayTarget,
  figureBundle: () => figureBundle,
  show: () => show
});
module.exports = __toCommonJS(display_exports);
var import_node_process = __toESM(require("node:process"));
var import_node_module = require("node:module");
function denoJupyter() {
  const deno = globalThis.Deno;
  try {
    return deno?.jupyter;
  } catch {
    return void 0;
  }
}
var tslab;
function tslabKernel() {
  if (tslab === void 0) {
    tslab = null;
    if (!globalThis.Deno && import_node_process.default.argv.some((a) => /tslab/.test(a))) {
      try {
        const req = (0, import_node_module.createRequire)(import_node_process.default.argv[1] ?? `${import_node_process.default.cwd()}/`);
        const pub = req("tslab");
        let internals = {};
        try {
          internals = req("tslab/dist/jupyter");
        } catch {
        }
        tslab = { display: pub.display, writer: () => internals.lastWriteDisplayData ?? null };
      } catch {
        tslab = null;
      }
    }
  }
  return tslab ?? void 0;
}
function displayTarget() {
  if (denoJupyter()) return "deno-jupyter";
  if (tslabKernel()) return "tslab";
  return "console";
}
var ONE_TYPE_ORDER = [
  "application/vnd.plotly.v1+json",
  "text/html",
  "image/svg+xml",
  "image/png",
  "text/plain"
];
async function display(bundle, options = {}) {
  const deno = denoJupyter();
  if (deno) {
    await deno.display(bundle, {
      raw: true,
      update: options.update ?? false,
      display_id: options.displayId
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
var counter = 0;
function describeFigure(fig) {
  const title = fig.layout?.title ?? "";
  const name = typeof title === "string" ? title : title.text ?? "";
  const traces = fig.data.map((t) => {
    const n = Array.isArray(t.y) && t.type !== "heatmap" ? t.y.length : Array.isArray(t.z) ? t.z.length : Array.isArray(t.x) ? t.x.length : 0;
    return `${t.type ?? "scatter"}${t.name ? ` "${t.name}"` : ""} (${n} ${t.type === "heatmap" || t.type === "image" ? "rows" : "points"})`;
  });
  return `[plotly figure${name ? ` "${name}"` : ""}: ${traces.join(", ")}]`;
}
function figureBundle(fig, divId = `vqvar-plot-${Date.now().toString(36)}-${counter++}`) {
  const layout = { ...fig.layout };
  const config = { responsive: true, displaylogo: false, ...fig.config };
  const json = JSON.stringify({ data: fig.data, layout, config });
  const html = `<div id="${divId}" class="vqvar-plotly" style="width:100%;min-height:${Number(layout.height ?? 420)}px"></div>
<script type="text/javascript">(function(){var f=${json.replaceAll("</", "<\\/")};function draw(){window.Plotly.newPlot("${divId}",f.data,f.layout,f.config);}if(window.Plotly){draw();}else{document.addEventListener("DOMContentLoaded",function(){if(window.Plotly)draw();});}})();</script>`;
  const bundle = {
    "application/vnd.plotly.v1+json": { data: fig.data, layout, config },
    "text/html": html,
    "text/plain": describeFigure(fig)
  };
  return bundle;
}
async function show(fig) {
  await display(figureBundle(fig));
}
var LiveFigure = class {
  /** A live figure starting as `fig`; redraws come at most every `minIntervalMs`. */
  constructor(fig, minIntervalMs = 500) {
    this.minIntervalMs = minIntervalMs;
    this.fig = fig;
  }
  minIntervalMs;
  /** The id that ties the redraws to the first output. */
  displayId = `vqvar-live-${Date.now().toString(36)}-${counter++}`;
  fig;
  lastDraw = 0;
  pending = false;
  shown = false;
  /** Draws the figure for the first time. */
  async show() {
    await display(figureBundle(this.fig, this.displayId), { displayId: this.displayId });
    this.shown = true;
    this.lastDraw = Date.now();
  }
  /** Replaces the figure; redraws now unless the last redraw was too recent. */
  async update(fig) {
    this.fig = fig;
    this.pending = true;
    if (Date.now() - this.lastDraw >= this.minIntervalMs) await this.redraw();
  }
  /** Draws the latest figure if an update is still pending. */
  async close() {
    if (this.pending) await this.redraw();
    if (!this.shown) await this.show();
  }
  async redraw() {
    if (!this.shown) return await this.show();
    const height = Number(this.fig.layout?.height ?? 420);
    await display({
      "text/html": `<div class="vqvar-redrawing" style="height:${height}px"></div>`,
      "text/plain": ""
    }, { displayId: this.displayId, update: true });
    await display(figureBundle(this.fig, this.displayId), {
      displayId: this.displayId,
      update: true
    });
    this.pending = false;
    this.lastDraw = Date.now();
  }
};
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  LiveFigure,
  describeFigure,
  display,
  displayTarget,
  figureBundle,
  show
});
//# sourceMappingURL=display.js.map
