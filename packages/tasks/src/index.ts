// Public surface of @glmjs/tasks.

// Blank infilling and generation: ids level.
export { infillIds, infillBatchIds, streamInfillIds } from "./generation/infill.js";
export type { InfillOptions } from "./generation/infill.js";
export type { InfillEvent, InfillResult, InfillSpan, InfillSpanEvent, InfillTokenEvent } from "./generation/types.js";
export type { EventStream } from "./generation/stream.js";
export type { DecodingOptions, DecodingStrategy } from "./decoding/options.js";
export { DEFAULT_MAX_NEW_TOKENS, DEFAULT_NUM_BEAMS } from "./decoding/options.js";
export { blankPositions } from "./decoding/special-ids.js";
// Blank infilling and generation: text level.
export { fill, fillBatch, fillStream, generate } from "./generation/fill.js";
export type { FillEvent, FillOptions, FillResult, FilledBlank } from "./generation/fill.js";
export { decodeSafely, spliceFills, tokenizerSpecialIds, wrapForGeneration } from "./generation/wrap.js";
export type { WrappedText } from "./generation/wrap.js";
// Decoding building blocks (for custom loops and an on-backend sampler later).
export { BeamSearch } from "./decoding/beam-search.js";
export type { BeamSearchSettings, BeamStep } from "./decoding/beam-search.js";
export { BeamHypotheses } from "./decoding/beam-hypotheses.js";
export type { Hypothesis } from "./decoding/beam-hypotheses.js";
export { minNewTokens, noRepeatNgram, repetitionPenalty, temperature, topK, topP } from "./decoding/processors.js";
export type { LogitsProcessor, RowHistory } from "./decoding/processors.js";
export { bannedNgramTokens } from "./decoding/no-repeat-ngram.js";
export { sampleLogits } from "./decoding/sample.js";
export type { Selection, SelectionRow, TokenSelector } from "./decoding/selector.js";
export { openSession } from "./generation/session.js";
export { disposeStepOutput, readTopK } from "./generation/session.js";
export type { DecodingSession, PrefillRow, StepInput, StepOutput, StepRequest, TopKRows } from "./generation/session.js";
// Language-model scoring.
export { scoreFills, scoreFillsIds } from "./scoring/score-fills.js";
export type { FillScore, FillScores, ScoreFillsOptions } from "./scoring/score-fills.js";
export { topCandidates, topCandidatesIds } from "./scoring/top-candidates.js";
export type { BlankCandidates, TokenCandidate } from "./scoring/top-candidates.js";
// A model folder with its tokenizer (browser-safe; loadGLM from a path is in "@glmjs/tasks/node").
export { loadGLMFromFiles, loadGLMFromHub } from "./loading/from-files.js";
export type { LoadGLMOptions, ModelFiles } from "./loading/from-files.js";
export type { LoadedGLM } from "./loading/loaded-glm.js";
// Metrics, LAMBADA and perplexity evaluation.
export * from "./metrics/index.js";
export * from "./lm-eval/index.js";

// Cloze classification (GLM.md §5.2): ids-level scoring, patterns and verbalizers, zero-shot
// classification and fine-tuning through @glmjs/train's Trainer.
export { requireSpecialIds, taskSpecialIds } from "./special-ids.js";
export type { TaskSpecialIds } from "./special-ids.js";
export { buildClozeRow } from "./cloze/cloze-row.js";
export type { ClozeRow } from "./cloze/cloze-row.js";
export { packRows } from "./cloze/packed-rows.js";
export type { PackedRows } from "./cloze/packed-rows.js";
export { rowScores, sopLogits, targetLogProbs } from "./cloze/score-rows.js";
export type { ScoringModel } from "./cloze/score-rows.js";
export { clozeScoresIds, singleTokenLogitsIds } from "./cloze/cloze-scores.js";
export type { ClozeScoreOptions } from "./cloze/cloze-scores.js";
export { MASK_IN_PATTERN, encodePattern, parsePattern, truncateParts } from "./cloze/pattern.js";
export type { ClozePattern, EncodedPart, PatternPart } from "./cloze/pattern.js";
export { parseVerbalizer } from "./cloze/verbalizer.js";
export type { Verbalizer } from "./cloze/verbalizer.js";
export { ClozeTask, DEFAULT_CLOZE_MAX_LENGTH } from "./cloze/cloze-task.js";
export type { AnswerMode, ClozeExample, ClozeTaskOptions, EncodedCloze, TaskTokenizer } from "./cloze/cloze-task.js";
export { buildClozeBatch, isClozeBatch } from "./cloze/cloze-batch.js";
export type { ClozeBatch } from "./cloze/cloze-batch.js";
export { clozeLogits, clozeLoss, labelCrossEntropy } from "./cloze/cloze-head.js";
export { ClozeTrainableModel } from "./cloze/cloze-model.js";
export { ClozeBatchSource } from "./cloze/cloze-source.js";
export type { ClozeSourceOptions } from "./cloze/cloze-source.js";
export { classifyCloze, clozeEvalSet, evaluateCloze } from "./cloze/classify.js";
export type { ClassifyOptions, ClozeEvaluation, ClozePrediction } from "./cloze/classify.js";
export { CLOZE_FINETUNE_DEFAULTS, createClozeTrainer } from "./cloze/cloze-finetune.js";
export type { ClozeFinetune, ClozeFinetuneOptions } from "./cloze/cloze-finetune.js";
export { CLOZE_PRESETS, clozePreset, clozePresetExamples, resolveClozeTaskOptions } from "./cloze/cloze-presets.js";
export type { ClozePreset, ClozePresetName, ClozeTaskChoice } from "./cloze/cloze-presets.js";

// Seq2seq fine-tuning (GLM.md §5.3): the original's layouts, batches, held-out scoring, presets.
export { buildPartA, maskId } from "./seq2seq/seq2seq-format.js";
export type { MaskKind, PartA, PartAOptions, Seq2seqFormat } from "./seq2seq/seq2seq-format.js";
export { Seq2seqTask } from "./seq2seq/seq2seq-task.js";
export type { Seq2seqExample, Seq2seqSample, Seq2seqTaskOptions } from "./seq2seq/seq2seq-task.js";
export { buildSeq2seqBatch } from "./seq2seq/seq2seq-batch.js";
export { Seq2seqBatchSource, buildSamples } from "./seq2seq/seq2seq-source.js";
export type { Seq2seqSourceOptions } from "./seq2seq/seq2seq-source.js";
export { evaluateSeq2seq, evaluateSeq2seqBatches, seq2seqEvalSet } from "./seq2seq/seq2seq-eval.js";
export type { Seq2seqEvalSetOptions, Seq2seqEvaluation } from "./seq2seq/seq2seq-eval.js";
export { generateSeq2seq } from "./seq2seq/seq2seq-generate.js";
export type { GenerateSeq2seqOptions } from "./seq2seq/seq2seq-generate.js";
export { SEQ2SEQ_FINETUNE_DEFAULTS, createSeq2seqTrainer } from "./seq2seq/seq2seq-finetune.js";
export type { Seq2seqFinetune, Seq2seqFinetuneOptions } from "./seq2seq/seq2seq-finetune.js";
export {
  HELD_OUT_FRACTION,
  SEQ2SEQ_CUSTOM_DECODING,
  SEQ2SEQ_PRESETS,
  SPLIT_SEED,
  resolveSeq2seqTaskOptions,
  restorePtbBrackets,
  seq2seqPreset,
  seq2seqPresetExamples,
} from "./seq2seq/seq2seq-presets.js";
export type { PresetSplits, Seq2seqPreset, Seq2seqPresetName, Seq2seqTaskChoice } from "./seq2seq/seq2seq-presets.js";

// Baselines.
export { BagOfWordsClassifier, bagOfWordsTokens, majorityClass } from "./baselines/bow-logistic-regression.js";
export type { BagOfWordsOptions, BagOfWordsPrediction } from "./baselines/bow-logistic-regression.js";

// Fine-tuning runs (shared by cloze and seq2seq).
export { FINETUNE_ADAMW, checkFitsModel, resolveRun } from "./finetune/trainer-options.js";
export type { FinetuneRunOptions, ResolvedRun, TaskDefaults } from "./finetune/trainer-options.js";

// Error codes (every error thrown is a GlmjsError of @glmjs/common with one of these codes).
export { TASKS_ERROR, type TasksErrorCode } from "./errors.js";

// Datasets: browser-safe parsers (the file readers are in "@glmjs/tasks/node"), and the order
// fine-tuning visits examples in.
export { DatasetError, splitLines } from "./datasets/dataset-error.js";
export type { ParseOptions, SkippedLine } from "./datasets/dataset-error.js";
export { parseTsv } from "./datasets/tsv.js";
export type { TableRows, TsvOptions } from "./datasets/tsv.js";
export { parseJsonl } from "./datasets/jsonl.js";
export type { JsonlRows } from "./datasets/jsonl.js";
export { parseCsv } from "./datasets/csv.js";
export { textRecords } from "./datasets/records.js";
export type { RowsWithLines, TextRecords } from "./datasets/records.js";
export { parseScitldr } from "./datasets/scitldr.js";
export type { SummaryRecord } from "./datasets/scitldr.js";
export { parseLinePairs } from "./datasets/line-pairs.js";
export type { LinePairOptions, SourceTarget } from "./datasets/line-pairs.js";
export { parseE2eNlg } from "./datasets/e2e-nlg.js";
export type { DataToTextRecord } from "./datasets/e2e-nlg.js";
export { splitByGroup } from "./datasets/group-split.js";
export type { GroupSplit } from "./datasets/group-split.js";
export { clozeExamplesFromText, formatOfName, seq2seqExamplesFromLinePairs, seq2seqExamplesFromText } from "./datasets/user-data.js";
export type { ClozeDataOptions, Seq2seqDataOptions, TableFormat } from "./datasets/user-data.js";
export { EpochOrder } from "./datasets/epoch-order.js";
export type { EpochOrderOptions, EpochOrderState } from "./datasets/epoch-order.js";
