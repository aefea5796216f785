/**
 * Vector quantizers: the Quantizer interface, the single-scale VectorQuantizer, VAR's MultiScaleQuantizer with φ, token orders (next-scale, raster), nearest-code search, straight-through gradients, codebook health.
 *
 * @module
 */
export { fitCodebook } from "./codebook_fit.ts";
export type { FitCodebookOptions, FitRecord, FitResult } from "./codebook_fit.ts";
export { gatherCodes, stopGradient, straightThrough, vqLoss } from "./grad.ts";
export { l2Normalize, nearestCode } from "./nearest.ts";
export type { Distance } from "./nearest.ts";
export {
  codeCounts,
  perplexity,
  perplexityOfCounts,
  usage,
  usageOfCounts,
} from "./codebook_health.ts";
export { kmeansPlusPlus, VectorQuantizer } from "./vector_quantizer.ts";
export type {
  EmaOptions,
  InitMethod,
  RestartOptions,
  VectorQuantizerForward,
  VectorQuantizerOptions,
} from "./vector_quantizer.ts";
export { asMultiScale, MultiScaleQuantizer } from "./multiscale.ts";
export { RasterOrder } from "./raster_order.ts";
export type { TokenOrder } from "./token_order.ts";
export type { MultiScaleQuantizerOptions } from "./multiscale.ts";
export type { Quantizer, QuantizerForward, QuantizerRunState } from "./quantizer.ts";
export { Phi } from "./phi.ts";
export type { FoldedPhi, PhiWeights } from "./phi.ts";
export { DeadCodeTracker } from "./dead_codes.ts";
