// Text-level scoring: the same computations with ids and special ids from the tokenizer.
import type { GLMModel } from "@glmjs/core";
import type { Tokenizer } from "@glmjs/tokenizer";
import { checkVocab } from "../generation/fill.js";
import { tokenizerSpecialIds, wrapForGeneration } from "../generation/wrap.js";
import { type PerplexityOptions, type PerplexityResult, perplexityIds } from "./perplexity.js";
import { type FillScores, type ScoreFillsOptions, scoreFillsIds } from "./score-fills.js";

/**
 * The log-probability of `fills[i]` in the i-th blank of `text` (wrapped as generation wraps it).
 * Fills are encoded as given: with byte-level BPE vocabularies a leading space is part of a word (" Paris").
 */
export async function scoreFills(model: GLMModel, tokenizer: Tokenizer, text: string, fills: readonly string[], options: Omit<ScoreFillsOptions, "specialIds"> = {}): Promise<FillScores> {
  checkVocab(model, tokenizer, "scoreFills");
  const { ids } = wrapForGeneration(tokenizer, text);
  return scoreFillsIds(model, ids, fills.map((f) => tokenizer.encode(f)), { ...options, specialIds: tokenizerSpecialIds(tokenizer) });
}

/** Perplexity of `text`, tokenized as one stream (no [CLS]/eos: each window adds its own). */
export async function perplexity(model: GLMModel, tokenizer: Tokenizer, text: string, options: Omit<PerplexityOptions, "specialIds"> = {}): Promise<PerplexityResult> {
  checkVocab(model, tokenizer, "perplexity");
  return perplexityIds(model, tokenizer.encode(text), { ...options, specialIds: tokenizerSpecialIds(tokenizer) });
}
