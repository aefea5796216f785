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
export { bars, describeFigure, figureBundle, heatmap, histogram, imageGrid, lineChart, LiveFigure, show, subplots, voronoi, } from "./plot.ts";
export type { Figure, FigureOptions, ImageGridOptions, Layout, Series, Trace, VoronoiOptions, } from "./plot.ts";
export { fitCodebook } from "./codebook_fit.ts";
export { LiveTrainingCurves, reconstructionFigure, trainingFigure } from "./training_plots.ts";
export type { FitCodebookOptions, FitRecord, FitResult } from "./codebook_fit.ts";
export { interpolationMatrix, resize, RESIZE_MODES } from "./resize.ts";
export type { ResizeMode } from "./resize.ts";
export { gatherCodes, relu, stopGradient, straightThrough, vqLoss } from "./grad.ts";
export { DEFAULT_CHUNK_ELEMENTS, l2Normalize, nearestCode } from "./nearest.ts";
export type { Distance } from "./nearest.ts";
export { codeCounts, perplexity, perplexityOfCounts, usage, usageOfCounts, } from "./codebook_health.ts";
export { kmeansPlusPlus, VectorQuantizer } from "./quantizer.ts";
export type { EmaOptions, InitMethod, QuantizerOutput, RestartOptions, VectorQuantizerOptions, } from "./quantizer.ts";
export { checkPatchNums, MultiScaleQuantizer } from "./multiscale.ts";
export type { MultiScaleForward, MultiScaleQuantizerOptions } from "./multiscale.ts";
export { Phi, phiCount, phiIndexForScale } from "./phi.ts";
export type { PhiWeights } from "./phi.ts";
export { seededRandom, shuffledIndices } from "./random.ts";
export { DeadCodeTracker } from "./dead_codes.ts";
export { encodeIdx, parseIdx, readIdx } from "./idx.ts";
export type { IdxArray } from "./idx.ts";
export { DummyDataset, FASHION_MNIST_CLASSES, ImageDataset, loadFashionMnist, loadTwemoji, } from "./data.ts";
export type { Batch, PixelRange } from "./data.ts";
export { Conv2D, ResBlock, UpConv2D } from "./nn.ts";
export { createModel, DEFAULT_CONFIG, SimpleVQVAE, VQModel, VQVAE } from "./vqvae.ts";
export type { QuantizerKind, TrainForward, VQVAEConfig } from "./vqvae.ts";
export { evaluate, psnrFromMse } from "./metrics.ts";
export type { TestMetrics } from "./metrics.ts";
export { FlatAdam } from "./optim.ts";
export type { FlatAdamOptions } from "./optim.ts";
export { learningRate, train } from "./train.ts";
export { budgetScale, scaledBudget } from "./budget.ts";
export type { MetricsRecord, TrainOptions, TrainResult } from "./train.ts";
export { loadCheckpoint, loadWeightsInto, readCheckpointManifest, saveCheckpoint, } from "./checkpoint.ts";
export type { CheckpointManifest } from "./checkpoint.ts";
export { prepareCodebook } from "./nearest.ts";
export type { PreparedCodebook } from "./nearest.ts";
export { cachedResizeMatrices } from "./resize.ts";
export { blockCausalMask, levelIndices, scaleOffsets } from "./var_mask.ts";
export { Classifier } from "./classifier.ts";
export type { ClassifierConfig } from "./classifier.ts";
export { DEFAULT_VAR_CONFIG, sampleTokens, VAR } from "./var.ts";
export type { GenerateOptions, VARConfig } from "./var.ts";
export type { Checkpointable } from "./checkpoint.ts";
export { evaluateVAR, tokenBatch, tokenize, trainVAR } from "./var_train.ts";
export type { TokenSet, VARMetrics, VARTrainOptions } from "./var_train.ts";
