// Public surface of @glmjs/tasks.

// Blank infilling and generation: ids level.
export { infillIds, infillBatchIds, streamInfillIds } from "./generation/infill.js";
export type { InfillOptions } from "./generation/infill.js";
export type { InfillEvent, InfillResult, InfillSpan, InfillSpanEvent, InfillTokenEvent } from "./generation/types.js";
export type { EventStream } from "./generation/stream.js";
export type { DecodingOptions, DecodingStrategy } from "./decoding/options.js";
export { DEFAULT_MAX_NEW_TOKENS, DEFAULT_NUM_BEAMS } from "./decoding/options.js";
export type { SpecialIds } from "./decoding/special-ids.js";
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
export type { DecodingSession, PrefillRow, StepInput } from "./generation/session.js";
// Language-model scoring.
export { scoreFills, scoreFillsIds } from "./scoring/score-fills.js";
export type { FillScore, FillScores, ScoreFillsOptions } from "./scoring/score-fills.js";
export { topCandidates, topCandidatesIds } from "./scoring/top-candidates.js";
export type { BlankCandidates, TokenCandidate } from "./scoring/top-candidates.js";
// A model folder with its tokenizer (browser-safe; loadGLM from a path is in "@glmjs/tasks/node").
export { loadGLMFromFiles } from "./loading/from-files.js";
export type { LoadGLMOptions, ModelFiles } from "./loading/from-files.js";
export type { LoadedGLM } from "./loading/loaded-glm.js";
// Metrics, LAMBADA and perplexity evaluation.
export * from "./metrics/index.js";
export * from "./lm-eval/index.js";
