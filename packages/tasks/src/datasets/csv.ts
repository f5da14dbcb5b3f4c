// Comma-separated values with RFC 4180 quoting ("a, b" is one field; "" inside quotes is a
// quote; quoted fields may hold line breaks), a header line first.
import { LineIssues, type ParseOptions } from "./dataset-error.js";
import type { TableRows } from "./tsv.js";

export function parseCsv(text: string, options: ParseOptions = {}): TableRows {
  const issues = new LineIssues(options);
  const input = text.replace(/^\uFEFF/, "");
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let broken: string | undefined;
  const endRecord = () => {
    fields.push(field);
    if (broken) issues.bad(recordLine, broken);
    else if (!(fields.length === 1 && fields[0] === "")) records.push({ line: recordLine, fields });
    fields = [];
    field = "";
    broken = undefined;
    recordLine = line;
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = input[i + 1];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") broken ??= `text after the closing quote of field ${fields.length + 1}`;
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      if (field === "") quoted = true;
      else broken ??= `a quote inside the unquoted field ${fields.length + 1} (quote the whole field and double inner quotes)`;
      i++;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      i++;
    } else if (ch === "\r" && input[i + 1] === "\n") {
      i++;
    } else if (ch === "\n") {
      line++;
      i++;
      endRecord();
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) issues.fatal('a quoted field is never closed (missing ")', recordLine);
  if (field !== "" || fields.length > 0) endRecord();
  if (records.length === 0) issues.fatal("is empty (expected a header line)");
  const [header, ...body] = records;
  const columns = header!.fields.map((c) => c.trim());
  const dup = columns.find((c, k) => columns.indexOf(c) !== k);
  if (dup !== undefined) issues.fatal(`column "${dup}" appears twice in the header`, header!.line);
  const rows: Record<string, string>[] = [];
  const lines: number[] = [];
  for (const r of body) {
    if (r.fields.length !== columns.length) {
      issues.bad(r.line, `expected ${columns.length} comma-separated fields (${columns.join(", ")}), found ${r.fields.length}`);
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((c, k) => (row[c] = r.fields[k]!));
    rows.push(row);
    lines.push(r.line);
  }
  return { columns, rows, lines, skipped: issues.skipped };
}
