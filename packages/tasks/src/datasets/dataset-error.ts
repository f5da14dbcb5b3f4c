// Errors and skipped lines of the dataset parsers: every problem names the file and the line.
import { GlmjsError } from "@glmjs/common";

/** A task dataset that cannot be parsed (code "DATASET_INVALID"); `source` and `line` say where, `problem` what. */
export class DatasetError extends GlmjsError {
  constructor(
    /** The file (or other name) the text came from. */
    readonly source: string,
    /** 1-based line number; 0 when the problem is not one line's. */
    readonly line: number,
    readonly problem: string,
  ) {
    super("DATASET_INVALID", line > 0 ? `${source}:${line}: ${problem}` : `${source}: ${problem}`);
    this.name = "DatasetError";
  }
}

export interface ParseOptions {
  /** Names the input in errors (a file path). Default "input". */
  source?: string;
  /** Skip corrupt lines (counted in `skipped`) instead of throwing on the first. Default false. */
  skipInvalid?: boolean;
}

/** A skipped line and why. */
export interface SkippedLine {
  line: number;
  problem: string;
}

/** Collects problems: throws the first one, or records it when skipping was asked for. */
export class LineIssues {
  readonly skipped: SkippedLine[] = [];

  constructor(private readonly options: ParseOptions) {}

  get source(): string {
    return this.options.source ?? "input";
  }

  /** Reports a bad line: throws a DatasetError, or (skipInvalid) records it and returns. */
  bad(line: number, problem: string): void {
    if (!this.options.skipInvalid) throw new DatasetError(this.source, line, problem);
    this.skipped.push({ line, problem });
  }

  /** A problem of the whole input (never skippable). */
  fatal(problem: string, line = 0): never {
    throw new DatasetError(this.source, line, problem);
  }
}

/** The text's lines without a BOM or line-end characters; a final empty line (after the last newline) is dropped. */
export function splitLines(text: string): string[] {
  if (typeof text !== "string") throw new GlmjsError("INPUT_INVALID", "dataset text must be a string");
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
