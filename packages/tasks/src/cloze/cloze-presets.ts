// Ready-made tasks for the shared classification sets (GLUE SST-2 layout: `sentence<TAB>label`).
// Patterns and label words:
// - sentence_polarity: the original's SST-2 pattern 0 and verbalizer A (THUDM/GLM
//   tasks/superglue/pvp.py Sst2PVP: [sentence, " It was", [MASK], "."], " terrible"/" great");
//   SST-2 comes from the same Rotten Tomatoes snippets, and both words are single tokens in
//   BERT's and GPT-2's vocabularies.
// - subjectivity: LM-BFF's manual prompt for Subj (Gao et al. 2021, "… This is [MASK].",
//   subjective/objective): it names the two classes literally, where sentiment words would not.
// - sentiment_labelled_sentences: the sentence_polarity pattern and words, so a model fine-tuned
//   on movie reviews can be checked out of domain (products, restaurants) with no change.
import { GlmjsError } from "@glmjs/common";
import { parseTsv } from "../datasets/tsv.js";
import { textRecords } from "../datasets/records.js";
import type { SkippedLine } from "../datasets/dataset-error.js";
import type { ClozeExample, ClozeTaskOptions } from "./cloze-task.js";

export type ClozePresetName = "sentence_polarity" | "subjectivity" | "sentiment_labelled_sentences";

export interface ClozePreset {
  name: ClozePresetName;
  description: string;
  /** Task options (pattern, label words, maximum length). */
  task: Required<Pick<ClozeTaskOptions, "pattern" | "verbalizer" | "labelField" | "maxLength">>;
  /** Files inside the dataset folder. */
  files: { train: string; dev: string };
}

export const CLOZE_PRESETS: Readonly<Record<ClozePresetName, ClozePreset>> = {
  sentence_polarity: {
    name: "sentence_polarity",
    description: "movie-review sentiment (Pang & Lee 2005): 1 positive, 0 negative",
    task: { pattern: "{sentence} It was [MASK].", verbalizer: { labels: ["0", "1"], words: [" terrible", " great"] }, labelField: "label", maxLength: 128 },
    files: { train: "train.tsv", dev: "dev.tsv" },
  },
  subjectivity: {
    name: "subjectivity",
    description: "subjective review snippet (1) or objective plot sentence (0) (Pang & Lee 2004)",
    task: {
      pattern: "{sentence} This is [MASK].",
      verbalizer: { labels: ["0", "1"], words: [" objective", " subjective"] },
      labelField: "label",
      maxLength: 128,
    },
    files: { train: "train.tsv", dev: "dev.tsv" },
  },
  sentiment_labelled_sentences: {
    name: "sentiment_labelled_sentences",
    description: "product, movie and restaurant review sentiment (Kotzias et al. 2015): 1 positive, 0 negative",
    task: { pattern: "{sentence} It was [MASK].", verbalizer: { labels: ["0", "1"], words: [" terrible", " great"] }, labelField: "label", maxLength: 128 },
    files: { train: "train.tsv", dev: "dev.tsv" },
  },
};

export function clozePreset(name: string): ClozePreset {
  const preset = (CLOZE_PRESETS as Record<string, ClozePreset>)[name];
  if (!preset) throw new GlmjsError("PRESET_UNKNOWN", `no cloze preset "${name}"; presets: ${Object.keys(CLOZE_PRESETS).join(", ")}`);
  return preset;
}

/** The examples of one preset file's text (`source` names it in errors). */
export function clozePresetExamples(
  preset: ClozePreset,
  text: string,
  source: string,
  skipInvalid = false,
): { examples: ClozeExample[]; skipped: SkippedLine[] } {
  const table = parseTsv(text, { source, skipInvalid });
  const r = textRecords(table, ["sentence", preset.task.labelField], { source, skipInvalid });
  return { examples: r.records, skipped: [...table.skipped, ...r.skipped] };
}

/** What a command line gives for a cloze task: a preset, or a pattern and label words (either may override the preset's). */
export interface ClozeTaskChoice {
  preset?: string;
  pattern?: string;
  /** "0=terrible,1=great", or a JSON object. */
  labelWords?: string;
  labelField?: string;
  maxLength?: number;
  answers?: ClozeTaskOptions["answers"];
  lengthPenalty?: number;
}

/** ClozeTaskOptions from a preset and/or explicit pattern and label words. */
export function resolveClozeTaskOptions(choice: ClozeTaskChoice): ClozeTaskOptions {
  const base = choice.preset !== undefined ? clozePreset(choice.preset).task : undefined;
  const pattern = choice.pattern ?? base?.pattern;
  const verbalizer = choice.labelWords ?? base?.verbalizer;
  if (pattern === undefined || verbalizer === undefined) {
    throw new GlmjsError(
      "OPTION_INVALID",
      `give a preset (${Object.keys(CLOZE_PRESETS).join(", ")}) or both a pattern (e.g. "{sentence} It was [MASK].") and label words (e.g. "0=terrible,1=great")`,
    );
  }
  const maxLength = choice.maxLength ?? base?.maxLength;
  return {
    pattern,
    verbalizer,
    labelField: choice.labelField ?? base?.labelField ?? "label",
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(choice.answers ? { answers: choice.answers } : {}),
    ...(choice.lengthPenalty !== undefined ? { lengthPenalty: choice.lengthPenalty } : {}),
  };
}
