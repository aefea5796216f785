var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
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
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/training_plots.ts
var training_plots_exports = {};
__export(training_plots_exports, {
  LiveTrainingCurves: () => LiveTrainingCurves,
  reconstructionFigure: () => reconstructionFigure,
  trainingFigure: () => trainingFigure
});
module.exports = __toCommonJS(training_plots_exports);
var import_backend = require("./backend.js");
var import_plot = require("./plot.js");
function trainingFigure(history, title) {
  const x = history.map((h) => h.step);
  const tested = history.filter((h) => h.test);
  const xt = tested.map((h) => h.step);
  const scales = tested[0]?.test?.usagePerScale.length ?? 0;
  const usage = [{ name: "all scales", x: xt, y: tested.map((h) => 100 * h.test.usage) }];
  if (scales > 1) {
    for (let s = 0; s < scales; s++) {
      usage.push({
        name: `scale ${s + 1}`,
        x: xt,
        y: tested.map((h) => 100 * h.test.usagePerScale[s])
      });
    }
  }
  const fig = (0, import_plot.subplots)([
    (0, import_plot.lineChart)([
      { name: "loss", x, y: history.map((h) => h.loss) },
      { name: "reconstruction", x, y: history.map((h) => h.reconstruction), dash: "dot" }
    ], { title: "training loss", logY: true }),
    (0, import_plot.lineChart)([{
      name: "test PSNR",
      x: xt,
      y: tested.map((h) => h.test.psnr),
      mode: "lines+markers"
    }], {
      title: "test PSNR (dB)"
    }),
    (0, import_plot.lineChart)([{ name: "perplexity", x: xt, y: tested.map((h) => h.test.perplexity) }], {
      title: "codebook perplexity"
    }),
    (0, import_plot.lineChart)(usage.map((u, i) => ({ ...u, dash: i === 0 ? void 0 : "dot" })), {
      title: "codebook usage (%)"
    })
  ], { cols: 4, height: 340, title });
  fig.layout = { ...fig.layout, showlegend: true, legend: { orientation: "h", y: -0.15 } };
  const firstUsage = fig.data.length - usage.length;
  fig.data.forEach((t, i) => t.showlegend = i >= firstUsage);
  return fig;
}
var LiveTrainingCurves = class {
  constructor(title, minIntervalMs = 1e3) {
    this.title = title;
    this.figure = new import_plot.LiveFigure(trainingFigure([], title), minIntervalMs);
  }
  title;
  history = [];
  figure;
  started = false;
  /** The callback for `train({ onMetrics })`. */
  onMetrics = async (m) => {
    const last = this.history[this.history.length - 1];
    if (last?.step === m.step) this.history.pop();
    this.history.push(m);
    if (!this.started) {
      this.started = true;
      await this.figure.show();
    }
    await this.figure.update(trainingFigure(this.history, this.title));
  };
  /** Draws the last state. */
  async close() {
    await this.figure.close();
  }
};
function reconstructionFigure(model, data, indices, o = {}) {
  const cols = o.cols ?? Math.min(10, indices.length);
  const { xBhwc, labels } = data.batch(indices, "01");
  const grid = import_backend.tf.tidy(() => {
    const xHat = model.reconstruct(xBhwc).clipByValue(0, 1);
    const parts = [];
    for (let start = 0; start < indices.length; start += cols) {
      const n = Math.min(cols, indices.length - start);
      parts.push(xBhwc.slice([start], [n]), xHat.slice([start], [n]));
    }
    return import_backend.tf.concat(parts);
  });
  const names = [];
  for (let start = 0; start < indices.length; start += cols) {
    const slice = indices.slice(start, start + cols);
    names.push(...slice.map((k) => data.classNames[data.labels[k]] ?? ""));
    names.push(...slice.map(() => ""));
  }
  const fig = (0, import_plot.imageGrid)(grid, { cols, title: o.title, labels: names });
  import_backend.tf.dispose([grid, xBhwc, labels]);
  return fig;
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  LiveTrainingCurves,
  reconstructionFigure,
  trainingFigure
});
//# sourceMappingURL=training_plots.js.map
