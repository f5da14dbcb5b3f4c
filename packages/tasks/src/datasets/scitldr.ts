// SciTLDR (allenai/scitldr, SciTLDR-A): JSON Lines with `source` (the abstract's sentences),
// `target` (one or more reference TL;DRs) and `paper_id`.
import { LineIssues, type ParseOptions, type SkippedLine } from "./dataset-error.js";
import { parseJsonl } from "./jsonl.js";

export interface SummaryRecord {
  id: string;
  /** The abstract: its sentences joined with spaces. */
  source: string;
  /** Reference summaries (train: one; dev: 1–4). */
  targets: string[];
}

export function parseScitldr(text: string, options: ParseOptions = {}): { records: SummaryRecord[]; skipped: SkippedLine[] } {
  const issues = new LineIssues(options);
  const table = parseJsonl(text, options);
  const records: SummaryRecord[] = [];
  table.rows.forEach((row, i) => {
    const line = table.lines[i]!;
    const source = row["source"];
    const target = row["target"];
    if (!Array.isArray(source) || source.length === 0 || !source.every((s) => typeof s === "string")) {
      issues.bad(line, `"source" must be a non-empty list of sentences`);
      return;
    }
    if (!Array.isArray(target) || target.length === 0 || !target.every((s) => typeof s === "string" && s.trim() !== "")) {
      issues.bad(line, `"target" must be a non-empty list of summaries`);
      return;
    }
    const id = typeof row["paper_id"] === "string" ? (row["paper_id"] as string) : `line-${line}`;
    records.push({ id, source: (source as string[]).map((s) => s.trim()).join(" "), targets: (target as string[]).map((t) => t.trim()) });
  });
  return { records, skipped: [...table.skipped, ...issues.skipped] };
}
