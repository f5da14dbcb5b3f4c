// E2E NLG (tuetschek/e2e-dataset): CSV with header `mr,ref`; several rows share one meaning
// representation (several references).
import { DatasetError, type ParseOptions, type SkippedLine } from "./dataset-error.js";
import { parseCsv } from "./csv.js";

export interface DataToTextRecord {
  /** The meaning representation, e.g. `name[Alimentum], area[city centre]`. */
  mr: string;
  ref: string;
}

export function parseE2eNlg(text: string, options: ParseOptions = {}): { records: DataToTextRecord[]; skipped: SkippedLine[] } {
  const table = parseCsv(text, options);
  for (const c of ["mr", "ref"]) {
    if (!table.columns.includes(c))
      throw new DatasetError(options.source ?? "input", 1, `has no "${c}" column (columns: ${table.columns.join(", ")}); expected the header mr,ref`);
  }
  const records: DataToTextRecord[] = [];
  const skipped = [...table.skipped];
  table.rows.forEach((row, i) => {
    const mr = row["mr"]!.trim();
    const ref = row["ref"]!.trim();
    if (mr === "" || ref === "") {
      const problem = `empty ${mr === "" ? "mr" : "ref"}`;
      if (!options.skipInvalid) throw new DatasetError(options.source ?? "input", table.lines[i]!, problem);
      skipped.push({ line: table.lines[i]!, problem });
      return;
    }
    records.push({ mr, ref });
  });
  return { records, skipped };
}
