// The classification head over a ClozeBatch: one logit per (example, label) — the single-token
// head's raw logits at the blank, or the multi-token answer scores — and the cross-entropy over
// them that the original fine-tunes with (GLM.md §5.2).
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { ClozeBatch } from "./cloze-batch.js";
import { type ScoringModel, rowScores, sopLogits } from "./score-rows.js";

/** `[examples, choices]` label logits; differentiable. Call inside tf.tidy. */
export function clozeLogits(model: ScoringModel, batch: ClozeBatch): tf.Tensor2D {
  if (batch.mode === "single") return sopLogits(model, batch, Array.from(batch.answerIds)).logits;
  return tf.reshape(rowScores(model, batch, batch.lengthPenalty), [batch.examples, batch.choices]);
}

/** Cross-entropy per labelled example, `[labelled examples]`, from label logits. Call inside tf.tidy. */
export function labelCrossEntropy(logits: tf.Tensor2D, labels: Int32Array): tf.Tensor1D {
  const rows: number[] = [];
  const flat: number[] = [];
  const choices = logits.shape[1];
  labels.forEach((label, i) => {
    if (label >= 0) {
      if (label >= choices) throw new GlmjsError("INPUT_INVALID", `cloze loss: label ${label} of example ${i} is outside the ${choices} choices`);
      rows.push(i);
      flat.push(rows.length - 1);
    }
  });
  if (rows.length === 0) throw new GlmjsError("INPUT_INVALID", "cloze loss: the batch has no labelled example");
  const logProbs = tf.logSoftmax(tf.gather(logits, tf.tensor1d(rows, "int32")));
  const index = tf.tensor1d(
    flat.map((r, k) => r * choices + labels[rows[k]!]!),
    "int32",
  );
  return tf.neg(tf.gather(tf.reshape(logProbs, [-1]), index)) as tf.Tensor1D;
}

/** Mean cross-entropy over the labelled examples (a scalar, differentiable). Call inside tf.tidy. */
export function clozeLoss(model: ScoringModel, batch: ClozeBatch): tf.Scalar {
  return tf.mean(labelCrossEntropy(clozeLogits(model, batch), batch.labels));
}
