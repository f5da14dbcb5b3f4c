// Each blank's most probable single tokens (the original's single-token cloze view: the logits
// at a [sop] placed at the blank, given the context alone). All blanks in one forward pass:
// one [sop] per blank after the context, each seeing the context and itself only.
import { GlmjsError } from "@glmjs/common";
import { type GLMModel, tf } from "@glmjs/core";
import type { Tokenizer } from "@glmjs/tokenizer";
import type { TaskSpecialIds } from "../special-ids.js";
import { blankPositions, checkSpecialIds } from "../decoding/special-ids.js";
import { checkContext } from "../generation/context.js";
import { checkVocab } from "../generation/fill.js";
import { decodeSafely, tokenizerSpecialIds, wrapForGeneration } from "../generation/wrap.js";
import { topKAt } from "./rows.js";

export interface TokenCandidate {
  id: number;
  /** softmax probability over the whole vocabulary. */
  probability: number;
  logProb: number;
  /** The token decoded (text-level API only). */
  text?: string;
}

export interface BlankCandidates {
  /** Index of the blank's mask token in the context. */
  position: number;
  candidates: TokenCandidate[];
}

/** The `k` most probable first tokens of every blank of `contextIds`. */
export async function topCandidatesIds(
  model: GLMModel,
  contextIds: readonly number[],
  k: number,
  options: { specialIds: TaskSpecialIds },
): Promise<BlankCandidates[]> {
  const where = "topCandidatesIds";
  const config = model.config;
  const special = checkSpecialIds(options?.specialIds, config.vocab_size, where);
  const context = checkContext(contextIds, config, where);
  if (!Number.isInteger(k) || k < 1) throw new GlmjsError("OPTION_INVALID", `${where}: k must be a positive integer, got ${k}`);
  const blanks = blankPositions(context, special);
  if (blanks.length === 0) return [];
  const L = context.length;
  const S = L + blanks.length;
  const mask = new Float32Array(S * S);
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < L; j++) mask[i * S + j] = 1;
    if (i >= L) mask[i * S + i] = 1;
  }
  const attentionMask = tf.tensor4d(mask, [1, 1, S, S]);
  try {
    const inputs = {
      inputIds: [[...context, ...blanks.map(() => special.sop)]],
      positionIds: [[...context.map((_, i) => i), ...blanks]],
      blockPositionIds: [[...context.map(() => 0), ...blanks.map(() => 1)]],
      attentionMask,
    };
    const top = await topKAt(
      model,
      inputs,
      blanks.map((_, b) => L + b),
      k,
    );
    return blanks.map((position, b) => ({
      position,
      candidates: top[b]!.ids.map((id, i) => ({ id, logProb: top[b]!.logProbs[i]!, probability: Math.exp(top[b]!.logProbs[i]!) })),
    }));
  } finally {
    attentionMask.dispose();
  }
}

/** `topCandidatesIds` for a text (wrapped as generation wraps it), with each candidate decoded. */
export async function topCandidates(model: GLMModel, tokenizer: Tokenizer, text: string, k: number): Promise<BlankCandidates[]> {
  checkVocab(model, tokenizer, "topCandidates");
  const { ids } = wrapForGeneration(tokenizer, text);
  const r = await topCandidatesIds(model, ids, k, { specialIds: tokenizerSpecialIds(tokenizer) });
  for (const b of r) for (const c of b.candidates) c.text = decodeSafely(tokenizer, [c.id]);
  return r;
}
