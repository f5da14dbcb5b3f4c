// A cloze classification task: pattern + verbalizer + tokenizer → the rows the model scores.
// Single-token answers use the original's single-token head (one row: Part A + [sop]; logits at
// the blank); multi-token answers one row per label (Part A + [sop] + answer, answer + eop scored).
import { GlmjsError } from "@glmjs/common";
import { standardizePunctuation } from "@glmjs/tokenizer";
import { buildClozeRow, type ClozeRow } from "./cloze-row.js";
import { type ClozePattern, encodePattern, parsePattern, truncateParts } from "./pattern.js";
import { requireSpecialIds, type TaskSpecialIds } from "../special-ids.js";
import { parseVerbalizer, type Verbalizer } from "./verbalizer.js";

/** What a task needs from a tokenizer (any @glmjs/tokenizer GLM tokenizer fits). */
export interface TaskTokenizer {
  encode(text: string): number[];
  readonly special: TaskSpecialIds;
}

/** An example: its text fields by name, and its label when known. */
export type ClozeExample = Readonly<Record<string, string>>;

export type AnswerMode = "single" | "multi";

export interface ClozeTaskOptions {
  /** A template such as "{sentence} It was [MASK]." (see parsePattern). */
  pattern: string | ClozePattern;
  /** Label → answer text: "0=terrible,1=great", { "0": "terrible", … } or { labels, words }. */
  verbalizer: string | Readonly<Record<string, string>> | Verbalizer;
  /** The example field holding the label. Default "label". */
  labelField?: string;
  /** Longest row, special tokens and answer included (the original's --seq-length; SuperGLUE 256). */
  maxLength?: number;
  /** "auto" (default): single-token head when every answer is one token, else multi-token scoring. */
  answers?: "auto" | AnswerMode;
  /** Multi-token scores are divided by (tokens + 1)^lengthPenalty (0, the default: plain sums). */
  lengthPenalty?: number;
  /** Apply GLM's English punctuation standardisation to the fields, as the original's readers do. Default true. */
  standardizePunctuation?: boolean;
  /**
   * Prepend a space to answers that have none (default true): in the pattern the answer follows a
   * word, and a byte-level BPE codes " great", not "great" (the original writes its verbalizers so).
   */
  prefixSpace?: boolean;
}

/** One example ready for scoring. */
export interface EncodedCloze {
  /** One row (single-token head) or one per label (multi-token). */
  rows: ClozeRow[];
  /** Index of the gold label; -1 when the example has none. */
  label: number;
  /** Field tokens removed to fit maxLength (the most over the rows). */
  truncated: number;
}

export const DEFAULT_CLOZE_MAX_LENGTH = 256;

export class ClozeTask {
  readonly pattern: ClozePattern;
  readonly verbalizer: Verbalizer;
  readonly labels: readonly string[];
  /** Token ids of each label's answer (without eop). */
  readonly answerIds: readonly (readonly number[])[];
  readonly mode: AnswerMode;
  readonly labelField: string;
  readonly maxLength: number;
  readonly lengthPenalty: number;
  readonly special: TaskSpecialIds;
  private readonly standardize: boolean;
  private readonly labelIndexes: Map<string, number>;

  constructor(
    private readonly tokenizer: TaskTokenizer,
    options: ClozeTaskOptions,
  ) {
    requireSpecialIds(tokenizer?.special, ["cls", "eos", "sop", "eop", "mask"], "ClozeTask");
    this.special = tokenizer.special;
    this.pattern = typeof options.pattern === "string" ? parsePattern(options.pattern) : options.pattern;
    this.verbalizer = parseVerbalizer(options.verbalizer);
    this.labels = this.verbalizer.labels;
    this.labelIndexes = new Map(this.labels.map((l, i) => [l, i]));
    this.labelField = options.labelField ?? "label";
    this.maxLength = options.maxLength ?? DEFAULT_CLOZE_MAX_LENGTH;
    if (!Number.isInteger(this.maxLength) || this.maxLength < 8)
      throw new GlmjsError("OPTION_INVALID", `ClozeTask: maxLength must be an integer ≥ 8, got ${options.maxLength}`);
    this.lengthPenalty = options.lengthPenalty ?? 0;
    if (!(this.lengthPenalty >= 0)) throw new GlmjsError("OPTION_INVALID", `ClozeTask: lengthPenalty must be ≥ 0, got ${options.lengthPenalty}`);
    this.standardize = options.standardizePunctuation ?? true;
    const prefix = options.prefixSpace ?? true;
    const commandIds = new Set(Object.values(this.special));
    this.answerIds = this.verbalizer.words.map((word, i) => {
      const ids = tokenizer.encode(prefix && !/^\s/.test(word) ? ` ${word}` : word);
      if (ids.length === 0) throw new GlmjsError("LABEL_WORDS_INVALID", `ClozeTask: the answer "${word}" of label "${this.labels[i]}" encodes to no tokens`);
      if (ids.some((id) => commandIds.has(id)))
        throw new GlmjsError("LABEL_WORDS_INVALID", `ClozeTask: the answer "${word}" of label "${this.labels[i]}" contains a special token`);
      return ids;
    });
    const allSingle = this.answerIds.every((ids) => ids.length === 1);
    const wanted = options.answers ?? "auto";
    if (wanted === "single" && !allSingle) {
      const multi = this.answerIds.map((ids, i) => [this.verbalizer.words[i], ids.length] as const).filter(([, n]) => n > 1);
      throw new GlmjsError(
        "LABEL_WORDS_INVALID",
        `ClozeTask: single-token answers requested but ${multi.map(([w, n]) => `"${w}" is ${n} tokens`).join(", ")}; use answers "multi" or "auto", or other words`,
      );
    }
    this.mode = wanted === "auto" ? (allSingle ? "single" : "multi") : wanted;
    if (this.mode === "single" && new Set(this.answerIds.map((ids) => ids[0])).size !== this.answerIds.length) {
      throw new GlmjsError("LABEL_WORDS_INVALID", "ClozeTask: two labels have the same answer token");
    }
  }

  /** Index of a label value; -1 for an unknown value. */
  labelIndex(label: string): number {
    return this.labelIndexes.get(label) ?? -1;
  }

  /** Builds the rows of one example; its label field may be absent (prediction). */
  encode(example: ClozeExample): EncodedCloze {
    const rawLabel = example[this.labelField];
    let label = -1;
    if (rawLabel !== undefined) {
      label = this.labelIndex(String(rawLabel));
      if (label < 0) throw new GlmjsError("EXAMPLE_INVALID", `label "${rawLabel}" is not one of the verbalizer's labels (${this.labels.join(", ")})`);
    }
    const prepare = this.standardize ? standardizePunctuation : (t: string) => t;
    const encodeParts = () => encodePattern(this.pattern, example, (t) => this.tokenizer.encode(t), this.special.mask, prepare);
    let truncated = 0;
    const rows: ClozeRow[] = [];
    if (this.mode === "single") {
      // [CLS] + eos + the lone [sop] (the original counts the piece when there is no answer).
      const parts = encodeParts();
      truncated = truncateParts(parts, 3, this.maxLength);
      rows.push(
        buildClozeRow(
          parts.flatMap((p) => p.ids),
          undefined,
          this.special,
        ),
      );
    } else {
      // As the original, each answer truncates its own copy of the parts ([CLS] + eos + answer + eop).
      const encoded = encodeParts();
      for (const answer of this.answerIds) {
        const parts = encoded.map((p) => ({ ids: [...p.ids], shortenable: p.shortenable }));
        truncated = Math.max(truncated, truncateParts(parts, answer.length + 3, this.maxLength));
        rows.push(
          buildClozeRow(
            parts.flatMap((p) => p.ids),
            [...answer, this.special.eop],
            this.special,
          ),
        );
      }
    }
    return { rows, label, truncated };
  }
}
