// Sliding windows over one token stream for perplexity (GLM.md §5.5; the original's LMDataset with
// block_lm): windows of seqLength − 1 tokens every `stride` tokens, every token after the first
// scored exactly once, with as much earlier context as the window holds.
import { GlmjsError } from "@glmjs/common";
import type { LmEvalMode } from "./lambada.js";
import { buildLmRow, type LmRow, type LmSpecialIds } from "./lm-row.js";

export interface WindowOptions {
  /** Row length budget: each window holds seqLength − 1 tokens (a row is seqLength + 1 long with [CLS], [M] and sop). */
  seqLength: number;
  /** Tokens between window starts, 1 … seqLength − 1 (… seqLength − 2 unidirectional; the original's --overlapping-eval). */
  stride: number;
  mode?: LmEvalMode;
}

/** The stride used when none is given: 256 (the original's WikiText setting) or a quarter of a short window. */
export function defaultStride(seqLength: number): number {
  const window = seqLength - 1;
  return window > 256 ? 256 : Math.max(1, Math.ceil(window / 4));
}

/** Number of windows over `tokenCount` tokens. */
export function windowCount(tokenCount: number, options: WindowOptions): number {
  checkWindowOptions(options);
  return Math.ceil(Math.max(tokenCount - (options.seqLength - 1), 0) / options.stride) + 1;
}

/** Throws when seqLength, stride or mode cannot make windows. */
export function checkWindowOptions(options: WindowOptions): void {
  const window = options.seqLength - 1;
  const { stride } = options;
  if (!Number.isInteger(options.seqLength) || window < 2) throw new GlmjsError("OPTION_INVALID", `seqLength must be an integer ≥ 3, got ${options.seqLength}`);
  if (!Number.isInteger(stride) || stride < 1 || stride > window)
    throw new GlmjsError("OPTION_INVALID", `stride must be an integer in 1 … seqLength − 1 = ${window}, got ${stride}`);
  const mode = options.mode ?? "bidirectional";
  if (mode !== "bidirectional" && mode !== "unidirectional")
    throw new GlmjsError("OPTION_INVALID", `mode must be "bidirectional" or "unidirectional", got ${JSON.stringify(mode)}`);
  // A unidirectional window keeps its first token in Part A, unscored: a stride of a whole window would skip it.
  if (mode === "unidirectional" && stride === window)
    throw new GlmjsError(
      "OPTION_INVALID",
      `a unidirectional evaluation needs stride ≤ seqLength − 2 = ${window - 1} (its windows overlap by at least one token), got ${stride}`,
    );
}

/**
 * Window `w` (0-based) of the stream `ids`. Window 0, and every window in unidirectional mode:
 * Part A = [CLS] t0 [M] (no eos), Part B = the rest, left to right. Later bidirectional windows:
 * Part A = [CLS] + the window's first seqLength − 1 − stride tokens + [M], Part B = its tokens
 * after those. Only tokens no earlier window scored are scored.
 */
export function perplexityWindow(ids: readonly number[], w: number, special: LmSpecialIds, options: WindowOptions): LmRow {
  const window = options.seqLength - 1;
  const { stride } = options;
  const mode = options.mode ?? "bidirectional";
  if (ids.length < 2) throw new GlmjsError("INPUT_INVALID", `perplexity needs at least 2 tokens, the text has ${ids.length}`);
  const count = windowCount(ids.length, options);
  if (!Number.isInteger(w) || w < 0 || w >= count) throw new GlmjsError("INPUT_INVALID", `window ${w} is outside 0 … ${count - 1}`);
  const tokens = ids.slice(w * stride, w * stride + window);
  // Tokens of this window that the previous one did not reach (all but the first in window 0).
  const fresh = w === 0 ? tokens.length - 1 : tokens.length - (window - stride);
  const promptLength = w === 0 || mode === "unidirectional" ? 1 : window - stride;
  const scored = tokens.slice(promptLength);
  return buildLmRow([...tokens.slice(0, promptLength), special.mask], scored, special, { eos: false, scoreFrom: scored.length - fresh });
}
