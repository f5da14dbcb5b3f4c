// Public surface of @glmjs/data (browser-safe; Node-only parts are in "@glmjs/data/node").
export type { GLMBatch, BuiltBatch, ObjectiveMode } from "./batch.js";
export { collate, compactBatch } from "./batch.js";
export type { SampleBuffer } from "./objective/layout.js";
export type { BatchMemory } from "./batch-memory.js";
export { Rng, type RngState } from "./random/rng.js";
export {
  defaultObjectiveSettings,
  objectivePresets,
  validateObjectiveSettings,
  type ObjectiveSettings,
  type ObjectivePresetName,
  type SpecialIds,
} from "./objective/settings.js";
export { SpanLengthSampler } from "./objective/span-length-sampler.js";
export { sentenceEndTable, isSentenceEndToken } from "./objective/sentence-end.js";
export { rawSample, type RawSample } from "./objective/raw-sample.js";
export { BlockObjective, type BlockObjectiveOptions } from "./objective/block-objective.js";
export { buildBlankSample, buildSuffixSample, type BuiltSample } from "./objective/explicit.js";
export { findSentences } from "./objective/span-planner.js";
export { ObjectiveStatistics, ModeStatistics, Metric, type MaskKind, type MetricSummary, type StatisticsIds } from "./objective-statistics.js";
export { SequencePacker, type PackerOptions, type PackerState } from "./packing/sequence-packer.js";
export { BlockDatasetPacker, type BlockDatasetPackerOptions, type BlockPackerState, type PackerRandom } from "./packing/block-dataset-packer.js";
export { rightStripKeep } from "./packing/right-strip.js";
export {
  tokenizedCorpus,
  documentAt,
  documentCount,
  documentViews,
  isTokenizedCorpus,
  checkTokenizedCorpus,
  type TokenizedCorpus,
} from "./indexed/tokenized-corpus.js";
export { buildTokenizedCorpus, type BuildTokenizedCorpusOptions, type CorpusText, type CorpusTokenizer } from "./indexed/build-tokenized-corpus.js";
export { arrayDocuments, type ArrayDocumentsOptions, type DocumentSource, type DocumentStream } from "./pipeline/document-source.js";
export {
  createBatchIterator,
  resolveObjective,
  type BatchIterator,
  type BatchIteratorOptions,
  type BatchIteratorState,
  type BlockPackingOptions,
  type PackingKind,
} from "./pipeline/batch-iterator.js";
export type { PrefetchSpec, PrefetchDocuments } from "./pipeline/prefetch-protocol.js";
export type { PrefetchingBatchIterator } from "./pipeline/prefetch-client.js";
export { createWebWorkerBatchIterator, type WebWorkerLike } from "./pipeline/prefetch-web.js";
export { BROWN_FILE, brownCategories, brownSentence, brownText, type BrownDocument } from "./corpus/brown.js";
export { CorpusIssues, CorpusError, type CorpusIssue, type CorpusIssueKind } from "./corpus/corpus-issues.js";
export { InvalidOptionError, isInvalidOptionError, INVALID_OPTION, requireInteger, requireNumber } from "./errors/invalid-option.js";
export { DATA_ERROR, type DataErrorCode } from "./errors/error-codes.js";
export {
  OBJECTIVE_NAMES,
  objectiveNames,
  objectiveForTokenizer,
  minSeqLength,
  maxRowLength,
  checkSeqLength,
  type PretrainingObjective,
  type TokenizerSpecialIds,
} from "./objective/pretraining-objective.js";
