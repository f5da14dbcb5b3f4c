// Public surface of @glmjs/tokenizer.
export type { CommandToken, Encoding, SpecialIds, TextModel, TextModelKind, Tokenizer } from "./types.js";
export { TokenizerFileError, TokenizerTrainingError } from "./errors.js";
export { loadTokenizer, tokenizerFilesFromRepo, tokenizerFromFiles, type LoadTokenizerOptions } from "./io/load-tokenizer.js";
export type { LoadOptions } from "./io/build.js";
export type { FileContent, TokenizerFiles } from "./io/file-map.js";
export { fromTokenizerJson } from "./io/from-tokenizer-json.js";
export { GLMTokenizer } from "./glm/glm-tokenizer.js";
export { buildCommandTokens, padVocabSize, specialIds, DEFAULT_VARIANT } from "./glm/command-tokens.js";
export type { CommandTokenOptions, CommandVariant, GlmFamily } from "./glm/command-tokens.js";
export { WordPieceModel } from "./wordpiece/wordpiece-model.js";
export { ByteLevelBpeModel } from "./bpe/byte-level-bpe-model.js";
export { SentencePieceModel } from "./sentencepiece/sentencepiece-model.js";
export { standardizePunctuation } from "./text/standardize-punctuation.js";
export { trainTokenizer } from "./train/train-tokenizer.js";
export type { TrainOptions } from "./train/train-tokenizer.js";
export type { TextSource } from "./train/word-counts.js";
