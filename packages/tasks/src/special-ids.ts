// The command-token ids every task needs (generation, scoring, cloze, seq2seq): a subset of a
// tokenizer's `special` (any GLM tokenizer of @glmjs/tokenizer fits), so ids-level code also runs
// without a tokenizer.
import { GlmjsError } from "@glmjs/common";
export interface TaskSpecialIds {
  /** `<|startofpiece|>`: opens every Part B span. */
  sop: number;
  /** `<|endofpiece|>`: ends a span (the last target of every answer). */
  eop: number;
  /** End of Part A; also the original's padding of cloze rows. */
  eos: number;
  pad: number;
  /** ENC, written `[CLS]`: the first token of every Part A. */
  cls: number;
  mask: number;
  sMask: number;
  gMask: number;
}

const NAMES = ["sop", "eop", "eos", "pad", "cls", "mask", "sMask", "gMask"] as const;

/** Picks the task ids out of a tokenizer's `special` (or any object holding them). */
export function taskSpecialIds(special: TaskSpecialIds): TaskSpecialIds {
  const out = {} as TaskSpecialIds;
  for (const name of NAMES) out[name] = special[name];
  return out;
}

/** Throws, naming the caller, unless every id in `needed` is a non-negative integer. */
export function requireSpecialIds(
  ids: Partial<TaskSpecialIds> | undefined,
  needed: readonly (keyof TaskSpecialIds)[],
  where: string,
): asserts ids is TaskSpecialIds {
  if (!ids || typeof ids !== "object")
    throw new GlmjsError("OPTION_INVALID", `${where}: give specialIds { ${NAMES.join(", ")} } (a tokenizer's \`special\` fits)`);
  const bad = needed.filter((k) => !Number.isInteger(ids[k]) || (ids[k] as number) < 0);
  if (bad.length) {
    throw new GlmjsError(
      "SPECIAL_TOKEN_MISSING",
      `${where}: specialIds.${bad.join(", specialIds.")} ${bad.length > 1 ? "are" : "is"} missing or negative (got ${bad.map((k) => JSON.stringify(ids[k])).join(", ")}); this tokenizer variant may lack the token`,
    );
  }
}
