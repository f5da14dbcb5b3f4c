// JSON Lines: one JSON object per non-blank line.
import { LineIssues, type ParseOptions, type SkippedLine, splitLines } from "./dataset-error.js";

export interface JsonlRows {
  rows: Record<string, unknown>[];
  /** 1-based line of each row (for errors found later). */
  lines: number[];
  skipped: SkippedLine[];
}

export function parseJsonl(text: string, options: ParseOptions = {}): JsonlRows {
  const issues = new LineIssues(options);
  const rows: Record<string, unknown>[] = [];
  const lines: number[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      issues.bad(i + 1, `not valid JSON (${(e as Error).message})`);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      issues.bad(i + 1, `expected a JSON object, found ${Array.isArray(value) ? "an array" : JSON.stringify(value)}`);
      return;
    }
    rows.push(value as Record<string, unknown>);
    lines.push(i + 1);
  });
  return { rows, lines, skipped: issues.skipped };
}
