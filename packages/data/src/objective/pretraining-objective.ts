// The objective a pretraining run uses, chosen by name and fitted to its tokenizer: one place for
// what `glm pretrain`, `glm data inspect` and the browser share (which names exist, what a
// vocabulary without [sMASK]/[gMASK]/[dBLOCK] turns off), plus the sizes the objective implies.
import { InvalidOptionError } from "../errors/invalid-option.js";
import { defaultObjectiveSettings, objectivePresets, type ObjectivePresetName, type ObjectiveSettings, type SpecialIds } from "./settings.js";

/** Short names for the three objectives and their mixture (GLM.md §4.2). */
export const OBJECTIVE_NAMES = {
  /** GLM-10B's mixture: 50 % token blanks, 30 % sentence blanks, 20 % document blanks. */
  mixed: "glm-10b-multitask",
  token: "token",
  sentence: "sentence",
  document: "document",
} as const satisfies Record<string, ObjectivePresetName>;

/** The command tokens a tokenizer offers; absent ones are undefined or negative (as @glmjs/tokenizer's -1). */
export interface TokenizerSpecialIds {
  eos: number;
  cls: number;
  mask: number;
  sop: number;
  eop: number;
  sMask?: number;
  gMask?: number;
  dBlock?: number;
}

export interface PretrainingObjective {
  /** The preset the name stands for ("mixed" → "glm-10b-multitask"); "custom" for settings objects. */
  preset: ObjectivePresetName | "custom";
  /** Complete settings, with what the tokenizer cannot support turned off. */
  settings: ObjectiveSettings;
  /** The ids the objective uses (absent optional tokens left out). */
  special: SpecialIds;
  /** What was turned off and why, one sentence each. */
  notes: string[];
}

/** The names objectiveForTokenizer accepts: the short names, then every preset. */
export function objectiveNames(): string[] {
  return [...Object.keys(OBJECTIVE_NAMES), ...Object.keys(objectivePresets).filter((p) => !(p in OBJECTIVE_NAMES))];
}

/**
 * Resolves `objective` (a short name, a preset name, or settings) and fits it to the tokenizer:
 * without [sMASK]/[gMASK] every blank uses [MASK] (as the released BERT-vocabulary models do);
 * without [dBLOCK] the Part B noise is off. Throws InvalidOptionError("objective") for an unknown name.
 */
export function objectiveForTokenizer(objective: string | Partial<ObjectiveSettings>, tokenizer: { special: TokenizerSpecialIds }): PretrainingObjective {
  let preset: ObjectivePresetName | "custom";
  let base: ObjectiveSettings;
  if (typeof objective === "string") {
    const name = (OBJECTIVE_NAMES as Record<string, ObjectivePresetName>)[objective] ?? objective;
    const found = (objectivePresets as Record<string, ObjectiveSettings>)[name];
    if (!found) throw new InvalidOptionError("objective", objective, `must be one of ${objectiveNames().join(", ")}`, "objectiveForTokenizer");
    preset = name as ObjectivePresetName;
    base = found;
  } else {
    preset = "custom";
    base = { ...defaultObjectiveSettings, ...objective };
  }
  const s = tokenizer.special;
  const has = (id: number | undefined): id is number => typeof id === "number" && Number.isInteger(id) && id >= 0;
  const special: SpecialIds = { eos: s.eos, cls: s.cls, mask: s.mask, sop: s.sop, eop: s.eop };
  if (has(s.sMask)) special.sMask = s.sMask;
  if (has(s.gMask)) special.gMask = s.gMask;
  if (has(s.dBlock)) special.dBlock = s.dBlock;
  const settings = { ...base };
  const notes: string[] = [];
  if (settings.taskMask && !(has(s.sMask) && has(s.gMask))) {
    settings.taskMask = false;
    notes.push("this tokenizer has no [sMASK]/[gMASK]: [MASK] is used for every objective (as the released BERT-vocabulary models do)");
  }
  if (settings.blockMaskProb > 0 && !has(s.dBlock)) {
    settings.blockMaskProb = 0;
    notes.push("this tokenizer has no [dBLOCK]: Part B noise is off");
  }
  return { preset, settings, special, notes };
}

/**
 * The smallest raw sample length S the objective works with: 34 when it re-cuts batches into
 * short windows (of 32 … S − 2 tokens, as the original's split_samples), else 4 (an [ENC], two
 * tokens and an eos).
 */
export function minSeqLength(settings: Pick<ObjectiveSettings, "shortSeqProb">): number {
  return settings.shortSeqProb > 0 ? 34 : 4;
}

/**
 * The longest unpadded row the objective can build from raw samples of at most `seqLength`
 * tokens. Each span adds two tokens (its mask in Part A and [sop] in Part B; GLM.md §4.3 step 9:
 * `len + 2k`). Token and sentence mode draw spans until they cover floor(ratio · len) tokens, so
 * they place at most max(1, floor(ratio · S)) spans (the bound is reached when every span is one
 * token long); document mode places one. Batches are padded to their longest row, so this is also
 * the widest batch.
 */
export function maxRowLength(seqLength: number, settings: ObjectiveSettings): number {
  const spans = (ratio: number) => Math.max(1, Math.floor(ratio * seqLength));
  let longest = seqLength + 2;
  if (settings.bertProb > 0) longest = Math.max(longest, seqLength + 2 * spans(settings.bertRatio));
  if (settings.gapSentenceProb > 0) longest = Math.max(longest, seqLength + 2 * spans(settings.gapSentenceRatio));
  return longest;
}

/** Throws InvalidOptionError(option) unless `seqLength` is an integer the objective works with. */
export function checkSeqLength(where: string, option: string, seqLength: number, settings: Pick<ObjectiveSettings, "shortSeqProb">): void {
  const min = minSeqLength(settings);
  if (!(Number.isInteger(seqLength) && seqLength >= min)) {
    const why = settings.shortSeqProb > 0 ? " (this objective re-cuts some batches into windows of 32 … S − 2 tokens)" : "";
    throw new InvalidOptionError(option, seqLength, `must be an integer >= ${min}${why}`, where);
  }
}
