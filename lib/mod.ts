/**
 * vqvar: vector quantization (VQ-VAE) and VAR's multi-scale residual tokenizer on
 * TensorFlow.js. Tensors are channels-last (NHWC), TensorFlow.js's layout.
 *
 * @module
 */
export * from "./core/mod.ts";
export * from "./data/mod.ts";
export * from "./quant/mod.ts";
export * from "./models/mod.ts";
export * from "./train/mod.ts";
export * from "./viz/mod.ts";
