// The log-probability of given fills for given blanks, teacher-forced in one forward pass laid
// out as generation sees it: Part A = the context (bidirectional, sep = its length); Part B = for
// each blank in order of position, [sop] + fill at the blank's position with block positions
// 1, 2, …; each fill sees the context and the fills before it (causal Part B).
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import type { Tokenizer } from "@glmjs/tokenizer";
import type { TaskSpecialIds } from "../special-ids.js";
import { blankPositions, checkSpecialIds } from "../decoding/special-ids.js";
import { checkContext } from "../generation/context.js";
import { checkVocab } from "../generation/fill.js";
import { tokenizerSpecialIds, wrapForGeneration } from "../generation/wrap.js";
import { logProbsAt } from "./rows.js";

export interface ScoreFillsOptions {
  specialIds: TaskSpecialIds;
  /**
   * Also score the end of each fill (eop after its last token), as a finished span. Default true.
   * One flag per blank is accepted: a fill without an end token is laid out as a span cut by the
   * length limit in the original (its last token predicted, never fed to later blanks).
   */
  appendEnd?: boolean | readonly boolean[];
}

export interface FillScore {
  /** log p of the fill's tokens (and of eop when appendEnd). */
  logProb: number;
  /** Per token, in order (eop last when appendEnd). */
  tokenLogProbs: number[];
}

export interface FillScores {
  /** Sum over the blanks. */
  logProb: number;
  blanks: FillScore[];
}

/** Scores `fills[i]` (ids) as the content of the i-th blank of `contextIds` (in order of position). */
export async function scoreFillsIds(
  model: GLMModel,
  contextIds: readonly number[],
  fills: readonly (readonly number[])[],
  options: ScoreFillsOptions,
): Promise<FillScores> {
  const where = "scoreFillsIds";
  const config = model.config;
  const special = checkSpecialIds(options?.specialIds, config.vocab_size, where);
  const context = checkContext(contextIds, config, where);
  const blanks = blankPositions(context, special);
  if (!Array.isArray(fills) || fills.length !== blanks.length) {
    throw new GlmjsError(
      "INPUT_INVALID",
      `${where}: the context has ${blanks.length} blank(s), ${Array.isArray(fills) ? fills.length : "no"} fill(s) were given`,
    );
  }
  const ends = options.appendEnd ?? true;
  if (Array.isArray(ends) && ends.length !== fills.length)
    throw new GlmjsError("INPUT_INVALID", `${where}: appendEnd has ${ends.length} flags for ${fills.length} fill(s)`);
  const appendEnd = (b: number): boolean => (typeof ends === "boolean" ? ends : Boolean(ends[b]));
  const ids = [...context];
  const positions = context.map((_, i) => i);
  const blocks = context.map(() => 0);
  const rows: number[] = [];
  const targets: number[] = [];
  const owner: number[] = [];
  fills.forEach((fill, b) => {
    const f: number[] = Array.from(fill);
    f.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= config.vocab_size)
        throw new GlmjsError("INPUT_INVALID", `${where}: fills[${b}][${i}] = ${String(id)} is not an id of the vocabulary of ${config.vocab_size}`);
    });
    const answer: number[] = appendEnd(b) ? [...f, special.eop] : f;
    if (answer.length === 0) throw new GlmjsError("INPUT_INVALID", `${where}: fills[${b}] is empty (and appendEnd is false): nothing to score`);
    if (answer.length > config.max_sequence_length)
      throw new GlmjsError(
        "SEQUENCE_TOO_LONG",
        `${where}: fills[${b}] needs block positions up to ${answer.length}, the model has ${config.max_sequence_length}`,
      );
    // Inputs [sop] + answer[:-1] predict answer.
    const inputs = [special.sop, ...answer.slice(0, -1)];
    inputs.forEach((id, k) => {
      rows.push(ids.length);
      ids.push(id);
      positions.push(blanks[b]!);
      blocks.push(k + 1);
      targets.push(answer[k]!);
      owner.push(b);
    });
  });
  const lp = await logProbsAt(model, { inputIds: [ids], positionIds: [positions], blockPositionIds: [blocks], sep: [context.length] }, rows, targets);
  const out: FillScore[] = fills.map(() => ({ logProb: 0, tokenLogProbs: [] }));
  lp.forEach((v, i) => {
    const s = out[owner[i]!]!;
    s.logProb += v;
    s.tokenLogProbs.push(v);
  });
  return { logProb: out.reduce((s, b) => s + b.logProb, 0), blanks: out };
}

/**
 * `scoreFillsIds` for a text (wrapped as generation wraps it) and fills given as text. Fills are
 * encoded as given: with byte-level BPE vocabularies a leading space is part of a word (" Paris").
 */
export async function scoreFills(
  model: GLMModel,
  tokenizer: Tokenizer,
  text: string,
  fills: readonly string[],
  options: Omit<ScoreFillsOptions, "specialIds"> = {},
): Promise<FillScores> {
  checkVocab(model, tokenizer, "scoreFills");
  const { ids } = wrapForGeneration(tokenizer, text);
  return scoreFillsIds(
    model,
    ids,
    fills.map((f) => tokenizer.encode(f)),
    { ...options, specialIds: tokenizerSpecialIds(tokenizer) },
  );
}
