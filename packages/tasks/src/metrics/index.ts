// Metrics of @glmjs/tasks: pure TypeScript, no tfjs (usable in any JS runtime).
export { accuracy } from "./accuracy.js";
export { classificationReport, confusionMatrix, macroF1 } from "./classification.js";
export type { ClassificationOptions, ClassificationReport, ClassScores, ConfusionMatrix } from "./classification.js";
export { porterStem } from "./porter-stemmer.js";
export { rougeTokenize } from "./rouge-tokenize.js";
export type { RougeTokenizeOptions } from "./rouge-tokenize.js";
export { DEFAULT_ROUGE_TYPES, rougeScore, rougeScores } from "./rouge.js";
export type { CorpusRouge, RougeOptions, RougeResult, RougeScore, RougeType } from "./rouge.js";
export { corpusBleu, sentenceBleu } from "./bleu.js";
export type { BleuOptions, BleuResult, BleuSmoothing } from "./bleu.js";
export { tokenize13a } from "./bleu-tokenize.js";
export type { BleuTokenizer } from "./bleu-tokenize.js";
export { perplexity } from "./perplexity.js";
