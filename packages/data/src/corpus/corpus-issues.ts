// Problems found in corpus input: counted by kind and reported with file and line, so a long
// job never drops data silently.
import { GlmjsError } from "@glmjs/common";

export type CorpusIssueKind = "invalid-utf8" | "empty-document" | "giant-line" | "broken-json" | "missing-text-field";

export interface CorpusIssue {
  kind: CorpusIssueKind;
  file: string;
  /** 1-based line number. */
  line: number;
  message: string;
}

/** Corpus input refused under onError: "throw" (code "CORPUS_INVALID"); `issue` says where and what. */
export class CorpusError extends GlmjsError {
  constructor(readonly issue: CorpusIssue) {
    super("CORPUS_INVALID", `${issue.file}:${issue.line}: ${issue.kind}: ${issue.message} (pass onError: "skip" to skip and count such input)`);
    this.name = "CorpusError";
  }
}

/** Counts per kind plus the first `keep` issues in full. */
export class CorpusIssues {
  readonly counts: Record<CorpusIssueKind, number> = { "invalid-utf8": 0, "empty-document": 0, "giant-line": 0, "broken-json": 0, "missing-text-field": 0 };
  readonly examples: CorpusIssue[] = [];

  constructor(private readonly keep = 100) {}

  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }

  add(issue: CorpusIssue): void {
    this.counts[issue.kind]++;
    if (this.examples.length < this.keep) this.examples.push(issue);
  }

  /** One line per kind with a count, naming the first occurrence. */
  summary(): string {
    const lines: string[] = [];
    for (const [kind, n] of Object.entries(this.counts)) {
      if (n === 0) continue;
      const first = this.examples.find((e) => e.kind === kind);
      lines.push(`${kind}: ${n}${first ? ` (first at ${first.file}:${first.line}: ${first.message})` : ""}`);
    }
    return lines.length ? lines.join("\n") : "no issues";
  }
}
