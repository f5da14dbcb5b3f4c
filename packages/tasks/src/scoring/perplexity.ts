// Perplexity of a token stream as the original's LMDataset evaluates it (GLM.md §5.5,
// tasks/language_model/dataset.py, bidirectional setting): windows of `windowLength` tokens with
// stride `stride`; window 0 is Part A = [CLS] + first token + [gMASK] and Part B = [sop] + the
// rest; a later window puts its first windowLength − stride tokens in Part A and scores the last
// `stride`. Every token but the first is scored exactly once: ppl = exp(Σ −log p / (N − 1)).
import type { GLMModel } from "@glmjs/core";
import { throwIfAborted } from "../decoding/options.js";
import { type SpecialIds, checkSpecialIds } from "../decoding/special-ids.js";
import { logProbsAt } from "./rows.js";

export interface PerplexityOptions {
  specialIds: SpecialIds;
  /** Tokens per window (the original's seq_length − 1). Default: the model's max_sequence_length − 1. */
  windowLength?: number;
  /** Tokens scored per later window (the original's overlapping_eval). Default: windowLength. */
  stride?: number;
  /** The blank of Part A. Default [gMASK] (task-mask models), else [MASK]. */
  maskId?: number;
  signal?: AbortSignal;
}

export interface PerplexityResult {
  perplexity: number;
  /** Σ −log p over the scored tokens (natural log). */
  negativeLogLikelihood: number;
  /** Tokens scored (all but the first). */
  tokens: number;
  windows: number;
}

export async function perplexityIds(model: GLMModel, ids: readonly number[], options: PerplexityOptions): Promise<PerplexityResult> {
  const where = "perplexityIds";
  const config = model.config;
  const special = checkSpecialIds(options?.specialIds, config.vocab_size, where);
  const tokens = Array.from(ids);
  if (tokens.length < 2) throw new Error(`${where}: need at least 2 tokens (the first is context only), got ${tokens.length}`);
  tokens.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= config.vocab_size) throw new Error(`${where}: ids[${i}] = ${String(id)} is not an id of the vocabulary of ${config.vocab_size}`);
  });
  const maxPos = config.max_sequence_length;
  const W = options.windowLength ?? maxPos - 1;
  const S = options.stride ?? W;
  if (!Number.isInteger(W) || W < 2) throw new Error(`${where}: windowLength must be an integer ≥ 2, got ${W}`);
  if (!Number.isInteger(S) || S < 1 || S > W) throw new Error(`${where}: stride must be an integer in [1, windowLength], got ${S}`);
  // Window 0 puts W − 1 tokens in Part B (block positions up to W − 1); later ones put W − S + 2 in Part A.
  if (W - 1 > maxPos || W - S + 1 > maxPos) throw new Error(`${where}: windowLength ${W} (stride ${S}) needs positions beyond the model's ${maxPos}; use a shorter window`);
  const mask = options.maskId ?? (special.gMask >= 0 ? special.gMask : special.mask);
  if (mask < 0) throw new Error(`${where}: the vocabulary has neither [gMASK] nor [MASK]`);

  const count = Math.max(Math.ceil(Math.max(tokens.length - W, 0) / S) + 1, 1);
  let nll = 0;
  let scored = 0;
  for (let w = 0; w < count; w++) {
    throwIfAborted(options.signal);
    const window = tokens.slice(w * S, w * S + W);
    const split = w === 0 ? 1 : W - S;
    const prompt = window.slice(0, split);
    const text = window.slice(split);
    if (text.length === 0) continue;
    const partA = [special.cls, ...prompt, mask];
    const maskPos = partA.length - 1;
    const inputIds = [...partA, special.sop, ...text.slice(0, -1)];
    const positionIds = [...partA.map((_, i) => i), ...text.map(() => maskPos)];
    const blockPositionIds = [...partA.map(() => 0), ...text.map((_, k) => k + 1)];
    const rows = text.map((_, k) => partA.length + k);
    const lp = await logProbsAt(model, { inputIds: [inputIds], positionIds: [positionIds], blockPositionIds: [blockPositionIds], sep: [partA.length] }, rows, text);
    for (const v of lp) nll -= v;
    scored += text.length;
  }
  return { perplexity: Math.exp(nll / scored), negativeLogLikelihood: nll, tokens: scored, windows: count };
}
