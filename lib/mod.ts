/**
 * vqvar: vector quantization (VQ-VAE) and VAR's multi-scale residual tokenizer on
 * TensorFlow.js. Tensors are channels-last (NHWC), TensorFlow.js's layout.
 *
 * @module
 */
export { backendFailures, backendName, BACKENDS, tf, versions } from "./backend.ts";
export type { BackendName } from "./backend.ts";
export { display, displayTarget } from "./display.ts";
export type { DisplayTarget, MimeBundle } from "./display.ts";
export { describeFigure, figureBundle, show } from "./plot.ts";
export type { Figure, Layout, Trace } from "./plot.ts";
export { interpolationMatrix, resize, RESIZE_MODES } from "./resize.ts";
export type { ResizeMode } from "./resize.ts";
export { gatherCodes, stopGradient, straightThrough } from "./grad.ts";
export { DEFAULT_CHUNK_ELEMENTS, l2Normalize, nearestCode } from "./nearest.ts";
export type { Distance } from "./nearest.ts";
export {
  codeCounts,
  perplexity,
  perplexityOfCounts,
  usage,
  usageOfCounts,
} from "./codebook_health.ts";
export { kmeansPlusPlus, VectorQuantizer } from "./quantizer.ts";
export type {
  EmaOptions,
  InitMethod,
  QuantizerOutput,
  RestartOptions,
  VectorQuantizerOptions,
} from "./quantizer.ts";
export { checkPatchNums, MultiScaleQuantizer } from "./multiscale.ts";
export type { MultiScaleForward, MultiScaleQuantizerOptions } from "./multiscale.ts";
export { Phi, phiCount, phiIndexForScale } from "./phi.ts";
export type { PhiWeights } from "./phi.ts";
export { seededRandom, shuffledIndices } from "./random.ts";
