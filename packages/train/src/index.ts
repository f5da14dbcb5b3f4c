// Public surface of @glmjs/train (browser-safe; the Node file storage is in "@glmjs/train/node").
export { AdamW, GLM_ADAMW, validateAdamWOptions } from "./optimizer/adamw.js";
export type { AdamWOptions, AdamWState } from "./optimizer/adamw.js";
export { isNoDecayParameter } from "./optimizer/weight-decay.js";
export { GLM_PRETRAIN_SCHEDULE, learningRateAt, validateSchedule } from "./optimizer/schedule.js";
export type { DecayStyle, ScheduleOptions } from "./optimizer/schedule.js";
export { clipByGlobalNorm, globalNorm } from "./optimizer/clip-by-global-norm.js";
export { GradientAccumulator } from "./optimizer/gradient-accumulator.js";

export { MemoryStorage } from "./storage/train-storage.js";
export type { TrainStorage } from "./storage/train-storage.js";

export { MetricsLog, isEvalRow } from "./metrics/metrics-log.js";
export type { EvalRow, MetricsRow, TrainRow } from "./metrics/metrics-log.js";
export { lossCurveSvg } from "./metrics/loss-curve-svg.js";
export type { PlotOptions } from "./metrics/loss-curve-svg.js";

export { CHECKPOINT_DIR, checkpointFile, loadCheckpoint, saveCheckpoint } from "./checkpoint/training-checkpoint.js";
export type { CheckpointMeta, CheckpointPointer, LoadedCheckpoint } from "./checkpoint/training-checkpoint.js";

export { Trainer } from "./loop/trainer.js";
export type { StopReason, TrainResult } from "./loop/trainer.js";
export { DEFAULT_TRAINER_OPTIONS, validateTrainerOptions } from "./loop/trainer-options.js";
export type { NanPolicy, TrainerCallbacks, TrainerOptions } from "./loop/trainer-options.js";
export { lossTokens } from "./loop/batch-source.js";
export type { BatchSource, EvalScore, EvalSet, GLMBatch } from "./loop/batch-source.js";
export type { TrainableModel } from "./loop/trainable-model.js";
export { evaluate } from "./loop/evaluate.js";
export type { EvalResult } from "./loop/evaluate.js";
export { UnigramModel } from "./loop/unigram-model.js";
export { stepSeed } from "./loop/step-seed.js";
export type { StepRngState } from "./loop/step-seed.js";

export { IteratorSource, takeBatches } from "./pretrain/iterator-source.js";
export type { ResumableIterator } from "./pretrain/iterator-source.js";
export { splitHeldOut } from "./pretrain/held-out.js";
export type { Split } from "./pretrain/held-out.js";
export { wikitextArticles, wikitextDetokenize } from "./pretrain/wikitext.js";
export { summarizeRun } from "./pretrain/run-summary.js";
export type { RunSummary } from "./pretrain/run-summary.js";
export { RUN_EXISTS, RUN_RECORD, SCHEDULE_RECORD, checkRunRecord, openRun, scheduleForRun } from "./pretrain/run-record.js";
export type { OpenRunOptions, OpenedRun } from "./pretrain/run-record.js";
export { droppedEverything, preparePretraining, preparePretrainingData, pretrainingRecord } from "./pretrain/prepare-pretraining.js";
export type { PreparedPretraining, PretrainingData, PretrainingDataOptions, PretrainingOptions, PretrainingTokenizer } from "./pretrain/prepare-pretraining.js";
export { checkPretrainingShape, pretrainingConfig, trainingStepBytes } from "./pretrain/sizes.js";
export type { CheckedShape, PretrainingShape } from "./pretrain/sizes.js";
// Errors that name the option they refuse (re-exported from @glmjs/data, where they are defined).
export { InvalidOptionError, isInvalidOptionError } from "@glmjs/data";
export { trainingStepFlops } from "./loop/flops.js";
export type { FlopsShape } from "./loop/flops.js";
