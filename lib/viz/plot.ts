/**
 * plotly figures built from tensors and arrays, shown through one call (`show`) that works in
 * JupyterLab under both kernels (plotly's renderer reads `application/vnd.plotly.v1+json`),
 * in exported HTML (`text/html`, drawn by the plotly.js that the notebook runner inlines once
 * per page), and in a terminal (a `text/plain` summary); the notebook runner's browser check
 * adds a PNG rendering of every figure for viewers that run no scripts.
 *
 * The builders (`lineChart`, `heatmap`, `imageGrid`, `bars`, `histogram`, `voronoi`,
 * `subplots`) return plain figure objects, so a notebook can tweak any plotly field before
 * showing it. `LiveFigure` redraws one output in place, for training curves.
 */
import { tf } from "../core/backend.ts";
import type { Figure, Layout, Trace } from "./display.ts";
import { encode as encodePng } from "fast-png";
import { Buffer } from "node:buffer";
import { InputError } from "../core/errors.ts";

export { describeFigure, figureBundle, LiveFigure, show } from "./display.ts";
export type { Figure, Layout, Trace } from "./display.ts";

/** Options shared by the builders. */
export interface FigureOptions {
  /** Figure title. */
  title?: string;
  /** Height in pixels. */
  height?: number;
  /** Width in pixels (default: the output's width). */
  width?: number;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title. */
  yTitle?: string;
}

function titled(text: string | undefined) {
  return text ? { text } : undefined;
}

function baseLayout(o: FigureOptions, extra: Layout = {}): Layout {
  const layout: Layout = {
    height: o.height ?? 380,
    margin: { l: 60, r: 20, t: o.title ? 50 : 20, b: 50 },
    ...extra,
  };
  if (o.width) layout.width = o.width;
  if (o.title) layout.title = titled(o.title);
  layout.xaxis = { ...(extra.xaxis as Layout), ...(o.xTitle ? { title: titled(o.xTitle) } : {}) };
  layout.yaxis = { ...(extra.yaxis as Layout), ...(o.yTitle ? { title: titled(o.yTitle) } : {}) };
  return layout;
}

/** Plain nested arrays from a tensor or an array. */
function toArray2D(z: number[][] | tf.Tensor): number[][] {
  if (Array.isArray(z)) return z;
  if (z.rank !== 2) throw new InputError(`heatmap: expected a 2-D tensor [H, W], got [${z.shape}]`);
  return z.arraySync() as number[][];
}

function toArray1D(v: ArrayLike<number> | tf.Tensor): number[] {
  if (v instanceof tf.Tensor) return Array.from(v.dataSync());
  return Array.from(v);
}

// ---------------------------------------------------------------------------------------
// Builders

/** One curve of a line chart. */
export interface Series {
  /** Legend name. */
  name?: string;
  /** x values (default 0, 1, 2, …). */
  x?: ArrayLike<number>;
  /** y values. */
  y: ArrayLike<number> | tf.Tensor;
  /** How points are drawn (default lines). */
  mode?: "lines" | "markers" | "lines+markers";
  /** Line style. */
  dash?: "solid" | "dash" | "dot";
  /** Draw against a second y axis on the right. */
  y2?: boolean;
  /** Error bars: ± this much at each point (e.g. half a 95 % interval). */
  error?: ArrayLike<number>;
}

/** Plotly's symmetric error bars of ± `e`, or nothing. */
function errorBars(e: ArrayLike<number> | undefined) {
  return e ? { type: "data", array: Array.from(e), visible: true } : undefined;
}

/**
 * A line chart of one or more series; `logX` / `logY` draw that axis on a log scale (a power
 * law `y = a·x^k` is then a straight line of slope k on a log–log chart).
 */
export function lineChart(
  series: Series[],
  o: FigureOptions & { logX?: boolean; logY?: boolean; y2Title?: string } = {},
): Figure {
  const data = series.map((s) => {
    const y = toArray1D(s.y);
    return {
      type: "scatter",
      mode: s.mode ?? "lines",
      name: s.name,
      x: s.x ? Array.from(s.x) : y.map((_, i) => i),
      y,
      line: s.dash ? { dash: s.dash } : undefined,
      yaxis: s.y2 ? "y2" : undefined,
      error_y: errorBars(s.error),
    };
  });
  const layout = baseLayout(o, {
    xaxis: o.logX ? { type: "log" } : {},
    yaxis: o.logY ? { type: "log" } : {},
  });
  if (series.some((s) => s.y2)) {
    layout.yaxis2 = { overlaying: "y", side: "right", title: titled(o.y2Title) };
    layout.margin = { ...(layout.margin as Layout), r: 60 };
  }
  return { data, layout };
}

/** A heatmap of a matrix (row 0 at the top, as an image). */
export function heatmap(
  z: number[][] | tf.Tensor,
  o: FigureOptions & {
    colorscale?: string | [number, string][];
    zmin?: number;
    zmax?: number;
    showScale?: boolean;
    /** Text drawn in every cell (e.g. the code index); `true` draws the values. */
    text?: (string | number)[][] | boolean;
    x?: (string | number)[];
    y?: (string | number)[];
    /** Row 0 at the bottom instead (a plot, not an image). */
    originBottom?: boolean;
    /** Square cells. */
    square?: boolean;
  } = {},
): Figure {
  const zz = toArray2D(z);
  const trace: Trace = {
    type: "heatmap",
    z: zz,
    colorscale: o.colorscale ?? "Viridis",
    zmin: o.zmin,
    zmax: o.zmax,
    showscale: o.showScale ?? true,
  };
  if (o.x) trace.x = o.x;
  if (o.y) trace.y = o.y;
  if (o.text) {
    trace.text = o.text === true ? zz.map((r) => r.map((v) => `${+v.toFixed(3)}`)) : o.text;
    trace.texttemplate = "%{text}";
    trace.textfont = { size: 10 };
  }
  const yaxis: Layout = o.originBottom ? {} : { autorange: "reversed" };
  if (o.square) Object.assign(yaxis, { scaleanchor: "x", constrain: "domain" });
  return { data: [trace], layout: baseLayout(o, { yaxis, xaxis: { constrain: "domain" } }) };
}

/** Bars: one value per category (with `error`, ± error bars). */
export function bars(
  x: (string | number)[],
  y: ArrayLike<number> | tf.Tensor,
  o: FigureOptions & { name?: string; color?: string | string[]; error?: ArrayLike<number> } = {},
): Figure {
  return {
    data: [{
      type: "bar",
      x,
      y: toArray1D(y),
      name: o.name,
      marker: o.color ? { color: o.color } : undefined,
      error_y: errorBars(o.error),
    }],
    layout: baseLayout(o),
  };
}

/**
 * Bars in groups: for each category of `x`, one bar per group side by side (a legend names the
 * groups), each with its ± `error` bars if given.
 *
 * @example
 * ```ts
 * import { groupedBars } from "vqvar";
 * const fig = groupedBars(["FID", "recall"], [
 *   { name: "next-scale", y: [4.5, 0.44], error: [0.3, 0.02] },
 *   { name: "raster", y: [2.1, 0.65], error: [0.2, 0.03] },
 * ], { title: "two orders" });
 * console.assert(fig.data.length === 2);
 * ```
 */
export function groupedBars(
  x: (string | number)[],
  groups: { name: string; y: ArrayLike<number>; error?: ArrayLike<number> }[],
  o: FigureOptions = {},
): Figure {
  return {
    data: groups.map((g) => ({
      type: "bar",
      x,
      y: Array.from(g.y),
      name: g.name,
      error_y: errorBars(g.error),
    })),
    layout: { ...baseLayout(o), barmode: "group", showlegend: true },
  };
}

/** A histogram of values (plotly bins them in the browser). */
export function histogram(
  values: ArrayLike<number> | tf.Tensor,
  o: FigureOptions & { bins?: number; name?: string } = {},
): Figure {
  const x = toArray1D(values);
  return {
    data: [{ type: "histogram", x, name: o.name, nbinsx: o.bins }],
    layout: baseLayout(o, { bargap: 0.05 }),
  };
}

/** Options of `imageGrid`. */
export interface ImageGridOptions extends FigureOptions {
  /** Images per row (default: up to 8). */
  cols?: number;
  /** A caption under every image. */
  labels?: string[];
  /** Pixel range of the input (default `[0, 1]`). */
  range?: [number, number];
  /** Gap between images, in pixels of the image. */
  pad?: number;
  /** Screen pixels per image pixel (default: images ~90 px wide). */
  scale?: number;
}

/**
 * A grid of images `xBhwc` (`[B, H, W, 1 | 3]`, values in `range`) tiled into one picture.
 * Each image keeps its pixels (no smoothing); the figure also carries a PNG of the tiling.
 */
export function imageGrid(xBhwc: tf.Tensor4D, o: ImageGridOptions = {}): Figure {
  if (xBhwc.rank !== 4 || ![1, 3].includes(xBhwc.shape[3])) {
    throw new InputError(`imageGrid: expected images [B, H, W, 1 | 3], got [${xBhwc.shape}]`);
  }
  const [b, h, w] = xBhwc.shape;
  const cols = Math.max(1, Math.min(o.cols ?? 8, b));
  const rows = Math.ceil(b / cols);
  const pad = o.pad ?? 2;
  const [lo, hi] = o.range ?? [0, 1];
  const scale = o.scale ?? Math.max(1, Math.min(6, Math.round(90 / w)));
  // Captions sit in a white band under each row, about 14 screen pixels high.
  const band = o.labels?.some((l) => l) ? Math.ceil(14 / scale) : 0;
  const tileH = h + pad + band, tileW = w + pad;
  const height = rows * tileH + pad, width = cols * tileW + pad;
  // Tiled uint8 RGB picture [height, width, 3], white gaps.
  const pixels = tf.tidy(() => {
    const rgb = xBhwc.shape[3] === 1 ? tf.tile(xBhwc, [1, 1, 1, 3]) : xBhwc;
    const scaled = rgb.sub(lo).div(hi - lo).clipByValue(0, 1).mul(255);
    const padded = tf.pad(scaled, [[0, rows * cols - b], [pad, band], [pad, 0], [0, 0]], 255);
    const tiled = padded
      .reshape([rows, cols, tileH, tileW, 3])
      .transpose([0, 2, 1, 3, 4])
      .reshape([rows * tileH, cols * tileW, 3]);
    return tf.pad(tiled, [[0, pad], [0, pad], [0, 0]], 255).round().toInt();
  });
  const rgb = new Uint8Array(pixels.dataSync());
  pixels.dispose();
  const png = Buffer.from(encodePng({ width, height, data: rgb, channels: 3, depth: 8 }))
    .toString("base64");
  // The trace draws the PNG pixel for pixel: compact, and exact.
  const data: Trace = { type: "image", source: `data:image/png;base64,${png}`, hoverinfo: "skip" };
  const annotations = (o.labels ?? []).slice(0, b).map((text, i) => ({
    text,
    x: (i % cols) * tileW + pad + w / 2,
    y: Math.floor(i / cols) * tileH + pad + h + band / 2,
    xref: "x",
    yref: "y",
    yanchor: "middle",
    showarrow: false,
    font: { size: 10 },
  }));
  const layout = baseLayout(o, {
    height: o.height ?? Math.round(height * scale + (o.title ? 60 : 20)),
    width: o.width ?? Math.round(width * scale + 20),
    margin: { l: 10, r: 10, t: o.title ? 50 : 10, b: 10 },
    xaxis: { visible: false },
    yaxis: { visible: false },
    annotations,
  });
  return { data: [data], layout };
}

/** Options of `voronoi`. */
export interface VoronoiOptions extends FigureOptions {
  /**
   * The grid's extent `[xmin, xmax, ymin, ymax]` (default: the bounding box of the points and
   * the codes + 10 %). The axes show exactly this extent, at equal scale.
   */
  extent?: [number, number, number, number];
  /** Grid cells per axis (default 150). */
  resolution?: number;
  /** Colour the points by their code. */
  colorPoints?: boolean;
  /** Mark codes that no point uses with a hollow marker. */
  markUnused?: boolean;
}

const CATEGORY_COLORS = [
  "#4c78a8",
  "#f58518",
  "#54a24b",
  "#e45756",
  "#72b7b2",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
];

/**
 * 2-D points, the codebook, and every code's Voronoi cell (the region of the plane whose
 * nearest code it is). `assign` maps vectors `[N, 2]` to their code index (e.g.
 * `(z) => quantizer.nearest(z)`), so cells follow the quantizer's own distance.
 */
export function voronoi(
  pointsN2: tf.Tensor2D,
  codesV2: tf.Tensor2D,
  assign: (zN2: tf.Tensor2D) => tf.Tensor1D,
  o: VoronoiOptions = {},
): Figure {
  if (pointsN2.rank !== 2 || pointsN2.shape[1] !== 2 || codesV2.shape[1] !== 2) {
    throw new InputError(
      `voronoi: expected points [N, 2] and codes [V, 2], got [${pointsN2.shape}] and [${codesV2.shape}]`,
    );
  }
  const pts = pointsN2.arraySync();
  const codes = codesV2.arraySync();
  const extent = o.extent ?? extentOf([...pts, ...codes]);
  const n = o.resolution ?? 150;
  const gx = Array.from({ length: n }, (_, i) => extent[0] + (extent[1] - extent[0]) * i / (n - 1));
  const gy = Array.from({ length: n }, (_, i) => extent[2] + (extent[3] - extent[2]) * i / (n - 1));
  const [cells, pointCodes] = tf.tidy(() => {
    const grid = tf.stack(
      [tf.tile(tf.tensor1d(gx), [n]), tf.tensor1d(gy).reshape([n, 1]).tile([1, n]).reshape([-1])],
      1,
    ) as tf.Tensor2D;
    return [assign(grid).dataSync(), assign(pointsN2).dataSync()];
  });
  const z: number[][] = [];
  for (let r = 0; r < n; r++) z.push(Array.from(cells.subarray(r * n, (r + 1) * n)));
  const data = [
    cellsTrace(gx, gy, z, codes.length),
    pointsTrace(pts, o.colorPoints === false ? undefined : Array.from(pointCodes)),
    codesTrace(codes, new Set(Array.from(pointCodes)), o.markUnused !== false),
  ];
  const layout = baseLayout(o, {
    // Equal scale by shrinking the plot area ("domain"), not by widening the ranges.
    xaxis: { range: [extent[0], extent[1]], constrain: "domain" },
    yaxis: { range: [extent[2], extent[3]], scaleanchor: "x", constrain: "domain" },
    showlegend: false,
  });
  return { data, layout };
}

/** `[x0, x1, y0, y1]` around 2-D points, with a 10 % margin. */
function extentOf(points: number[][]): [number, number, number, number] {
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const mx = 0.1 * (x1 - x0 || 1), my = 0.1 * (y1 - y0 || 1);
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

/** The Voronoi cells: a heatmap of each grid point's code, one pale colour per code. */
function cellsTrace(gx: number[], gy: number[], z: number[][], v: number): Trace {
  const colorscale: [number, string][] = [];
  for (let k = 0; k < v; k++) {
    const c = CATEGORY_COLORS[k % CATEGORY_COLORS.length];
    colorscale.push([k / v, c], [(k + 1) / v, c]);
  }
  return {
    type: "heatmap",
    x: gx,
    y: gy,
    z,
    zmin: -0.5,
    zmax: v - 0.5,
    colorscale,
    opacity: 0.25,
    showscale: false,
    hovertemplate: "code %{z}<extra></extra>",
  };
}

/**
 * The data points, coloured by their code (`codes`), or grey. SVG, not WebGL (`scattergl`): the
 * notebooks draw at most a few thousand points, which SVG draws as fast, while each WebGL figure
 * takes one of the browser's few WebGL contexts (about 16 per page; older figures go blank past
 * that) and, without a GPU, costs a software-rendered context per figure.
 */
function pointsTrace(pts: number[][], codes?: number[]): Trace {
  return {
    type: "scatter",
    mode: "markers",
    name: "data",
    x: pts.map((p) => p[0]),
    y: pts.map((p) => p[1]),
    marker: {
      size: 4,
      color: codes ? codes.map((k) => CATEGORY_COLORS[k % CATEGORY_COLORS.length]) : "#555",
      opacity: 0.7,
    },
    hoverinfo: "skip",
  };
}

/** The codes: diamonds, or crosses for codes no point uses (when `markUnused`). */
function codesTrace(codes: number[][], used: Set<number>, markUnused: boolean): Trace {
  return {
    type: "scatter",
    mode: "markers",
    name: "codes",
    x: codes.map((c) => c[0]),
    y: codes.map((c) => c[1]),
    text: codes.map((_, k) => `code ${k}${used.has(k) ? "" : " (unused)"}`),
    hoverinfo: "text",
    marker: {
      size: 11,
      symbol: codes.map((_, k) => markUnused && !used.has(k) ? "x-thin-open" : "diamond"),
      color: "black",
      line: { width: 2, color: "black" },
    },
  };
}

/**
 * Several figures side by side as subplots of one figure (`cols` per row), each keeping its
 * traces, axis titles and title (as a subplot title).
 */
export function subplots(
  figs: Figure[],
  o: {
    cols?: number;
    title?: string;
    height?: number;
    width?: number;
    gap?: number;
    /**
     * One shared legend: the i-th trace of every subplot gets the i-th colour and the name of
     * the first subplot's i-th trace (for the same runs drawn in several panels).
     */
    legend?: boolean;
  } = {},
): Figure {
  const cols = Math.max(1, Math.min(o.cols ?? figs.length, figs.length));
  const rows = Math.ceil(figs.length / cols);
  const gapX = o.gap ?? 0.06, gapY = 0.12;
  const w = (1 - gapX * (cols - 1)) / cols, h = (1 - gapY * (rows - 1)) / rows;
  const data: Trace[] = [];
  const layout: Layout = {
    height: o.height ?? 330 * rows,
    margin: { l: 50, r: 20, t: o.title ? 80 : 50, b: 40 },
    showlegend: o.legend ?? false,
    annotations: [] as Layout[],
  };
  if (o.legend) {
    // Below the plots, and below the x-axis titles when there are any (55 px: a title's room).
    const xTitled = figs.some((f) => (f.layout?.xaxis as Layout | undefined)?.title);
    const margin = layout.margin as { t: number; b: number };
    if (xTitled) margin.b = 90;
    const plotPx = (layout.height as number) - margin.t - margin.b;
    layout.legend = { orientation: "h", yanchor: "top", y: xTitled ? -55 / plotPx : -0.12 };
  }
  if (o.width) layout.width = o.width;
  if (o.title) layout.title = titled(o.title);
  figs.forEach((fig, i) => {
    const r = Math.floor(i / cols), c = i % cols;
    const domainX = [c * (w + gapX), c * (w + gapX) + w];
    const domainY = [1 - r * (h + gapY) - h, 1 - r * (h + gapY)];
    placeSubplot(fig, i, { x: domainX, y: domainY }, layout, data, o.legend ?? false);
  });
  return { data, layout };
}

/**
 * Puts subplot `i` (figure `fig`) into `layout` and `data` at `domain` (paper coordinates):
 * its axes renamed (x2, y2, …), its traces moved onto them, its title and annotations placed.
 */
function placeSubplot(
  fig: Figure,
  i: number,
  domain: { x: number[]; y: number[] },
  layout: Layout,
  data: Trace[],
  legend: boolean,
) {
  const n = i + 1;
  const xName = `x${n === 1 ? "" : n}`, yName = `y${n === 1 ? "" : n}`;
  const fl = fig.layout ?? {};
  const renameAnchor = (ax: Layout) => {
    const out: Layout = { ...ax };
    if (out.scaleanchor === "x") out.scaleanchor = xName;
    if (out.scaleanchor === "y") out.scaleanchor = yName;
    return out;
  };
  const xaxis = { ...renameAnchor((fl.xaxis as Layout) ?? {}), domain: domain.x, anchor: yName };
  const yaxis = { ...renameAnchor((fl.yaxis as Layout) ?? {}), domain: domain.y, anchor: xName };
  layout[`xaxis${n === 1 ? "" : n}`] = xaxis;
  layout[`yaxis${n === 1 ? "" : n}`] = yaxis;
  fig.data.forEach((t, j) => {
    const trace: Trace = { ...t, xaxis: xName, yaxis: yName };
    if (t.type === "heatmap") trace.showscale = false;
    if (legend && (t.type === "scatter" || t.type === "bar")) {
      const color = CATEGORY_COLORS[j % CATEGORY_COLORS.length];
      trace.legendgroup = `g${j}`;
      trace.showlegend = i === 0;
      trace.line = { ...(t.line as Layout), color };
      trace.marker = { ...(t.marker as Layout), color };
    }
    data.push(trace);
  });
  const annotations = layout.annotations as Layout[];
  const title = fl.title as { text?: string } | undefined;
  if (title?.text) {
    annotations.push({
      text: `<b>${title.text}</b>`,
      x: (domain.x[0] + domain.x[1]) / 2,
      y: domain.y[1],
      xref: "paper",
      yref: "paper",
      xanchor: "center",
      yanchor: "bottom",
      showarrow: false,
      font: { size: 13 },
    });
  }
  for (const a of (fl.annotations as Layout[] | undefined) ?? []) {
    annotations.push({
      ...a,
      xref: a.xref === "x" ? xName : a.xref,
      yref: a.yref === "y" ? yName : a.yref,
    });
  }
}
