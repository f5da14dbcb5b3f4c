// A batch of cloze examples in the GLMBatch layout the trainer moves around, plus what the cloze
// loss needs: rows are example-major (row = example · rowsPerExample + candidate).
import { GlmjsError } from "@glmjs/common";
import type { GLMBatch } from "@glmjs/data";
import type { AnswerMode, ClozeTask, EncodedCloze } from "./cloze-task.js";
import { packRows } from "./packed-rows.js";

export interface ClozeBatch extends GLMBatch {
  readonly kind: "cloze";
  mode: AnswerMode;
  examples: number;
  /** Labels (candidates) per example. */
  choices: number;
  /** Gold label index per example; -1 when unknown. */
  labels: Int32Array;
  /** Multi-token mode: 1 at every scored answer position (the rows' logit masks). */
  scoreMask: Float32Array;
  /** Single-token mode: the answer token of each label, read at the [sop]. */
  answerIds: Int32Array;
  lengthPenalty: number;
}

export function isClozeBatch(batch: GLMBatch): batch is ClozeBatch {
  return (batch as Partial<ClozeBatch>).kind === "cloze";
}

/**
 * Collates encoded examples (right-padded with the eos id as the original does). `lossMask` holds
 * exactly one 1 per labelled example — at its gold answer's first scored position — so the
 * trainer's token accounting (accumulation weights, `loss_tokens`) counts examples: the cloze
 * loss is a mean over examples, not over tokens.
 */
export function buildClozeBatch(task: ClozeTask, encoded: readonly EncodedCloze[]): ClozeBatch {
  if (encoded.length === 0) throw new GlmjsError("INPUT_INVALID", "buildClozeBatch: no examples");
  const perExample = task.mode === "single" ? 1 : task.labels.length;
  const rows = encoded.flatMap((e) => {
    if (e.rows.length !== perExample)
      throw new GlmjsError("INPUT_INVALID", `buildClozeBatch: an example has ${e.rows.length} rows, the task's ${task.mode}-token mode needs ${perExample}`);
    return e.rows;
  });
  const packed = packRows(rows, task.special.eos);
  const { seqLength } = packed;
  const lossMask = new Float32Array(packed.batchSize * seqLength);
  const labels = Int32Array.from(encoded.map((e) => e.label));
  const answerIds = Int32Array.from(task.answerIds.map((ids) => ids[0]!));
  const targets = packed.targets;
  encoded.forEach((e, i) => {
    if (e.label < 0) return;
    if (task.mode === "single") {
      const at = i * seqLength + rows[i]!.sep;
      lossMask[at] = 1;
      targets[at] = answerIds[e.label]!;
    } else {
      const row = i * perExample + e.label;
      lossMask[row * seqLength + rows[row]!.sep] = 1;
    }
  });
  return {
    kind: "cloze",
    mode: task.mode,
    batchSize: packed.batchSize,
    seqLength,
    inputIds: packed.inputIds,
    positionIds: packed.positionIds,
    blockPositionIds: packed.blockPositionIds,
    targets,
    lossMask,
    sep: packed.sep,
    examples: encoded.length,
    choices: task.labels.length,
    labels,
    scoreMask: task.mode === "multi" ? packed.scoreMask : new Float32Array(packed.batchSize * seqLength),
    answerIds,
    lengthPenalty: task.lengthPenalty,
  };
}
