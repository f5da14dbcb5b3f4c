// Generation's view of the special ids: validation against the model's vocabulary, the blanks of a
// context, the default stop ids.
import { GlmjsError } from "@glmjs/common";
import type { TaskSpecialIds } from "../special-ids.js";

const NAMES = ["sop", "eop", "eos", "pad", "cls", "mask", "sMask", "gMask"] as const;

/**
 * Checks `ids` and returns a complete copy: sop and eop are required; any other id may be left out
 * (or negative) when the vocabulary lacks it. Every id given must be an integer below `vocabSize`.
 */
export function checkSpecialIds(ids: Partial<TaskSpecialIds> | undefined, vocabSize: number, where: string): TaskSpecialIds {
  if (ids === null || typeof ids !== "object") {
    throw new GlmjsError(
      "OPTION_INVALID",
      `${where}: options.specialIds is required: { sop, eop, eos, pad, cls, mask, sMask, gMask } (a tokenizer's \`special\` has them)`,
    );
  }
  const out = {} as TaskSpecialIds;
  for (const name of NAMES) {
    const v = ids[name] ?? -1;
    if (!Number.isInteger(v))
      throw new GlmjsError(
        "OPTION_INVALID",
        `${where}: specialIds.${name} must be an integer id (negative or absent when the vocabulary lacks it), got ${String(v)}`,
      );
    if (v >= vocabSize) throw new GlmjsError("OPTION_INVALID", `${where}: specialIds.${name} = ${v} is outside the model's vocabulary of ${vocabSize}`);
    out[name] = v < 0 ? -1 : v;
  }
  for (const name of ["sop", "eop"] as const) {
    if (out[name] < 0)
      throw new GlmjsError(
        "SPECIAL_TOKEN_MISSING",
        `${where}: specialIds.${name} is missing; generation needs a tokenizer with GLM's block symbols (sop, eop)`,
      );
  }
  return out;
}

/** The blank (mask) ids present: `[MASK]`, `[sMASK]`, `[gMASK]`. */
export function blankIds(ids: TaskSpecialIds): number[] {
  return [ids.mask, ids.sMask, ids.gMask].filter((id) => id >= 0);
}

/** Positions of every blank in `context`, ascending (the order the original fills them). */
export function blankPositions(context: readonly number[], ids: TaskSpecialIds): number[] {
  const blanks = new Set(blankIds(ids));
  const out: number[] = [];
  for (let i = 0; i < context.length; i++) if (blanks.has(context[i]!)) out.push(i);
  return out;
}

/** The ids a span stops on by default: eop, and eos (documents end with it). */
export function defaultStopIds(ids: TaskSpecialIds): number[] {
  return [...new Set([ids.eop, ids.eos].filter((id) => id >= 0))];
}
