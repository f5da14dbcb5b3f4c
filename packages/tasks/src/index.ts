// Public surface of @glmjs/tasks.

// Cloze classification (GLM.md §5.2): ids-level scoring, patterns and verbalizers, zero-shot
// classification and fine-tuning through @glmjs/train's Trainer.
export { checkSpecialIds, taskSpecialIds } from "./cloze/special-ids.js";
export type { TaskSpecialIds } from "./cloze/special-ids.js";
export { buildClozeRow } from "./cloze/cloze-row.js";
export type { ClozeRow } from "./cloze/cloze-row.js";
export { packRows } from "./cloze/packed-rows.js";
export type { PackedRows } from "./cloze/packed-rows.js";
export { rowScores, sopLogits } from "./cloze/score-rows.js";
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

// Fine-tuning runs (shared by cloze and seq2seq).
export { FINETUNE_ADAMW, resolveRun } from "./finetune/trainer-options.js";
export type { FinetuneRunOptions, ResolvedRun, TaskDefaults } from "./finetune/trainer-options.js";

// Datasets: the order fine-tuning visits examples in.
export { EpochOrder } from "./datasets/epoch-order.js";
export type { EpochOrderOptions, EpochOrderState } from "./datasets/epoch-order.js";
