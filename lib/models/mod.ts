/**
 * Models: VQ-VAEs (encoder, quantizer, decoder), the next-scale transformer VAR with its mask, the classifier that judges samples, and their layers.
 *
 * @module
 */
export { Conv2D, ResBlock, UpConv2D } from "./nn.ts";
export type { Module } from "./nn.ts";
export { createModel, DEFAULT_CONFIG, patchNumsFor, SimpleVQVAE, VQModel, VQVAE } from "./vqvae.ts";
export type { QuantizerKind, TrainForward, VQVAEConfig } from "./vqvae.ts";
export {
  blockCausalMask,
  editKeepFlags,
  type EditRule,
  levelIndices,
  scaleOffsets,
} from "./var_mask.ts";
export { Classifier } from "./classifier.ts";
export type { ClassifierConfig } from "./classifier.ts";
export { checkVARConfig, DEFAULT_VAR_CONFIG, sampleTokens, VAR } from "./var.ts";
export type { GenerateOptions, VARConfig } from "./var.ts";
