/**
 * Training and measuring: the shared budgeted loop, the VQ-VAE / VAR / classifier trainers, the optimizer, test metrics, sample accuracy, FID, checkpoints.
 *
 * @module
 */
export { evaluate, psnrFromMse } from "./metrics.ts";
export type { TestMetrics } from "./metrics.ts";
export { featureStatistics, frechetDistance, frechetDistanceOfStatistics } from "./fid.ts";
export type { Features, FeatureStatistics } from "./fid.ts";
export { FlatAdam } from "./optim.ts";
export type { FlatAdamOptions } from "./optim.ts";
export { DEFAULT_TRAIN_LR, train } from "./train.ts";
export { budgetedLoop, learningRate, NonFiniteLossError } from "./loop.ts";
export type {
  Budget,
  LoopOptions,
  LoopProgress,
  LoopResult,
  LoopStart,
  LoopStep,
  LoopStepDone,
  ScheduleOptions,
} from "./loop.ts";
export { readRunState } from "./run_checkpoint.ts";
export type { RunOptions, RunState } from "./run_checkpoint.ts";
export { trainClassifier } from "./classifier_train.ts";
export type { ClassifierTrainOptions } from "./classifier_train.ts";
export type { MetricsRecord, MilestoneRecord, TrainOptions, TrainResult } from "./train.ts";
export {
  checkpointDir,
  loadCheckpoint,
  loadWeightsInto,
  readCheckpointManifest,
  saveCheckpoint,
  SHIPPED_CHECKPOINTS,
} from "./checkpoint.ts";
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from "./checkpoint.ts";
export type { CheckpointManifest, WeightSpec } from "./checkpoint.ts";
export type { Checkpointable } from "./checkpoint.ts";
export { DEFAULT_VAR_LR, evaluateVAR, tokenBatch, tokenize, trainVAR } from "./var_train.ts";
export type { TokenSet, VARMetrics, VARTrainOptions, VARTrainResult } from "./var_train.ts";
export { generateImages, sampleAccuracy } from "./samples.ts";
export type { SampleAccuracy, SampleAccuracyOptions } from "./samples.ts";
