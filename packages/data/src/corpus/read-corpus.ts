// Streaming corpus reader: plain text (documents separated by blank lines, or one per line)
// and JSONL (a text field per line), from files, folders and globs, in a deterministic order,
// sharded, with bounded memory. Bad input is counted and reported with file and line, then
// skipped or made fatal (option `onError`).
import { GlmjsError } from "@glmjs/common";
import { Rng } from "../random/rng.js";
import { expandCorpusPaths } from "./files.js";
import { CorpusError, CorpusIssues, type CorpusIssue } from "./corpus-issues.js";
import { readLines } from "./lines.js";

export interface CorpusOptions {
  /** Files, folders (read recursively) and globs. */
  paths: readonly string[];
  /** "auto" (default): *.jsonl / *.ndjson are JSONL, everything else text. */
  format?: "auto" | "text" | "jsonl";
  /** Text files: "paragraph" (default; blank lines separate documents) or "line" (one per line). */
  documents?: "paragraph" | "line";
  /** JSONL: the field holding the text (default "text"). */
  textField?: string;
  /** What to do with bad input: "skip" (default; counted in `issues`) or "fatal" (throw CorpusError). */
  onError?: "skip" | "fatal";
  /** Lines longer than this many bytes are giant-line issues (default 64 MiB). */
  maxLineBytes?: number;
  /** A paragraph document longer than this many characters is emitted in pieces (default 16 Mi). */
  maxDocumentChars?: number;
  /** Seed of the file order (files are shuffled per epoch); omitted: sorted path order. */
  seed?: number;
  /** Reader `index` of `count`: takes every count-th document. */
  shard?: { index: number; count: number };
  /** Where issues are counted (pass one in to read it afterwards). */
  issues?: CorpusIssues;
}

export interface CorpusDocument {
  text: string;
  file: string;
  /** 1-based line where the document starts. */
  line: number;
  /** Index among the documents this reader (shard) yields in this epoch. */
  index: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The files of a corpus in the order used for `epoch`. */
export async function corpusFileOrder(options: CorpusOptions, epoch = 0): Promise<string[]> {
  const files = await expandCorpusPaths(options.paths);
  if (options.seed !== undefined) new Rng(`files:${options.seed}:${epoch}`).shuffle(files);
  return files;
}

export async function* readCorpus(options: CorpusOptions, epoch = 0): AsyncGenerator<CorpusDocument> {
  const shard = options.shard ?? { index: 0, count: 1 };
  if (!(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new GlmjsError("OPTION_INVALID", `corpus: shard must be {index, count} with 0 <= index < count, got ${JSON.stringify(shard)}`);
  }
  const issues = options.issues ?? new CorpusIssues();
  const fatal = options.onError === "fatal";
  const report = (issue: CorpusIssue): void => {
    issues.add(issue);
    if (fatal) throw new CorpusError(issue);
  };
  let global = 0;
  let local = 0;
  for (const file of await corpusFileOrder(options, epoch)) {
    const jsonl = options.format === "jsonl" || ((options.format ?? "auto") === "auto" && /\.(jsonl|ndjson)$/i.test(file));
    for await (const doc of jsonl ? jsonlDocuments(file, options, report) : textDocuments(file, options, report)) {
      if (global++ % shard.count !== shard.index) continue;
      yield { ...doc, index: local++ };
    }
  }
}

type Report = (issue: CorpusIssue) => void;

function decodeLine(bytes: Uint8Array, file: string, line: number, report: Report): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    report({ kind: "invalid-utf8", file, line, message: "the line is not valid UTF-8; it was skipped" });
    return undefined;
  }
}

async function* textDocuments(file: string, options: CorpusOptions, report: Report): AsyncGenerator<Omit<CorpusDocument, "index">> {
  const perLine = options.documents === "line";
  const maxChars = options.maxDocumentChars ?? 16 * 1024 * 1024;
  let lines: string[] = [];
  let chars = 0;
  let startLine = 0;
  for await (const raw of readLines(file, options.maxLineBytes ?? 64 * 1024 * 1024)) {
    if (raw.giant) {
      report({
        kind: "giant-line",
        file,
        line: raw.line,
        message: `the line is longer than maxLineBytes (${options.maxLineBytes ?? 64 * 1024 * 1024}); it was skipped`,
      });
      continue;
    }
    const text = decodeLine(raw.bytes, file, raw.line, report);
    if (text === undefined) continue;
    if (perLine) {
      if (text.trim() === "") report({ kind: "empty-document", file, line: raw.line, message: "empty line (one document per line)" });
      else yield { text, file, line: raw.line };
      continue;
    }
    if (text.trim() === "") {
      if (lines.length) yield { text: lines.join("\n"), file, line: startLine };
      lines = [];
      chars = 0;
      continue;
    }
    if (!lines.length) startLine = raw.line;
    lines.push(text);
    chars += text.length + 1;
    if (chars > maxChars) {
      yield { text: lines.join("\n"), file, line: startLine };
      lines = [];
      chars = 0;
    }
  }
  if (lines.length) yield { text: lines.join("\n"), file, line: startLine };
}

async function* jsonlDocuments(file: string, options: CorpusOptions, report: Report): AsyncGenerator<Omit<CorpusDocument, "index">> {
  const field = options.textField ?? "text";
  for await (const raw of readLines(file, options.maxLineBytes ?? 64 * 1024 * 1024)) {
    if (raw.giant) {
      report({ kind: "giant-line", file, line: raw.line, message: "the JSON line is longer than maxLineBytes; it was skipped" });
      continue;
    }
    const line = decodeLine(raw.bytes, file, raw.line, report);
    if (line === undefined || line.trim() === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      report({ kind: "broken-json", file, line: raw.line, message: `not valid JSON (${(e as Error).message})` });
      continue;
    }
    const text = record !== null && typeof record === "object" ? (record as Record<string, unknown>)[field] : undefined;
    if (typeof text !== "string") {
      report({ kind: "missing-text-field", file, line: raw.line, message: `no string field "${field}"` });
      continue;
    }
    if (text.trim() === "") {
      report({ kind: "empty-document", file, line: raw.line, message: `field "${field}" is empty` });
      continue;
    }
    yield { text, file, line: raw.line };
  }
}
