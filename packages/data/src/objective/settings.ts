// Objective settings (the knobs of the original ConstructBlockStrategy) and the released
// models' mixtures as presets (GLM.md §4.2).
import { GlmjsError } from "@glmjs/common";
import { InvalidOptionError } from "../errors/invalid-option.js";

/** Token ids the objectives need (by name, as @glmjs/tokenizer's `special`). */
export interface SpecialIds {
  /** End of document (BERT-vocab models use [PAD] = 0). */
  eos: number;
  /** [ENC] / [CLS], prepended to every document piece. */
  cls: number;
  mask: number;
  sop: number;
  eop: number;
  /** Only needed when `taskMask` is on. */
  sMask?: number;
  gMask?: number;
  /** Only needed when `blockMaskProb` > 0. */
  dBlock?: number;
}

export interface ObjectiveSettings {
  /** Probability of a token-level ([MASK]) batch. */
  bertProb: number;
  /** Probability of a sentence-level ([sMASK]) batch; the rest is document-level ([gMASK]). */
  gapSentenceProb: number;
  /** Fraction of tokens masked in token mode (0.15). */
  bertRatio: number;
  /** Fraction of tokens masked in sentence mode (0.15). */
  gapSentenceRatio: number;
  /** Poisson λ of span lengths (3). */
  averageBlockLength: number;
  /** Span lengths are drawn from 1 … maxBlockLength − 1 (40 → 1…39). */
  maxBlockLength: number;
  /** Document mode: probability of the suffix ("infill") layout for single-document samples. */
  gptInfillProb: number;
  /** Document mode: the generation length is at least this fraction of the shortest sample. */
  gptMinRatio: number;
  /** Token mode: probability that a Part B input token is replaced by [dBLOCK]. */
  blockMaskProb: number;
  /** Probability that a batch is first re-cut into shorter random windows. */
  shortSeqProb: number;
  /** Probability of a token-mode batch with exactly one span. */
  singleSpanProb: number;
  /** Use [sMASK]/[gMASK] for sentence/document spans (else [MASK] everywhere). */
  taskMask: boolean;
  /** Shuffle the Part B span order (always on in released models). */
  shuffleBlocks: boolean;
  /** Block position ids 1…L in Part B (else all 1). */
  blockPositionEncoding: boolean;
}

export const defaultObjectiveSettings: ObjectiveSettings = {
  bertProb: 1.0,
  gapSentenceProb: 0.0,
  bertRatio: 0.15,
  gapSentenceRatio: 0.15,
  averageBlockLength: 3,
  maxBlockLength: 40,
  gptInfillProb: 0.5,
  gptMinRatio: 0.5,
  blockMaskProb: 0.0,
  shortSeqProb: 0.0,
  singleSpanProb: 0.0,
  taskMask: false,
  shuffleBlocks: true,
  blockPositionEncoding: true,
};

/** Released models' pretraining mixtures (THUDM/GLM config/*, GLM.md §4.2). */
export const objectivePresets = {
  /** GLM-Base, GLM-Large, GLM-RoBERTa: token-level blanks only. */
  "glm-large-blank": { ...defaultObjectiveSettings },
  /** GLM-10B, 512-token phase. */
  "glm-10b-multitask": {
    ...defaultObjectiveSettings,
    bertProb: 0.5,
    gapSentenceProb: 0.3,
    gptMinRatio: 0.25,
    blockMaskProb: 0.1,
    shortSeqProb: 0.02,
    taskMask: true,
  },
  /** GLM-10B, 1024-token ("longer") phase. */
  "glm-10b-longer": {
    ...defaultObjectiveSettings,
    bertProb: 0.4,
    gapSentenceProb: 0.3,
    gptMinRatio: 0.25,
    blockMaskProb: 0.1,
    shortSeqProb: 0.5,
    singleSpanProb: 0.05,
    taskMask: true,
  },
  /** GLM-Large-Chinese. */
  "glm-large-chinese": {
    ...defaultObjectiveSettings,
    bertProb: 0.4,
    gapSentenceProb: 0.3,
    gptMinRatio: 0.25,
    blockMaskProb: 0.1,
    shortSeqProb: 0.02,
    taskMask: true,
  },
  /** GLM-10B-Chinese (512 phase; same mixture as GLM-10B). */
  "glm-10b-chinese": {
    ...defaultObjectiveSettings,
    bertProb: 0.5,
    gapSentenceProb: 0.3,
    gptMinRatio: 0.25,
    blockMaskProb: 0.1,
    shortSeqProb: 0.02,
    taskMask: true,
  },
  /** GLM-Doc / GLM-410M / GLM-515M / GLM-2B: argument defaults (token 0.5, document 0.5). */
  "glm-doc": { ...defaultObjectiveSettings, bertProb: 0.5, gapSentenceProb: 0.0, gptMinRatio: 0.5 },
  /** Single objectives, handy for inspection. */
  token: { ...defaultObjectiveSettings },
  sentence: { ...defaultObjectiveSettings, bertProb: 0, gapSentenceProb: 1, taskMask: true },
  document: { ...defaultObjectiveSettings, bertProb: 0, gapSentenceProb: 0, taskMask: true },
} satisfies Record<string, ObjectiveSettings>;

export type ObjectivePresetName = keyof typeof objectivePresets;

/** Checks settings and the ids they need; throws an error naming the bad field. */
export function validateObjectiveSettings(settings: ObjectiveSettings, special: SpecialIds): void {
  const probs: (keyof ObjectiveSettings)[] = [
    "bertProb",
    "gapSentenceProb",
    "bertRatio",
    "gapSentenceRatio",
    "gptInfillProb",
    "gptMinRatio",
    "blockMaskProb",
    "shortSeqProb",
    "singleSpanProb",
  ];
  for (const key of probs) {
    const v = settings[key] as number;
    if (!(typeof v === "number" && v >= 0 && v <= 1)) throw new InvalidOptionError(`objective.${key}`, v, "must be a number in [0, 1]", "objective settings");
  }
  if (settings.bertProb + settings.gapSentenceProb > 1 + 1e-10) {
    throw new InvalidOptionError(
      "objective.gapSentenceProb",
      settings.gapSentenceProb,
      `must be at most 1 − bertProb = ${1 - settings.bertProb} (the two probabilities share one draw)`,
      "objective settings",
    );
  }
  if (!(Number.isInteger(settings.maxBlockLength) && settings.maxBlockLength >= 2))
    throw new InvalidOptionError("objective.maxBlockLength", settings.maxBlockLength, "must be an integer >= 2", "objective settings");
  if (!(Number.isFinite(settings.averageBlockLength) && settings.averageBlockLength > 0))
    throw new InvalidOptionError("objective.averageBlockLength", settings.averageBlockLength, "must be a number > 0", "objective settings");
  const need: (keyof SpecialIds)[] = ["eos", "cls", "mask", "sop", "eop"];
  if (settings.taskMask) need.push("sMask", "gMask");
  if (settings.blockMaskProb > 0) need.push("dBlock");
  for (const key of need) {
    const id = special[key];
    if (!(Number.isInteger(id) && (id as number) >= 0)) {
      throw new GlmjsError(
        "SPECIAL_TOKEN_MISSING",
        `objective: special id "${key}" is required by these settings but the tokenizer has none (${id}); turn off taskMask / blockMaskProb or use a tokenizer with that token`,
      );
    }
  }
}
