// Tab-separated values (the GLUE layout: `sentence<TAB>label`, a header line first).
import { LineIssues, type ParseOptions, type SkippedLine, splitLines } from "./dataset-error.js";

export interface TsvOptions extends ParseOptions {
  /** Column names; when given, the first line is data (no header). */
  columns?: readonly string[];
}

export interface TableRows {
  columns: string[];
  rows: Record<string, string>[];
  /** 1-based line of each row (for errors found later). */
  lines: number[];
  /** Lines skipped with `skipInvalid`. */
  skipped: SkippedLine[];
}

/** Parses TSV: a header (unless `columns` is given), then one row per non-blank line with as many fields. */
export function parseTsv(text: string, options: TsvOptions = {}): TableRows {
  const issues = new LineIssues(options);
  const lines = splitLines(text);
  let first = 0;
  let columns: string[];
  if (options.columns) {
    columns = [...options.columns];
  } else {
    while (first < lines.length && lines[first]!.trim() === "") first++;
    if (first === lines.length) issues.fatal("is empty (expected a header line such as sentence<TAB>label)");
    columns = lines[first]!.split("\t").map((c) => c.trim());
    first++;
  }
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup !== undefined) issues.fatal(`column "${dup}" appears twice in the header`, options.columns ? 0 : first);
  if (columns.some((c) => c === "")) issues.fatal("the header has an empty column name", options.columns ? 0 : first);
  const rows: Record<string, string>[] = [];
  const rowLines: number[] = [];
  for (let i = first; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const fields = line.split("\t");
    if (fields.length !== columns.length) {
      issues.bad(i + 1, `expected ${columns.length} tab-separated fields (${columns.join(", ")}), found ${fields.length}`);
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((c, k) => (row[c] = fields[k]!));
    rows.push(row);
    rowLines.push(i + 1);
  }
  return { columns, rows, lines: rowLines, skipped: issues.skipped };
}
