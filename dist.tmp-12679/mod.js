var __vqvarModuleUrl = require("node:url").pathToFileURL(__filename).href;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// lib/mod.ts
var mod_exports = {};
__export(mod_exports, {
  BACKENDS: () => import_backend.BACKENDS,
  Classifier: () => import_classifier.Classifier,
  Conv2D: () => import_nn.Conv2D,
  DEFAULT_CHUNK_ELEMENTS: () => import_nearest.DEFAULT_CHUNK_ELEMENTS,
  DEFAULT_CONFIG: () => import_vqvae.DEFAULT_CONFIG,
  DEFAULT_VAR_CONFIG: () => import_var.DEFAULT_VAR_CONFIG,
  DeadCodeTracker: () => import_dead_codes.DeadCodeTracker,
  DummyDataset: () => import_data.DummyDataset,
  FASHION_MNIST_CLASSES: () => import_data.FASHION_MNIST_CLASSES,
  FlatAdam: () => import_optim.FlatAdam,
  ImageDataset: () => import_data.ImageDataset,
  LiveFigure: () => import_plot.LiveFigure,
  LiveTrainingCurves: () => import_training_plots.LiveTrainingCurves,
  MultiScaleQuantizer: () => import_multiscale.MultiScaleQuantizer,
  Phi: () => import_phi.Phi,
  RESIZE_MODES: () => import_resize.RESIZE_MODES,
  ResBlock: () => import_nn.ResBlock,
  SimpleVQVAE: () => import_vqvae.SimpleVQVAE,
  UpConv2D: () => import_nn.UpConv2D,
  VAR: () => import_var.VAR,
  VQModel: () => import_vqvae.VQModel,
  VQVAE: () => import_vqvae.VQVAE,
  VectorQuantizer: () => import_quantizer.VectorQuantizer,
  backendFailures: () => import_backend.backendFailures,
  backendName: () => import_backend.backendName,
  bars: () => import_plot.bars,
  blockCausalMask: () => import_var_mask.blockCausalMask,
  budgetScale: () => import_budget.budgetScale,
  cachedResizeMatrices: () => import_resize2.cachedResizeMatrices,
  checkPatchNums: () => import_multiscale.checkPatchNums,
  codeCounts: () => import_codebook_health.codeCounts,
  createModel: () => import_vqvae.createModel,
  describeFigure: () => import_plot.describeFigure,
  display: () => import_display.display,
  displayTarget: () => import_display.displayTarget,
  encodeIdx: () => import_idx.encodeIdx,
  evaluate: () => import_metrics.evaluate,
  evaluateVAR: () => import_var_train.evaluateVAR,
  figureBundle: () => import_plot.figureBundle,
  fitCodebook: () => import_codebook_fit.fitCodebook,
  gatherCodes: () => import_grad.gatherCodes,
  heatmap: () => import_plot.heatmap,
  histogram: () => import_plot.histogram,
  imageGrid: () => import_plot.imageGrid,
  interpolationMatrix: () => import_resize.interpolationMatrix,
  kmeansPlusPlus: () => import_quantizer.kmeansPlusPlus,
  l2Normalize: () => import_nearest.l2Normalize,
  learningRate: () => import_train.learningRate,
  levelIndices: () => import_var_mask.levelIndices,
  lineChart: () => import_plot.lineChart,
  loadCheckpoint: () => import_checkpoint.loadCheckpoint,
  loadFashionMnist: () => import_data.loadFashionMnist,
  loadTwemoji: () => import_data.loadTwemoji,
  loadWeightsInto: () => import_checkpoint.loadWeightsInto,
  nearestCode: () => import_nearest.nearestCode,
  parseIdx: () => import_idx.parseIdx,
  perplexity: () => import_codebook_health.perplexity,
  perplexityOfCounts: () => import_codebook_health.perplexityOfCounts,
  phiCount: () => import_phi.phiCount,
  phiIndexForScale: () => import_phi.phiIndexForScale,
  prepareCodebook: () => import_nearest2.prepareCodebook,
  psnrFromMse: () => import_metrics.psnrFromMse,
  readCheckpointManifest: () => import_checkpoint.readCheckpointManifest,
  readIdx: () => import_idx.readIdx,
  reconstructionFigure: () => import_training_plots.reconstructionFigure,
  relu: () => import_grad.relu,
  resize: () => import_resize.resize,
  sampleTokens: () => import_var.sampleTokens,
  saveCheckpoint: () => import_checkpoint.saveCheckpoint,
  scaleOffsets: () => import_var_mask.scaleOffsets,
  scaledBudget: () => import_budget.scaledBudget,
  seededRandom: () => import_random.seededRandom,
  show: () => import_plot.show,
  shuffledIndices: () => import_random.shuffledIndices,
  stopGradient: () => import_grad.stopGradient,
  straightThrough: () => import_grad.straightThrough,
  subplots: () => import_plot.subplots,
  tf: () => import_backend.tf,
  tokenBatch: () => import_var_train.tokenBatch,
  tokenize: () => import_var_train.tokenize,
  train: () => import_train.train,
  trainVAR: () => import_var_train.trainVAR,
  trainingFigure: () => import_training_plots.trainingFigure,
  usage: () => import_codebook_health.usage,
  usageOfCounts: () => import_codebook_health.usageOfCounts,
  versions: () => import_backend.versions,
  voronoi: () => import_plot.voronoi,
  vqLoss: () => import_grad.vqLoss
});
module.exports = __toCommonJS(mod_exports);
var import_backend = require("./backend.js");
var import_display = require("./display.js");
var import_plot = require("./plot.js");
var import_codebook_fit = require("./codebook_fit.js");
var import_training_plots = require("./training_plots.js");
var import_resize = require("./resize.js");
var import_grad = require("./grad.js");
var import_nearest = require("./nearest.js");
var import_codebook_health = require("./codebook_health.js");
var import_quantizer = require("./quantizer.js");
var import_multiscale = require("./multiscale.js");
var import_phi = require("./phi.js");
var import_random = require("./random.js");
var import_dead_codes = require("./dead_codes.js");
var import_idx = require("./idx.js");
var import_data = require("./data.js");
var import_nn = require("./nn.js");
var import_vqvae = require("./vqvae.js");
var import_metrics = require("./metrics.js");
var import_optim = require("./optim.js");
var import_train = require("./train.js");
var import_budget = require("./budget.js");
var import_checkpoint = require("./checkpoint.js");
var import_nearest2 = require("./nearest.js");
var import_resize2 = require("./resize.js");
var import_var_mask = require("./var_mask.js");
var import_classifier = require("./classifier.js");
var import_var = require("./var.js");
var import_var_train = require("./var_train.js");
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  BACKENDS,
  Classifier,
  Conv2D,
  DEFAULT_CHUNK_ELEMENTS,
  DEFAULT_CONFIG,
  DEFAULT_VAR_CONFIG,
  DeadCodeTracker,
  DummyDataset,
  FASHION_MNIST_CLASSES,
  FlatAdam,
  ImageDataset,
  LiveFigure,
  LiveTrainingCurves,
  MultiScaleQuantizer,
  Phi,
  RESIZE_MODES,
  ResBlock,
  SimpleVQVAE,
  UpConv2D,
  VAR,
  VQModel,
  VQVAE,
  VectorQuantizer,
  backendFailures,
  backendName,
  bars,
  blockCausalMask,
  budgetScale,
  cachedResizeMatrices,
  checkPatchNums,
  codeCounts,
  createModel,
  describeFigure,
  display,
  displayTarget,
  encodeIdx,
  evaluate,
  evaluateVAR,
  figureBundle,
  fitCodebook,
  gatherCodes,
  heatmap,
  histogram,
  imageGrid,
  interpolationMatrix,
  kmeansPlusPlus,
  l2Normalize,
  learningRate,
  levelIndices,
  lineChart,
  loadCheckpoint,
  loadFashionMnist,
  loadTwemoji,
  loadWeightsInto,
  nearestCode,
  parseIdx,
  perplexity,
  perplexityOfCounts,
  phiCount,
  phiIndexForScale,
  prepareCodebook,
  psnrFromMse,
  readCheckpointManifest,
  readIdx,
  reconstructionFigure,
  relu,
  resize,
  sampleTokens,
  saveCheckpoint,
  scaleOffsets,
  scaledBudget,
  seededRandom,
  show,
  shuffledIndices,
  stopGradient,
  straightThrough,
  subplots,
  tf,
  tokenBatch,
  tokenize,
  train,
  trainVAR,
  trainingFigure,
  usage,
  usageOfCounts,
  versions,
  voronoi,
  vqLoss
});
//# sourceMappingURL=mod.js.map
