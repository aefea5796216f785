/**
 * vqvar: vector quantization (VQ-VAE) and VAR's multi-scale residual tokenizer on
 * TensorFlow.js. Tensors are channels-last (NHWC), TensorFlow.js's layout.
 *
 * @module
 */
export { backendFailures, backendName, BACKENDS, tf, versions } from "./core/backend.ts";
export type { BackendName } from "./core/backend.ts";
export { display, displayTarget } from "./viz/display.ts";
export type { DisplayTarget, MimeBundle } from "./viz/display.ts";
export {
  bars,
  describeFigure,
  figureBundle,
  heatmap,
  histogram,
  imageGrid,
  lineChart,
  LiveFigure,
  show,
  subplots,
  voronoi,
} from "./viz/plot.ts";
export type {
  Figure,
  FigureOptions,
  ImageGridOptions,
  Layout,
  Series,
  Trace,
  VoronoiOptions,
} from "./viz/plot.ts";
export { fitCodebook } from "./quant/codebook_fit.ts";
export { LiveTrainingCurves, reconstructionFigure, trainingFigure } from "./viz/training_plots.ts";
export type { FitCodebookOptions, FitRecord, FitResult } from "./quant/codebook_fit.ts";
export { interpolationMatrix, resize, RESIZE_MODES } from "./quant/resize.ts";
export type { ResizeMode } from "./quant/resize.ts";
export { gatherCodes, relu, stopGradient, straightThrough, vqLoss } from "./quant/grad.ts";
export { DEFAULT_CHUNK_ELEMENTS, l2Normalize, nearestCode } from "./quant/nearest.ts";
export type { Distance } from "./quant/nearest.ts";
export {
  codeCounts,
  perplexity,
  perplexityOfCounts,
  usage,
  usageOfCounts,
} from "./quant/codebook_health.ts";
export { kmeansPlusPlus, VectorQuantizer } from "./quant/vector_quantizer.ts";
export type {
  EmaOptions,
  InitMethod,
  RestartOptions,
  VectorQuantizerForward,
  VectorQuantizerOptions,
} from "./quant/vector_quantizer.ts";
export { MultiScaleQuantizer } from "./quant/multiscale.ts";
export type { MultiScaleQuantizerOptions } from "./quant/multiscale.ts";
export type { Quantizer, QuantizerForward } from "./quant/quantizer.ts";
export { checkPatchNums } from "./core/validate.ts";
export { Phi, phiCount, phiIndexForScale } from "./quant/phi.ts";
export type { PhiWeights } from "./quant/phi.ts";
export { seededRandom, shuffledIndices } from "./core/random.ts";
export { DeadCodeTracker } from "./quant/dead_codes.ts";
export { encodeIdx, parseIdx, readIdx } from "./data/idx.ts";
export type { IdxArray } from "./data/idx.ts";
export {
  DummyDataset,
  FASHION_MNIST_CLASSES,
  ImageDataset,
  loadFashionMnist,
  loadTwemoji,
} from "./data/datasets.ts";
export type { Batch, PixelRange } from "./data/datasets.ts";
export { Conv2D, ResBlock, UpConv2D } from "./models/nn.ts";
export { createModel, DEFAULT_CONFIG, SimpleVQVAE, VQModel, VQVAE } from "./models/vqvae.ts";
export type { QuantizerKind, TrainForward, VQVAEConfig } from "./models/vqvae.ts";
export { evaluate, psnrFromMse } from "./train/metrics.ts";
export type { TestMetrics } from "./train/metrics.ts";
export { FlatAdam } from "./train/optim.ts";
export type { FlatAdamOptions } from "./train/optim.ts";
export { train } from "./train/train.ts";
export { budgetedLoop, epochBatches, learningRate } from "./train/loop.ts";
export type { Budget, LoopOptions, LoopStep, LoopStepDone, ScheduleOptions } from "./train/loop.ts";
export { trainClassifier } from "./train/classifier_train.ts";
export type { ClassifierTrainOptions } from "./train/classifier_train.ts";
export { budgetScale, scaledBudget } from "./core/budget.ts";
export type { MetricsRecord, TrainOptions, TrainResult } from "./train/train.ts";
export {
  loadCheckpoint,
  loadWeightsInto,
  readCheckpointManifest,
  saveCheckpoint,
} from "./train/checkpoint.ts";
export type { CheckpointManifest } from "./train/checkpoint.ts";
export { prepareCodebook } from "./quant/nearest.ts";
export type { PreparedCodebook } from "./quant/nearest.ts";
export { cachedResizeMatrices } from "./quant/resize.ts";

export { blockCausalMask, levelIndices, scaleOffsets } from "./models/var_mask.ts";
export { Classifier } from "./models/classifier.ts";
export type { ClassifierConfig } from "./models/classifier.ts";
export { DEFAULT_VAR_CONFIG, sampleTokens, VAR } from "./models/var.ts";
export type { GenerateOptions, VARConfig } from "./models/var.ts";
export type { Checkpointable } from "./train/checkpoint.ts";
export { evaluateVAR, tokenBatch, tokenize, trainVAR } from "./train/var_train.ts";
export type { TokenSet, VARMetrics, VARTrainOptions } from "./train/var_train.ts";
export { generateImages, sampleAccuracy } from "./train/samples.ts";
export type { SampleAccuracy, SampleAccuracyOptions } from "./train/samples.ts";
