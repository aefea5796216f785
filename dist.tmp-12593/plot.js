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

// lib/plot.ts
var plot_exports = {};
__export(plot_exports, {
  LiveFigure: () => import_display.LiveFigure,
  bars: () => bars,
  describeFigure: () => import_display.describeFigure,
  figureBundle: () => import_display.figureBundle,
  heatmap: () => heatmap,
  histogram: () => histogram,
  imageGrid: () => imageGrid,
  lineChart: () => lineChart,
  show: () => import_display.show,
  subplots: () => subplots,
  voronoi: () => voronoi
});
module.exports = __toCommonJS(plot_exports);
var import_backend = require("./backend.js");
var import_fast_png = require("fast-png");
var import_node_buffer = require("node:buffer");
var import_display = require("./display.js");
function titled(text) {
  return text ? { text } : void 0;
}
function baseLayout(o, extra = {}) {
  const layout = {
    height: o.height ?? 380,
    margin: { l: 60, r: 20, t: o.title ? 50 : 20, b: 50 },
    ...extra
  };
  if (o.width) layout.width = o.width;
  if (o.title) layout.title = titled(o.title);
  layout.xaxis = { ...extra.xaxis, ...o.xTitle ? { title: titled(o.xTitle) } : {} };
  layout.yaxis = { ...extra.yaxis, ...o.yTitle ? { title: titled(o.yTitle) } : {} };
  return layout;
}
function toArray2D(z) {
  if (Array.isArray(z)) return z;
  if (z.rank !== 2) throw new Error(`heatmap: expected a 2-D tensor [H, W], got [${z.shape}]`);
  return z.arraySync();
}
function toArray1D(v) {
  if (v instanceof import_backend.tf.Tensor) return Array.from(v.dataSync());
  return Array.from(v);
}
function lineChart(series, o = {}) {
  const data = series.map((s) => {
    const y = toArray1D(s.y);
    return {
      type: "scatter",
      mode: s.mode ?? "lines",
      name: s.name,
      x: s.x ? Array.from(s.x) : y.map((_, i) => i),
      y,
      line: s.dash ? { dash: s.dash } : void 0,
      yaxis: s.y2 ? "y2" : void 0
    };
  });
  const layout = baseLayout(o, { yaxis: o.logY ? { type: "log" } : {} });
  if (series.some((s) => s.y2)) {
    layout.yaxis2 = { overlaying: "y", side: "right", title: titled(o.y2Title) };
    layout.margin = { ...layout.margin, r: 60 };
  }
  return { data, layout };
}
function heatmap(z, o = {}) {
  const zz = toArray2D(z);
  const trace = {
    type: "heatmap",
    z: zz,
    colorscale: o.colorscale ?? "Viridis",
    zmin: o.zmin,
    zmax: o.zmax,
    showscale: o.showScale ?? true
  };
  if (o.x) trace.x = o.x;
  if (o.y) trace.y = o.y;
  if (o.text) {
    trace.text = o.text === true ? zz.map((r) => r.map((v) => `${+v.toFixed(3)}`)) : o.text;
    trace.texttemplate = "%{text}";
    trace.textfont = { size: 10 };
  }
  const yaxis = o.originBottom ? {} : { autorange: "reversed" };
  if (o.square) Object.assign(yaxis, { scaleanchor: "x", constrain: "domain" });
  return { data: [trace], layout: baseLayout(o, { yaxis, xaxis: { constrain: "domain" } }) };
}
function bars(x, y, o = {}) {
  return {
    data: [{
      type: "bar",
      x,
      y: toArray1D(y),
      name: o.name,
      marker: o.color ? { color: o.color } : void 0
    }],
    layout: baseLayout(o)
  };
}
function histogram(values, o = {}) {
  const x = toArray1D(values);
  return {
    data: [{ type: "histogram", x, name: o.name, nbinsx: o.bins }],
    layout: baseLayout(o, { bargap: 0.05 })
  };
}
function imageGrid(xBhwc, o = {}) {
  if (xBhwc.rank !== 4 || ![1, 3].includes(xBhwc.shape[3])) {
    throw new Error(`imageGrid: expected images [B, H, W, 1 | 3], got [${xBhwc.shape}]`);
  }
  const [b, h, w] = xBhwc.shape;
  const cols = Math.max(1, Math.min(o.cols ?? 8, b));
  const rows = Math.ceil(b / cols);
  const pad = o.pad ?? 2;
  const [lo, hi] = o.range ?? [0, 1];
  const scale = o.scale ?? Math.max(1, Math.min(6, Math.round(90 / w)));
  const band = o.labels?.some((l) => l) ? Math.ceil(14 / scale) : 0;
  const tileH = h + pad + band, tileW = w + pad;
  const height = rows * tileH + pad, width = cols * tileW + pad;
  const pixels = import_backend.tf.tidy(() => {
    const rgb2 = xBhwc.shape[3] === 1 ? import_backend.tf.tile(xBhwc, [1, 1, 1, 3]) : xBhwc;
    const scaled = rgb2.sub(lo).div(hi - lo).clipByValue(0, 1).mul(255);
    const padded = import_backend.tf.pad(scaled, [[0, rows * cols - b], [pad, band], [pad, 0], [0, 0]], 255);
    const tiled = padded.reshape([rows, cols, tileH, tileW, 3]).transpose([0, 2, 1, 3, 4]).reshape([rows * tileH, cols * tileW, 3]);
    return import_backend.tf.pad(tiled, [[0, pad], [0, pad], [0, 0]], 255).round().toInt();
  });
  const rgb = new Uint8Array(pixels.dataSync());
  pixels.dispose();
  const png = import_node_buffer.Buffer.from((0, import_fast_png.encode)({ width, height, data: rgb, channels: 3, depth: 8 })).toString("base64");
  const data = { type: "image", source: `data:image/png;base64,${png}`, hoverinfo: "skip" };
  const annotations = (o.labels ?? []).slice(0, b).map((text, i) => ({
    text,
    x: i % cols * tileW + pad + w / 2,
    y: Math.floor(i / cols) * tileH + pad + h + band / 2,
    xref: "x",
    yref: "y",
    yanchor: "middle",
    showarrow: false,
    font: { size: 10 }
  }));
  const layout = baseLayout(o, {
    height: o.height ?? Math.round(height * scale + (o.title ? 60 : 20)),
    width: o.width ?? Math.round(width * scale + 20),
    margin: { l: 10, r: 10, t: o.title ? 50 : 10, b: 10 },
    xaxis: { visible: false },
    yaxis: { visible: false },
    annotations
  });
  return { data: [data], layout };
}
var CATEGORY_COLORS = [
  "#4c78a8",
  "#f58518",
  "#54a24b",
  "#e45756",
  "#72b7b2",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac"
];
function voronoi(pointsN2, codesV2, assign, o = {}) {
  if (pointsN2.rank !== 2 || pointsN2.shape[1] !== 2 || codesV2.shape[1] !== 2) {
    throw new Error(
      `voronoi: expected points [N, 2] and codes [V, 2], got [${pointsN2.shape}] and [${codesV2.shape}]`
    );
  }
  const pts = pointsN2.arraySync();
  const codes = codesV2.arraySync();
  let extent = o.extent;
  if (!extent) {
    const xs = [...pts, ...codes].map((p) => p[0]), ys = [...pts, ...codes].map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const mx = 0.1 * (x1 - x0 || 1), my = 0.1 * (y1 - y0 || 1);
    extent = [x0 - mx, x1 + mx, y0 - my, y1 + my];
  }
  const n = o.resolution ?? 150;
  const gx = Array.from({ length: n }, (_, i) => extent[0] + (extent[1] - extent[0]) * i / (n - 1));
  const gy = Array.from({ length: n }, (_, i) => extent[2] + (extent[3] - extent[2]) * i / (n - 1));
  const [cells, pointCodes] = import_backend.tf.tidy(() => {
    const grid = import_backend.tf.stack(
      [import_backend.tf.tile(import_backend.tf.tensor1d(gx), [n]), import_backend.tf.tensor1d(gy).reshape([n, 1]).tile([1, n]).reshape([-1])],
      1
    );
    return [assign(grid).dataSync(), assign(pointsN2).dataSync()];
  });
  const v = codes.length;
  const z = [];
  for (let r = 0; r < n; r++) z.push(Array.from(cells.subarray(r * n, (r + 1) * n)));
  const colorscale = [];
  for (let k = 0; k < v; k++) {
    const c = CATEGORY_COLORS[k % CATEGORY_COLORS.length];
    colorscale.push([k / v, c], [(k + 1) / v, c]);
  }
  const used = new Set(Array.from(pointCodes));
  const data = [
    {
      type: "heatmap",
      x: gx,
      y: gy,
      z,
      zmin: -0.5,
      zmax: v - 0.5,
      colorscale,
      opacity: 0.25,
      showscale: false,
      hovertemplate: "code %{z}<extra></extra>"
    },
    {
      type: "scattergl",
      mode: "markers",
      name: "data",
      x: pts.map((p) => p[0]),
      y: pts.map((p) => p[1]),
      marker: {
        size: 4,
        color: o.colorPoints === false ? "#555" : Array.from(pointCodes).map((k) => CATEGORY_COLORS[k % CATEGORY_COLORS.length]),
        opacity: 0.7
      },
      hoverinfo: "skip"
    },
    {
      type: "scatter",
      mode: "markers",
      name: "codes",
      x: codes.map((c) => c[0]),
      y: codes.map((c) => c[1]),
      text: codes.map((_, k) => `code ${k}${used.has(k) ? "" : " (unused)"}`),
      hoverinfo: "text",
      marker: {
        size: 11,
        symbol: codes.map(
          (_, k) => o.markUnused !== false && !used.has(k) ? "x-thin-open" : "diamond"
        ),
        color: "black",
        line: { width: 2, color: "black" }
      }
    }
  ];
  const layout = baseLayout(o, {
    // Equal scale by shrinking the plot area ("domain"), not by widening the ranges.
    xaxis: { range: [extent[0], extent[1]], constrain: "domain" },
    yaxis: { range: [extent[2], extent[3]], scaleanchor: "x", constrain: "domain" },
    showlegend: false
  });
  return { data, layout };
}
function subplots(figs, o = {}) {
  const cols = Math.max(1, Math.min(o.cols ?? figs.length, figs.length));
  const rows = Math.ceil(figs.length / cols);
  const gapX = o.gap ?? 0.06, gapY = 0.12;
  const w = (1 - gapX * (cols - 1)) / cols, h = (1 - gapY * (rows - 1)) / rows;
  const data = [];
  const layout = {
    height: o.height ?? 330 * rows,
    margin: { l: 50, r: 20, t: o.title ? 80 : 50, b: 40 },
    showlegend: o.legend ?? false,
    annotations: []
  };
  if (o.legend) layout.legend = { orientation: "h", y: -0.12 };
  if (o.width) layout.width = o.width;
  if (o.title) layout.title = titled(o.title);
  figs.forEach((fig, i) => {
    const n = i + 1, r = Math.floor(i / cols), c = i % cols;
    const xName = `x${n === 1 ? "" : n}`, yName = `y${n === 1 ? "" : n}`;
    const domainX = [c * (w + gapX), c * (w + gapX) + w];
    const domainY = [1 - r * (h + gapY) - h, 1 - r * (h + gapY)];
    const fl = fig.layout ?? {};
    const renameAnchor = (ax) => {
      const out = { ...ax };
      if (out.scaleanchor === "x") out.scaleanchor = xName;
      if (out.scaleanchor === "y") out.scaleanchor = yName;
      return out;
    };
    layout[`xaxis${n === 1 ? "" : n}`] = {
      ...renameAnchor(fl.xaxis ?? {}),
      domain: domainX,
      anchor: yName
    };
    layout[`yaxis${n === 1 ? "" : n}`] = {
      ...renameAnchor(fl.yaxis ?? {}),
      domain: domainY,
      anchor: xName
    };
    fig.data.forEach((t, j) => {
      const trace = { ...t, xaxis: xName, yaxis: yName };
      if (t.type === "heatmap") trace.showscale = false;
      if (o.legend && (t.type === "scatter" || t.type === "bar")) {
        const color = CATEGORY_COLORS[j % CATEGORY_COLORS.length];
        trace.legendgroup = `g${j}`;
        trace.showlegend = i === 0;
        trace.line = { ...t.line, color };
        trace.marker = { ...t.marker, color };
      }
      data.push(trace);
    });
    const title = fl.title;
    if (title?.text) {
      layout.annotations.push({
        text: `<b>${title.text}</b>`,
        x: (domainX[0] + domainX[1]) / 2,
        y: domainY[1],
        xref: "paper",
        yref: "paper",
        xanchor: "center",
        yanchor: "bottom",
        showarrow: false,
        font: { size: 13 }
      });
    }
    for (const a of fl.annotations ?? []) {
      layout.annotations.push({
        ...a,
        xref: a.xref === "x" ? xName : a.xref,
        yref: a.yref === "y" ? yName : a.yref
      });
    }
  });
  return { data, layout };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  LiveFigure,
  bars,
  describeFigure,
  figureBundle,
  heatmap,
  histogram,
  imageGrid,
  lineChart,
  show,
  subplots,
  voronoi
});
//# sourceMappingURL=plot.js.map
