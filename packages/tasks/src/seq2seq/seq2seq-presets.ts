// Ready-made seq2seq tasks for the shared generation sets, each in the original layout closest
// to it (GLM.md §5.3):
// - scitldr (abstract → TL;DR): the summarisation layout of the original's XSum/CNN-DM runs
//   ([CLS] [M] " Content:" source), punctuation standardised as its summary reader does;
//   lengths 256/64 cover the median abstract (155 words) and TL;DR (18 words); lr 1e-5 (XSum).
// - squad_qg (sentence → question; Du et al. 2017's answer-agnostic split, so no " Answer:"
//   part): the original's SQuAD question-generation layout ([CLS] source " Question:" [M]),
//   target length 48 and lr 2e-5 as its config; PTB bracket tokens (-lrb- …) restored as the
//   original's Gigaword reader does. Only a dev split is public: 10 % of the source sentences
//   (by hash) are held out, every question of a sentence on the same side.
// - e2e_nlg (meaning representation → text): the original's "customization" layout for
//   user data ([CLS] source [M] [eos]); one dev CSV, split by MR like squad_qg.
import { GlmjsError } from "@glmjs/common";
import type { SkippedLine } from "../datasets/dataset-error.js";
import { parseE2eNlg } from "../datasets/e2e-nlg.js";
import { splitByGroup } from "../datasets/group-split.js";
import { parseLinePairs } from "../datasets/line-pairs.js";
import { parseScitldr } from "../datasets/scitldr.js";
import type { DecodingOptions } from "../decoding/options.js";
import type { Seq2seqExample, Seq2seqTaskOptions } from "./seq2seq-task.js";

export type Seq2seqPresetName = "scitldr" | "squad_qg" | "e2e_nlg";

export interface Seq2seqPreset {
  name: Seq2seqPresetName;
  description: string;
  task: Seq2seqTaskOptions;
  /** The original's learning rate for the closest task. */
  lr: number;
  /**
   * How outputs are generated for evaluation: the original's beam-search settings of the closest
   * task (config_tasks/*: beams, length penalty, min length, no-repeat n-gram), at most the
   * target length new tokens.
   */
  decoding: DecodingOptions;
  /** Files inside the dataset folder. */
  files: readonly string[];
}

/** Share of groups held out when a set has a single split, and the hash seed. */
export const HELD_OUT_FRACTION = 0.1;
export const SPLIT_SEED = 0;

/**
 * Decoding for the user's own data: the original's "customization" config (5 beams, length
 * penalty 0.7, no-repeat 3-grams) without its 55-token minimum, which is meant for news summaries.
 */
export const SEQ2SEQ_CUSTOM_DECODING: Readonly<DecodingOptions> = { strategy: "beam", numBeams: 5, lengthPenalty: 0.7, noRepeatNgramSize: 3 };
const CUSTOM_DECODING = (): DecodingOptions => ({ ...SEQ2SEQ_CUSTOM_DECODING });

export const SEQ2SEQ_PRESETS: Readonly<Record<Seq2seqPresetName, Seq2seqPreset>> = {
  scitldr: {
    name: "scitldr",
    description: "paper abstract → one-sentence TL;DR (SciTLDR-A)",
    task: { format: "summary", sourceLength: 256, targetLength: 64 },
    lr: 1e-5,
    // XSum's: one-sentence summaries.
    decoding: { strategy: "beam", numBeams: 6, lengthPenalty: 1, minNewTokens: 10, noRepeatNgramSize: 3, maxNewTokens: 64 },
    files: ["train.jsonl", "dev.jsonl"],
  },
  squad_qg: {
    name: "squad_qg",
    description: "sentence → question (SQuAD 1.1, Du et al. 2017 split)",
    task: { format: "question-generation", sourceLength: 128, targetLength: 48 },
    lr: 2e-5,
    // SQuAD question generation's.
    decoding: { strategy: "beam", numBeams: 5, lengthPenalty: 0.7, noRepeatNgramSize: 0, maxNewTokens: 48 },
    files: ["src-dev.txt", "tgt-dev.txt"],
  },
  e2e_nlg: {
    name: "e2e_nlg",
    description: "restaurant meaning representation → description (E2E NLG)",
    task: { format: "custom", sourceLength: 64, targetLength: 64 },
    lr: 1e-5,
    decoding: { ...CUSTOM_DECODING(), maxNewTokens: 64 },
    files: ["devset.csv"],
  },
};

export function seq2seqPreset(name: string): Seq2seqPreset {
  const preset = (SEQ2SEQ_PRESETS as Record<string, Seq2seqPreset>)[name];
  if (!preset) throw new GlmjsError("PRESET_UNKNOWN", `no seq2seq preset "${name}"; presets: ${Object.keys(SEQ2SEQ_PRESETS).join(", ")}`);
  return preset;
}

/** `-lrb-` → `(` and the other PTB bracket tokens back to brackets. */
export function restorePtbBrackets(text: string): string {
  const map: Record<string, string> = { "-lrb-": "(", "-rrb-": ")", "-lsb-": "[", "-rsb-": "]", "-lcb-": "{", "-rcb-": "}" };
  return text.replace(/-(?:lrb|rrb|lsb|rsb|lcb|rcb)-/gi, (m) => map[m.toLowerCase()]!);
}

export interface PresetSplits {
  train: Seq2seqExample[];
  dev: Seq2seqExample[];
  skipped: SkippedLine[];
}

/**
 * Train and dev examples of a preset from its files' text (keyed by file name); `nameOf` gives the
 * name errors use for a file (e.g. its full path).
 */
export function seq2seqPresetExamples(
  preset: Seq2seqPreset,
  files: Readonly<Record<string, string>>,
  skipInvalid = false,
  nameOf: (file: string) => string = (f) => f,
): PresetSplits {
  const text = (name: string) => {
    const t = files[name];
    if (t === undefined) throw new GlmjsError("INPUT_INVALID", `preset ${preset.name}: file ${name} was not given`);
    return t;
  };
  if (preset.name === "scitldr") {
    const train = parseScitldr(text("train.jsonl"), { source: nameOf("train.jsonl"), skipInvalid });
    const dev = parseScitldr(text("dev.jsonl"), { source: nameOf("dev.jsonl"), skipInvalid });
    return {
      train: train.records.map((r) => ({ source: r.source, target: r.targets[0]!, references: r.targets })),
      dev: dev.records.map((r) => ({ source: r.source, target: r.targets[0]!, references: r.targets })),
      skipped: [...train.skipped, ...dev.skipped],
    };
  }
  if (preset.name === "squad_qg") {
    const { pairs } = parseLinePairs(text("src-dev.txt"), text("tgt-dev.txt"), {
      sourceName: nameOf("src-dev.txt"),
      targetName: nameOf("tgt-dev.txt"),
      skipInvalid,
    });
    const examples = pairs.map((p) => ({ source: restorePtbBrackets(p.source), target: restorePtbBrackets(p.target) }));
    const split = splitByGroup(examples, (e) => e.source, HELD_OUT_FRACTION, SPLIT_SEED);
    return { train: split.train, dev: withReferences(split.heldOut), skipped: [] };
  }
  const parsed = parseE2eNlg(text("devset.csv"), { source: nameOf("devset.csv"), skipInvalid });
  const split = splitByGroup(
    parsed.records.map((r) => ({ source: r.mr, target: r.ref })),
    (e) => e.source,
    HELD_OUT_FRACTION,
    SPLIT_SEED,
  );
  return { train: split.train, dev: withReferences(split.heldOut), skipped: parsed.skipped };
}

/** Every example of a source gets all targets of that source as its references. */
function withReferences(examples: Seq2seqExample[]): Seq2seqExample[] {
  const refs = new Map<string, string[]>();
  for (const e of examples) refs.set(e.source, [...(refs.get(e.source) ?? []), e.target!]);
  return examples.map((e) => ({ ...e, references: refs.get(e.source)! }));
}

/** What a command line gives for a seq2seq task: a preset and/or explicit settings (which win). */
export interface Seq2seqTaskChoice extends Partial<Seq2seqTaskOptions> {
  preset?: string;
}

/** Seq2seqTaskOptions from a preset and/or explicit settings; user data defaults to the "custom" layout. */
export function resolveSeq2seqTaskOptions(choice: Seq2seqTaskChoice): Seq2seqTaskOptions {
  const { preset, ...explicit } = choice;
  const base = preset !== undefined ? seq2seqPreset(preset).task : { format: "custom" as const, sourceLength: 256, targetLength: 64 };
  const defined = Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined)) as Partial<Seq2seqTaskOptions>;
  return { ...base, ...defined };
}
