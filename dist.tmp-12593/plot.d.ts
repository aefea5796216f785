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
import { tf } from "./backend.ts";
import type { Figure } from "./display.ts";
export { describeFigure, figureBundle, LiveFigure, show } from "./display.ts";
export type { Figure, Layout, Trace } from "./display.ts";
/** Options shared by the builders. */
export interface FigureOptions {
    title?: string;
    height?: number;
    width?: number;
    xTitle?: string;
    yTitle?: string;
}
/** One curve of a line chart. */
export interface Series {
    name?: string;
    x?: ArrayLike<number>;
    y: ArrayLike<number> | tf.Tensor;
    mode?: "lines" | "markers" | "lines+markers";
    dash?: "solid" | "dash" | "dot";
    /** Draw against a second y axis on the right. */
    y2?: boolean;
}
/** A line chart of one or more series. */
export declare function lineChart(series: Series[], o?: FigureOptions & {
    logY?: boolean;
    y2Title?: string;
}): Figure;
/** A heatmap of a matrix (row 0 at the top, as an image). */
export declare function heatmap(z: number[][] | tf.Tensor, o?: FigureOptions & {
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
}): Figure;
/** Bars: one value per category. */
export declare function bars(x: (string | number)[], y: ArrayLike<number> | tf.Tensor, o?: FigureOptions & {
    name?: string;
    color?: string | string[];
}): Figure;
/** A histogram of values (plotly bins them in the browser). */
export declare function histogram(values: ArrayLike<number> | tf.Tensor, o?: FigureOptions & {
    bins?: number;
    name?: string;
}): Figure;
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
export declare function imageGrid(xBhwc: tf.Tensor4D, o?: ImageGridOptions): Figure;
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
/**
 * 2-D points, the codebook, and every code's Voronoi cell (the region of the plane whose
 * nearest code it is). `assign` maps vectors `[N, 2]` to their code index (e.g.
 * `(z) => quantizer.nearest(z)`), so cells follow the quantizer's own distance.
 */
export declare function voronoi(pointsN2: tf.Tensor2D, codesV2: tf.Tensor2D, assign: (zN2: tf.Tensor2D) => tf.Tensor1D, o?: VoronoiOptions): Figure;
/**
 * Several figures side by side as subplots of one figure (`cols` per row), each keeping its
 * traces, axis titles and title (as a subplot title).
 */
export declare function subplots(figs: Figure[], o?: {
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
}): Figure;
