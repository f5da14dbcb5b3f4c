// Rows of different lengths in one right-padded batch. Padding follows the original (eos id,
// position 0/0, no target); it sits after every row's Part B, where causality keeps it invisible
// to the scored positions (tested: a row scores the same alone and in a padded batch).
import { GlmjsError } from "@glmjs/common";
import type { ClozeRow } from "./cloze-row.js";

export interface PackedRows {
  batchSize: number;
  seqLength: number;
  /** `[batchSize·seqLength]`, row-major. */
  inputIds: Int32Array;
  positionIds: Int32Array;
  blockPositionIds: Int32Array;
  targets: Int32Array;
  /** 1 at the scored positions (the rows' logit masks). */
  scoreMask: Float32Array;
  /** `[batchSize]`. */
  sep: Int32Array;
}

export function packRows(rows: readonly ClozeRow[], padId: number, padTo = 0): PackedRows {
  if (rows.length === 0) throw new GlmjsError("INPUT_INVALID", "packRows: no rows");
  let seqLength = padTo;
  for (const r of rows) seqLength = Math.max(seqLength, r.ids.length);
  const n = rows.length * seqLength;
  const out: PackedRows = {
    batchSize: rows.length,
    seqLength,
    inputIds: new Int32Array(n).fill(padId),
    positionIds: new Int32Array(n),
    blockPositionIds: new Int32Array(n),
    targets: new Int32Array(n),
    scoreMask: new Float32Array(n),
    sep: new Int32Array(rows.length),
  };
  rows.forEach((r, i) => {
    const at = i * seqLength;
    out.inputIds.set(r.ids, at);
    out.positionIds.set(r.positionIds, at);
    out.blockPositionIds.set(r.blockPositionIds, at);
    out.targets.set(r.targetIds, at);
    out.scoreMask.set(r.logitMask, at);
    out.sep[i] = r.sep;
  });
  return out;
}
