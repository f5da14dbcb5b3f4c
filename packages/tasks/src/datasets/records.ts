// Parsed rows → task examples, checking the fields a task reads (errors name file and line).
import { LineIssues, type ParseOptions, type SkippedLine } from "./dataset-error.js";

export interface RowsWithLines {
  rows: readonly Readonly<Record<string, unknown>>[];
  lines: readonly number[];
}

export interface TextRecords {
  records: Record<string, string>[];
  skipped: SkippedLine[];
}

/**
 * Keeps `fields` of every row as strings (JSON numbers and booleans become their text: a label
 * 1 is "1"). A missing or non-text field is a bad line (thrown, or skipped with `skipInvalid`).
 * `optional` fields are copied when present.
 */
export function textRecords(table: RowsWithLines, fields: readonly string[], options: ParseOptions & { optional?: readonly string[] } = {}): TextRecords {
  const issues = new LineIssues(options);
  const records: Record<string, string>[] = [];
  table.rows.forEach((row, i) => {
    const out: Record<string, string> = {};
    for (const name of [...fields, ...(options.optional ?? [])]) {
      const value = row[name];
      const required = fields.includes(name);
      if (value === undefined || value === null) {
        if (required) {
          issues.bad(table.lines[i] ?? 0, `has no field "${name}" (fields: ${Object.keys(row).join(", ") || "none"})`);
          return;
        }
        continue;
      }
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        issues.bad(table.lines[i] ?? 0, `field "${name}" must be text, found ${Array.isArray(value) ? "an array" : typeof value}`);
        return;
      }
      out[name] = String(value);
    }
    records.push(out);
  });
  return { records, skipped: issues.skipped };
}
