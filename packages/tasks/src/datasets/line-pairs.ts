// Aligned source/target files, one example per line (the original's `{split}.source` /
// `{split}.target`, and squad_qg's src-*.txt / tgt-*.txt). Lines are stripped as the original does.
import { DatasetError, splitLines } from "./dataset-error.js";

export interface SourceTarget {
  source: string;
  target: string;
}

export interface LinePairOptions {
  sourceName?: string;
  targetName?: string;
  /** Drop pairs whose source or target is blank (counted) instead of refusing them. Default false. */
  skipInvalid?: boolean;
}

export function parseLinePairs(sourceText: string, targetText: string, options: LinePairOptions = {}): { pairs: SourceTarget[]; skipped: number } {
  const sourceName = options.sourceName ?? "source";
  const targetName = options.targetName ?? "target";
  const sources = splitLines(sourceText);
  const targets = splitLines(targetText);
  if (sources.length !== targets.length) {
    throw new DatasetError(
      sourceName,
      0,
      `has ${sources.length} lines but ${targetName} has ${targets.length}; line i of one must pair with line i of the other`,
    );
  }
  const pairs: SourceTarget[] = [];
  let skipped = 0;
  sources.forEach((s, i) => {
    const source = s.trim();
    const target = targets[i]!.trim();
    if (source === "" || target === "") {
      if (!options.skipInvalid) throw new DatasetError(source === "" ? sourceName : targetName, i + 1, "is blank (every line must hold an example)");
      skipped++;
      return;
    }
    pairs.push({ source, target });
  });
  return { pairs, skipped };
}
