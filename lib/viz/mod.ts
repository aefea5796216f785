/**
 * Showing it: plotly figures from tensors, rich output under both kernels, live training curves.
 *
 * @module
 */
export { display, displayTarget, settleDenoOutput } from "./display.ts";
export type { DisplayTarget, MimeBundle } from "./display.ts";
export {
  bars,
  describeFigure,
  figureBundle,
  groupedBars,
  heatmap,
  histogram,
  imageGrid,
  lineChart,
  LiveFigure,
  show,
  subplots,
  voronoi,
} from "./plot.ts";
export type {
  Figure,
  FigureOptions,
  ImageGridOptions,
  Layout,
  Series,
  Trace,
  VoronoiOptions,
} from "./plot.ts";
export { LiveTrainingCurves, reconstructionFigure, trainingFigure } from "./training_plots.ts";
