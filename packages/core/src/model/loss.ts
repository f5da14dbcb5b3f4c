// Masked token cross-entropy with the tied output projection (GLM.md §1.9): no internal shift,
// sum(ce · lossMask) / sum(lossMask), optional label smoothing over the full padded vocabulary.
import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";
import { logSumExpRows, tiedLogSumExp } from "./log-sum-exp.js";

/** A training batch (structurally identical to @glmjs/data's GLMBatch; core does not import it). */
export interface GLMTrainingBatch {
  batchSize: number;
  seqLength: number;
  /** `[batchSize·seqLength]`, row-major, right-padded with 0. */
  inputIds: Int32Array;
  positionIds: Int32Array;
  blockPositionIds: Int32Array;
  /** Labels aligned with the inputs (no shift). */
  targets: Int32Array;
  /** 0/1 per position. */
  lossMask: Float32Array;
  /** `[batchSize]`: length of Part A per sample. */
  sep: Int32Array;
}

export interface LossOptions {
  /** ε: (1−ε)·CE + ε·mean over the vocabulary of −log p (0.1 in seq2seq fine-tuning). Default 0. */
  labelSmoothing?: number;
  /** Apply the config's dropout (training from scratch / fine-tuning). Default false. */
  training?: boolean;
  /** Seed of this step's dropout masks: the same seed replays the same masks (exact resume). */
  seed?: number;
}

/** Positions where the mask is positive, and their weights. */
export function selectLossPositions(lossMask: ArrayLike<number>): { positions: Int32Array; weights: Float32Array; total: number } {
  let count = 0;
  let total = 0;
  for (let i = 0; i < lossMask.length; i++) {
    if (lossMask[i] > 0) {
      count++;
      total += lossMask[i];
    }
  }
  const positions = new Int32Array(count);
  const weights = new Float32Array(count);
  for (let i = 0, k = 0; i < lossMask.length; i++) {
    if (lossMask[i] > 0) {
      positions[k] = i;
      weights[k++] = lossMask[i];
    }
  }
  return { positions, weights, total };
}

/**
 * Cross-entropy per row of `hidden2d` (`[rows, hidden]`, after the final LayerNorm) against
 * `targets` (`[rows]` int32), logits tied to `word` (`[vocab, hidden]`):
 * logsumexp(h·Wᵀ) − h·W[target] (label-smoothed if ε > 0).
 */
export function tokenCrossEntropy(hidden2d: tf.Tensor, word: tf.Tensor, targets: tf.Tensor, labelSmoothing = 0): tf.Tensor1D {
  const targetLogit = tf.sum(tf.mul(hidden2d, tf.gather(word, targets)), 1);
  if (labelSmoothing === 0) return tf.sub(tiedLogSumExp(hidden2d, word), targetLogit) as tf.Tensor1D;
  const logits = tf.matMul(hidden2d as tf.Tensor2D, word as tf.Tensor2D, false, true);
  const lse = logSumExpRows(logits);
  const meanLogit = tf.mean(logits, 1);
  return tf.sub(lse, tf.add(tf.mul(targetLogit, 1 - labelSmoothing), tf.mul(meanLogit, labelSmoothing))) as tf.Tensor1D;
}

/** Checks that a batch's arrays agree with its declared shape; the error names the field. */
export function checkBatch(batch: GLMTrainingBatch, vocabSize: number): void {
  const n = batch.batchSize * batch.seqLength;
  for (const key of ["inputIds", "positionIds", "blockPositionIds", "targets", "lossMask"] as const) {
    if (!batch[key] || batch[key].length !== n) {
      throw new GlmjsError("INPUT_INVALID", `loss(): batch.${key} has ${batch[key]?.length ?? "no"} values, expected batchSize·seqLength = ${n}`);
    }
  }
  if (!batch.sep || batch.sep.length !== batch.batchSize)
    throw new GlmjsError("INPUT_INVALID", `loss(): batch.sep has ${batch.sep?.length ?? "no"} values, expected batchSize = ${batch.batchSize}`);
  for (let i = 0; i < n; i++) {
    const t = batch.targets[i];
    if (batch.lossMask[i] > 0 && (t < 0 || t >= vocabSize)) {
      throw new GlmjsError("INPUT_INVALID", `loss(): batch.targets[${i}] = ${t} is outside the vocabulary [0, ${vocabSize}) at a position with lossMask > 0`);
    }
  }
}
