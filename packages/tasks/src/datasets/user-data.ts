// The user's own data, from text (browser-safe; the Node readers in "@glmjs/tasks/node" read
// the files and call these).
import type { ClozeExample } from "../cloze/cloze-task.js";
import type { Seq2seqExample } from "../seq2seq/seq2seq-task.js";
import type { ParseOptions, SkippedLine } from "./dataset-error.js";
import { parseJsonl } from "./jsonl.js";
import { parseLinePairs } from "./line-pairs.js";
import { textRecords } from "./records.js";
import { parseTsv } from "./tsv.js";

export type TableFormat = "tsv" | "jsonl";

/** "jsonl" for .jsonl/.json names, else "tsv". */
export function formatOfName(name: string): TableFormat {
  return /\.jsonl?$/i.test(name) ? "jsonl" : "tsv";
}

export interface ClozeDataOptions extends ParseOptions {
  format?: TableFormat;
  /** Fields every example must have: the pattern's fields and the label field (when labelled). */
  fields: readonly string[];
}

/** Cloze examples from a TSV (header line) or JSONL text. */
export function clozeExamplesFromText(text: string, options: ClozeDataOptions): { examples: ClozeExample[]; skipped: SkippedLine[] } {
  const format = options.format ?? formatOfName(options.source ?? "");
  const table = format === "jsonl" ? parseJsonl(text, options) : parseTsv(text, options);
  const r = textRecords(table, options.fields, options);
  return { examples: r.records, skipped: [...table.skipped, ...r.skipped] };
}

export interface Seq2seqDataOptions extends ParseOptions {
  format?: TableFormat;
  /** Field names in a TSV/JSONL file. Defaults: source, target, answer. */
  sourceField?: string;
  targetField?: string;
  answerField?: string;
  /** Require a target (training, evaluation). Default true. */
  requireTarget?: boolean;
}

/** Seq2seq examples from a TSV or JSONL text with source/target (and optional answer) fields. */
export function seq2seqExamplesFromText(text: string, options: Seq2seqDataOptions = {}): { examples: Seq2seqExample[]; skipped: SkippedLine[] } {
  const format = options.format ?? formatOfName(options.source ?? "");
  const table = format === "jsonl" ? parseJsonl(text, options) : parseTsv(text, options);
  const s = options.sourceField ?? "source";
  const t = options.targetField ?? "target";
  const a = options.answerField ?? "answer";
  const required = options.requireTarget === false ? [s] : [s, t];
  const r = textRecords(table, required, { ...options, optional: [t, a].filter((f) => !required.includes(f)) });
  const examples = r.records.map((rec) => ({
    source: rec[s]!,
    ...(rec[t] !== undefined ? { target: rec[t] } : {}),
    ...(rec[a] !== undefined ? { answer: rec[a] } : {}),
  }));
  return { examples, skipped: [...table.skipped, ...r.skipped] };
}

/** Seq2seq examples from the original's `{split}.source` / `{split}.target` line pairs. */
export function seq2seqExamplesFromLinePairs(
  sourceText: string,
  targetText: string,
  options: { sourceName?: string; targetName?: string; skipInvalid?: boolean } = {},
): { examples: Seq2seqExample[]; skipped: number } {
  const { pairs, skipped } = parseLinePairs(sourceText, targetText, options);
  return { examples: pairs, skipped };
}
