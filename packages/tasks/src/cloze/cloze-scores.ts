// Ids-level cloze scoring: every candidate of one context in one batched forward pass.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import { buildClozeRow } from "./cloze-row.js";
import { packRows } from "./packed-rows.js";
import { type ScoringModel, rowScores, sopLogits } from "./score-rows.js";
import { requireSpecialIds, type TaskSpecialIds } from "../special-ids.js";

export interface ClozeScoreOptions {
  specialIds: TaskSpecialIds;
  /** 0 (default): the sum of log-probabilities; > 0: divided by (answer tokens + 1)^lengthPenalty (1 = mean). */
  lengthPenalty?: number;
}

function checkIds(ids: readonly number[], what: string, where: string): void {
  if (!Array.isArray(ids) && !ArrayBuffer.isView(ids)) throw new GlmjsError("INPUT_INVALID", `${where}: ${what} must be an array of token ids`);
  for (const id of ids)
    if (!Number.isInteger(id) || id < 0) throw new GlmjsError("INPUT_INVALID", `${where}: ${what} holds ${JSON.stringify(id)}, not a token id`);
}

/**
 * One score per candidate, as the original's `GLMForMultiTokenCloze` computes it: for each
 * candidate the row `build_input_from_ids(context, None, candidate + [eop], add_cls, add_piece)`
 * ([CLS] + context + [eos], then [sop] + candidate at the last [MASK]'s position), scored by the
 * summed log-softmax (full padded vocabulary) of the candidate's tokens and eop — divided by
 * their count^lengthPenalty when lengthPenalty > 0. `contextIds` holds a [MASK] and no [CLS].
 */
export async function clozeScoresIds(
  model: ScoringModel,
  contextIds: readonly number[],
  candidateIds: readonly (readonly number[])[],
  options: ClozeScoreOptions,
): Promise<number[]> {
  const where = "clozeScoresIds";
  requireSpecialIds(options?.specialIds, ["cls", "eos", "sop", "eop", "mask"], where);
  const special = options.specialIds;
  const lengthPenalty = options.lengthPenalty ?? 0;
  if (!(lengthPenalty >= 0)) throw new GlmjsError("OPTION_INVALID", `${where}: lengthPenalty must be ≥ 0, got ${lengthPenalty}`);
  checkIds(contextIds, "contextIds", where);
  if (!Array.isArray(candidateIds) || candidateIds.length === 0)
    throw new GlmjsError("INPUT_INVALID", `${where}: give at least one candidate (a list of token-id lists)`);
  candidateIds.forEach((c, i) => {
    checkIds(c, `candidate ${i}`, where);
    if (c.length === 0) throw new GlmjsError("INPUT_INVALID", `${where}: candidate ${i} is empty`);
  });
  const rows = candidateIds.map((c) => buildClozeRow(contextIds, [...c, special.eop], special));
  const packed = packRows(rows, special.eos);
  const scores = tf.tidy(() => rowScores(model, packed, lengthPenalty));
  try {
    return Array.from(await scores.data());
  } finally {
    scores.dispose();
  }
}

/**
 * The original's `GLMForSingleTokenCloze`: the row [CLS] + context + [eos] + [sop], the logits at
 * the [sop] position (index sep) read at each candidate token id — raw (`logits`, what the
 * original's classifier feeds to its cross-entropy) and log-softmaxed over the full vocabulary.
 */
export async function singleTokenLogitsIds(
  model: ScoringModel,
  contextIds: readonly number[],
  candidateIds: readonly number[],
  options: { specialIds: TaskSpecialIds },
): Promise<{ logits: number[]; logSoftmax: number[] }> {
  const where = "singleTokenLogitsIds";
  requireSpecialIds(options?.specialIds, ["cls", "eos", "sop", "mask"], where);
  checkIds(contextIds, "contextIds", where);
  checkIds(candidateIds, "candidateIds", where);
  if (candidateIds.length === 0) throw new GlmjsError("INPUT_INVALID", `${where}: give at least one candidate token id`);
  const packed = packRows([buildClozeRow(contextIds, undefined, options.specialIds)], options.specialIds.eos);
  const { logits, logSoftmax } = tf.tidy(() => sopLogits(model, packed, candidateIds));
  try {
    const [a, b] = await Promise.all([logits.data(), logSoftmax.data()]);
    return { logits: Array.from(a), logSoftmax: Array.from(b) };
  } finally {
    logits.dispose();
    logSoftmax.dispose();
  }
}
