// Perplexity of a text (GLM.md §5.5; the original's WikiText evaluation): the (detokenised) text
// as one token stream, sliding windows, ppl = exp(Σ loss / (N_tokens − 1)), and the
// word-count-adjusted exp(Σ loss / (N_words − 1)) that compares across tokenizers.
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import { wikitextDetokenize } from "@glmjs/train";
import type { LmEvalMode } from "./lambada.js";
import { type LmMaskToken, type LmTokenizer, lmSpecialIds } from "./lm-row.js";
import { checkWindowOptions, defaultStride, perplexityWindow, windowCount } from "./perplexity-windows.js";
import { scoreRows } from "./score-rows.js";

export interface PerplexityOptions {
  /** Window = seqLength − 1 tokens. Default: the model's max_sequence_length. */
  seqLength?: number;
  /** Tokens between window starts (the original's --overlapping-eval). Default `defaultStride(seqLength)`: 256, or a quarter window when shorter. */
  stride?: number;
  /** Default "bidirectional". */
  mode?: LmEvalMode;
  /** The blank token of Part A. Default `[gMASK]` when the tokenizer has it, else `[MASK]`. */
  maskToken?: LmMaskToken;
  /**
   * "wikitext" (default) undoes WikiText's tokenisation (" @-@ ", spaces before punctuation) with
   * @glmjs/train's `wikitextDetokenize` before encoding, as the original does; "none" encodes the text as is.
   */
  detokenize?: "wikitext" | "none";
  /** Rows per forward pass. Default 8. */
  batchSize?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface PerplexityResult {
  /** exp(meanNll). */
  perplexity: number;
  /** exp(sumNll / (originalWords − 1)). */
  adjustedPerplexity: number;
  /** sumNll / scoredTokens (nats). */
  meanNll: number;
  sumNll: number;
  /** Tokens of the stream. */
  tokens: number;
  /** tokens − 1: every token but the first is scored once. */
  scoredTokens: number;
  /** Space-separated words of the text before detokenising (the original's count). */
  originalWords: number;
  windows: number;
  seqLength: number;
  stride: number;
}

/** Perplexity of `model` on `text`, scored in overlapping windows. */
export async function evaluatePerplexity(model: GLMModel, tokenizer: LmTokenizer, text: string, options: PerplexityOptions = {}): Promise<PerplexityResult> {
  const seqLength = options.seqLength ?? model.config.max_sequence_length;
  if (!Number.isInteger(seqLength) || seqLength < 3) throw new GlmjsError("OPTION_INVALID", `seqLength must be an integer ≥ 3, got ${seqLength}`);
  const stride = options.stride ?? defaultStride(seqLength);
  const detokenize = options.detokenize ?? "wikitext";
  if (detokenize !== "wikitext" && detokenize !== "none")
    throw new GlmjsError("OPTION_INVALID", `detokenize must be "wikitext" or "none", got ${JSON.stringify(detokenize)}`);
  const special = lmSpecialIds(tokenizer, options.maskToken);
  const windowOptions = { seqLength, stride, mode: options.mode };
  checkWindowOptions(windowOptions);
  const originalWords = text.trim().split(" ").length;
  const ids = tokenizer.encode(detokenize === "wikitext" ? wikitextDetokenize(text) : text);
  if (ids.length < 2) throw new GlmjsError("INPUT_INVALID", `evaluatePerplexity: the text encodes to ${ids.length} token(s); at least 2 are needed`);
  const windows = windowCount(ids.length, windowOptions);
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new GlmjsError("OPTION_INVALID", `batchSize must be a positive integer, got ${batchSize}`);
  options.onProgress?.({ done: 0, total: windows });
  let sumNll = 0;
  let scoredTokens = 0;
  // Windows are built batch by batch: a long text has thousands of them.
  for (let start = 0; start < windows; start += batchSize) {
    const count = Math.min(batchSize, windows - start);
    const rows = Array.from({ length: count }, (_, k) => perplexityWindow(ids, start + k, special, windowOptions));
    for (const s of await scoreRows(model, rows, { batchSize, signal: options.signal })) {
      for (const v of s.nll) sumNll += v;
      scoredTokens += s.nll.length;
    }
    options.onProgress?.({ done: start + count, total: windows });
  }
  const meanNll = sumNll / scoredTokens;
  return {
    perplexity: Math.exp(meanNll),
    adjustedPerplexity: Math.exp(sumNll / Math.max(originalWords - 1, 1)),
    meanNll,
    sumNll,
    tokens: ids.length,
    scoredTokens,
    originalWords,
    windows,
    seqLength,
    stride,
  };
}
