// One teacher-forced scoring row (GLM.md §5.1): Part A = [CLS] … [M] (…), Part B = [sop] + the
// scored tokens but the last, each Part B input predicting the next scored token.
import { GlmjsError } from "@glmjs/common";
import type { SpecialIds, Tokenizer } from "@glmjs/tokenizer";

export interface LmRow {
  inputIds: number[];
  /** Part A: 0 … |A|−1; Part B: the position of the [M] token. */
  positionIds: number[];
  /** Part A: 0; Part B: 1, 2, … */
  blockPositionIds: number[];
  /** The token each position must predict (0 where nothing is scored, as the original). */
  targets: number[];
  /** 1 where the prediction is scored, else 0. */
  lossMask: number[];
  /** Length of Part A. */
  sep: number;
}

/** The command-token ids a row needs; `mask` is the [M] token chosen for the evaluation. */
export interface LmSpecialIds {
  cls: number;
  eos: number;
  sop: number;
  mask: number;
}

/** What the evaluations need of a tokenizer (a `GLMTokenizer` is one). */
export type LmTokenizer = Pick<Tokenizer, "encode"> & { readonly special: Pick<SpecialIds, "cls" | "eos" | "sop" | "mask" | "gMask"> };

/** `[gMASK]` or `[MASK]` as the blank of the evaluation's Part A. */
export type LmMaskToken = "gMASK" | "MASK";

/**
 * The special ids of an evaluation: [M] = `[gMASK]` when the tokenizer has it (the original uses
 * gMASK for models trained with `--task-mask`), else `[MASK]`, unless `maskToken` says which.
 */
export function lmSpecialIds(tokenizer: LmTokenizer, maskToken?: LmMaskToken): LmSpecialIds {
  const { cls, eos, sop, mask, gMask } = tokenizer.special;
  const choice = maskToken ?? (gMask >= 0 ? "gMASK" : "MASK");
  if (choice !== "gMASK" && choice !== "MASK") throw new GlmjsError("OPTION_INVALID", `maskToken must be "gMASK" or "MASK", got ${JSON.stringify(maskToken)}`);
  const m = choice === "gMASK" ? gMask : mask;
  for (const [name, id] of [
    ["[CLS]", cls],
    ["eos", eos],
    ["sop", sop],
    [`[${choice}]`, m],
  ] as const) {
    if (!Number.isInteger(id) || id < 0)
      throw new GlmjsError("SPECIAL_TOKEN_MISSING", `the tokenizer has no ${name} token (id ${id}); a GLM evaluation row needs [CLS], [M], eos and sop`);
  }
  return { cls, eos, sop, mask: m };
}

/**
 * The row of `build_input_from_ids(partA, None, scored, add_cls=True, add_piece=True)`:
 * `[CLS] + partA (+ [eos])`, then `[sop] + scored[:-1]` at the position of the last [M] of Part A,
 * with block positions 1 … |scored|. `scoreFrom` = index into `scored` of the first target that
 * counts (earlier ones are inputs only).
 */
export function buildLmRow(partA: readonly number[], scored: readonly number[], special: LmSpecialIds, options: { eos: boolean; scoreFrom?: number }): LmRow {
  if (scored.length === 0) throw new GlmjsError("INPUT_INVALID", "buildLmRow: nothing to score (Part B would be empty)");
  const a = [special.cls, ...partA];
  if (options.eos) a.push(special.eos);
  const maskPosition = a.lastIndexOf(special.mask);
  if (maskPosition < 0) throw new GlmjsError("INPUT_INVALID", "buildLmRow: Part A holds no [M] token");
  const scoreFrom = options.scoreFrom ?? 0;
  const sep = a.length;
  return {
    inputIds: [...a, special.sop, ...scored.slice(0, -1)],
    positionIds: [...a.map((_, i) => i), ...scored.map(() => maskPosition)],
    blockPositionIds: [...a.map(() => 0), ...scored.map((_, i) => i + 1)],
    targets: [...a.map(() => 0), ...scored],
    lossMask: [...a.map(() => 0), ...scored.map((_, i) => (i >= scoreFrom ? 1 : 0))],
    sep,
  };
}
