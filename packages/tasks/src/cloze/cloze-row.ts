// One cloze row in the original's layout (THUDM/GLM tasks/data_utils.build_input_from_ids with
// add_cls, add_piece and add_eos; GLM.md §5.1): Part A = [CLS] + context + [eos], sep = |A|;
// Part B = [sop] + answer[:-1] at the position of the last mask in Part A, block positions 1, 2, …;
// targets = answer on Part B. Without an answer, Part B is the lone [sop] (the single-token head).
import { GlmjsError } from "@glmjs/common";
import { requireSpecialIds, type TaskSpecialIds } from "../special-ids.js";

/** An unpadded row. Arrays have the row's length; `targetIds`/`logitMask` are 0 on Part A. */
export interface ClozeRow {
  ids: number[];
  positionIds: number[];
  blockPositionIds: number[];
  /** Length of Part A (= index of the [sop]). */
  sep: number;
  targetIds: number[];
  /** 1 where a target token is scored (the answer, its eop included), else 0. */
  logitMask: number[];
}

/**
 * Builds the row for `contextIds` (one or more mask tokens, no [CLS]) and `answerIds` (the
 * candidate's tokens followed by eop; `undefined` for the single-token layout `Part A + [sop]`).
 * `maskId` is the blank the answer fills (default `special.mask`); its last occurrence counts.
 */
export function buildClozeRow(
  contextIds: readonly number[],
  answerIds: readonly number[] | undefined,
  special: Pick<TaskSpecialIds, "cls" | "eos" | "sop" | "mask">,
  maskId: number = special.mask,
): ClozeRow {
  requireSpecialIds(special as Partial<TaskSpecialIds>, ["cls", "eos", "sop", "mask"], "buildClozeRow");
  const ids = [special.cls, ...contextIds, special.eos];
  const maskPosition = ids.lastIndexOf(maskId);
  if (maskPosition < 0) throw new GlmjsError("INPUT_INVALID", `buildClozeRow: the context has no mask token (id ${maskId}) to fill`);
  if (answerIds !== undefined && answerIds.length === 0) throw new GlmjsError("INPUT_INVALID", "buildClozeRow: the answer is empty (it must end with eop)");
  const sep = ids.length;
  const positionIds = ids.map((_, i) => i);
  const blockPositionIds = ids.map(() => 0);
  const targetIds = ids.map(() => 0);
  const logitMask = ids.map(() => 0);
  ids.push(special.sop);
  positionIds.push(maskPosition);
  blockPositionIds.push(1);
  if (answerIds === undefined) {
    targetIds.push(0);
    logitMask.push(1);
  } else {
    for (let k = 0; k < answerIds.length; k++) {
      if (k > 0) {
        ids.push(answerIds[k - 1]!);
        positionIds.push(maskPosition);
        blockPositionIds.push(k + 1);
      }
      targetIds.push(answerIds[k]!);
      logitMask.push(1);
    }
  }
  return { ids, positionIds, blockPositionIds, sep, targetIds, logitMask };
}
