// LAMBADA-style last-word accuracy (GLM.md §5.5): a passage counts as correct only when the
// argmax at every answer position is the answer token, teacher-forced.
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import { type LmEvalMode, lambadaIds, lambadaRow } from "./lambada.js";
import { type LmMaskToken, type LmTokenizer, lmSpecialIds } from "./lm-row.js";
import { scoreRows } from "./score-rows.js";

export interface LambadaOptions {
  /** Default "bidirectional" (the context in Part A). */
  mode?: LmEvalMode;
  /** Longest row; longer passages lose their oldest context tokens. Default: the model's max_sequence_length. */
  seqLength?: number;
  /** The blank token of Part A. Default `[gMASK]` when the tokenizer has it, else `[MASK]`. */
  maskToken?: LmMaskToken;
  /** Rows per forward pass. Default 8. */
  batchSize?: number;
  /** Evaluate only the first `limit` passages. */
  limit?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
  /** Also return each passage's answer, prediction and NLL. Default false. */
  returnPassages?: boolean;
}

export interface LambadaPassageResult {
  correct: boolean;
  answerIds: number[];
  /** Argmax at each answer position. */
  predictedIds: number[];
  /** Summed NLL of the answer tokens (nats). */
  nll: number;
  /** Context tokens dropped to fit seqLength. */
  truncatedTokens: number;
}

export interface LambadaResult {
  /** correct / count. */
  accuracy: number;
  correct: number;
  count: number;
  /** Answer tokens scored (a word can be several tokens). */
  answerTokens: number;
  /** Mean NLL per answer token (nats). */
  meanAnswerNll: number;
  /** exp(meanAnswerNll). */
  answerPerplexity: number;
  /** exp(mean summed NLL per passage): the perplexity of the whole last word. */
  wordPerplexity: number;
  /** Passages whose context was left-truncated. */
  truncatedPassages: number;
  passages?: LambadaPassageResult[];
}

/** Last-word accuracy and answer perplexity of `model` on LAMBADA-style `passages` (one text each). */
export async function evaluateLambada(
  model: GLMModel,
  tokenizer: LmTokenizer,
  passages: readonly string[],
  options: LambadaOptions = {},
): Promise<LambadaResult> {
  const seqLength = options.seqLength ?? model.config.max_sequence_length;
  if (!Number.isInteger(seqLength) || seqLength < 4) throw new GlmjsError("OPTION_INVALID", `seqLength must be an integer ≥ 4, got ${seqLength}`);
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit > 0))
    throw new GlmjsError("OPTION_INVALID", `limit must be a positive integer, got ${options.limit}`);
  const chosen = passages.slice(0, options.limit ?? passages.length);
  if (chosen.length === 0) throw new GlmjsError("INPUT_INVALID", "evaluateLambada: no passages");
  const special = lmSpecialIds(tokenizer, options.maskToken);
  const built = chosen.map((passage, i) => {
    try {
      const { contextIds, answerIds } = lambadaIds(tokenizer, passage);
      return { answerIds, ...lambadaRow(contextIds, answerIds, special, { mode: options.mode, seqLength }) };
    } catch (e) {
      throw new GlmjsError(GlmjsError.is(e) ? e.code : "EXAMPLE_INVALID", `passage ${i}: ${(e as Error).message}`, { cause: e });
    }
  });
  const total = built.length;
  options.onProgress?.({ done: 0, total });
  const scores = await scoreRows(
    model,
    built.map((b) => b.row),
    { batchSize: options.batchSize, signal: options.signal, onBatch: (done) => options.onProgress?.({ done, total }) },
  );
  let correct = 0;
  let answerTokens = 0;
  let sumNll = 0;
  let truncatedPassages = 0;
  const perPassage: LambadaPassageResult[] = [];
  scores.forEach((s, i) => {
    const ok = s.argmax.every((p, k) => p === s.targets[k]);
    const nll = s.nll.reduce((a, b) => a + b, 0);
    if (ok) correct++;
    answerTokens += s.targets.length;
    sumNll += nll;
    if (built[i].truncated > 0) truncatedPassages++;
    if (options.returnPassages)
      perPassage.push({ correct: ok, answerIds: built[i].answerIds, predictedIds: s.argmax, nll, truncatedTokens: built[i].truncated });
  });
  const meanAnswerNll = sumNll / answerTokens;
  const result: LambadaResult = {
    accuracy: correct / total,
    correct,
    count: total,
    answerTokens,
    meanAnswerNll,
    answerPerplexity: Math.exp(meanAnswerNll),
    wordPerplexity: Math.exp(sumNll / total),
    truncatedPassages,
  };
  if (options.returnPassages) result.passages = perPassage;
  return result;
}
