/**
 * Vector quantizers: the Quantizer interface, the single-scale VectorQuantizer, VAR's MultiScaleQuantizer with φ, token orders (next-scale, raster over one map or over every scale), nearest-code search, straight-through gradients, codebook health.
 *
 * @module
 */
export {
  fitCodebook,
  type FitCodebookOptions,
  type FitRecord,
  type FitResult,
} from "./codebook_fit.ts";
export { gatherCodes, stopGradient, straightThrough, vqLoss } from "./grad.ts";
export { type Distance, l2Normalize, nearestCode } from "./nearest.ts";
export {
  codeCounts,
  perplexity,
  perplexityOfCounts,
  usage,
  usageOfCounts,
} from "./codebook_health.ts";
export {
  type EmaOptions,
  type InitMethod,
  kmeansPlusPlus,
  type RestartOptions,
  VectorQuantizer,
  type VectorQuantizerForward,
  type VectorQuantizerOptions,
} from "./vector_quantizer.ts";
export {
  asMultiScale,
  MultiScaleQuantizer,
  type MultiScaleQuantizerOptions,
} from "./multiscale.ts";
export { RasterOrder } from "./raster_order.ts";
export { MultiScaleRasterOrder } from "./scale_raster_order.ts";
export type { TokenOrder } from "./token_order.ts";
export type {
  Quantizer,
  QuantizerForward,
  QuantizerRunState,
  QuantizerStepInputs,
} from "./quantizer.ts";
export { type FoldedPhi, Phi, type PhiWeights } from "./phi.ts";
export { DeadCodeTracker } from "./dead_codes.ts";
export { VAR_INPUT_CACHE_MAX_CONFIGS } from "./var_input.ts";
