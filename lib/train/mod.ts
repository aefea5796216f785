/**
 * Training and measuring: the shared budgeted loop, the VQ-VAE / VAR / classifier trainers, the optimizer, test metrics, sample accuracy, FID, checkpoints.
 *
 * @module
 */
export { evaluate, psnrFromMse, type TestMetrics } from "./metrics.ts";
export {
  type Features,
  type FeatureStatistics,
  featureStatistics,
  frechetDistance,
  frechetDistanceOfStatistics,
} from "./fid.ts";
export { FlatAdam, type FlatAdamOptions } from "./optim.ts";
export {
  DEFAULT_TRAIN_LR,
  type MetricsRecord,
  type MilestoneRecord,
  train,
  type TrainOptions,
  type TrainResult,
} from "./train.ts";
export {
  type Budget,
  budgetedLoop,
  learningRate,
  type LoopOptions,
  type LoopProgress,
  type LoopResult,
  type LoopStart,
  type LoopStep,
  type LoopStepDone,
  NonFiniteLossError,
  type ScheduleOptions,
} from "./loop.ts";
export { readRunState, type RunOptions, type RunState } from "./run_checkpoint.ts";
export type { TrainingRunOptions } from "./training_run.ts";
export { type ClassifierTrainOptions, trainClassifier } from "./classifier_train.ts";
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
export {
  DEFAULT_VAR_LR,
  evaluateVAR,
  tokenBatch,
  tokenize,
  type TokenSet,
  trainVAR,
  type VARMetrics,
  type VARTrainOptions,
  type VARTrainResult,
} from "./var_train.ts";
export {
  generateImages,
  type SampleAccuracy,
  sampleAccuracy,
  type SampleAccuracyOptions,
} from "./samples.ts";
export { type PrecisionRecall, precisionRecall } from "./precision_recall.ts";
export {
  type GeneratorQuality,
  type ImageSetQuality,
  judgeGenerator,
  type JudgeGeneratorOptions,
  judgeReconstructions,
  type JudgeReference,
  judgeReference,
} from "./generator_quality.ts";
export {
  SAMPLING_WARMUP,
  type SamplingSpeed,
  samplingSpeed,
  type Spread,
  spread,
} from "./sampling_speed.ts";
export { readSnapshots, type Snapshot, type SnapshotPlan, SnapshotTaker } from "./snapshots.ts";
export {
  formatInterval,
  type MeanInterval,
  meanInterval,
  t975,
  type Verdict,
  verdict,
} from "./interval.ts";
export { type LineFit, lineFit, powerLawAt, type PowerLawFit, powerLawFit } from "./power_law.ts";
