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
