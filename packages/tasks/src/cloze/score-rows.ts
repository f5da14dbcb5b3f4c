// Scores of packed cloze rows, as the original's task heads compute them (model/downstream.py):
// GLMForMultiTokenCloze — Σ log-softmax (full padded vocabulary) at the scored positions,
// divided by count^lengthPenalty when lengthPenalty > 0; GLMForSingleTokenCloze — the logits at
// each row's [sop] (index sep) at the candidates' ids. The output projection runs only on the
// rows that are read (the final hidden states are gathered first), so a 30k-token vocabulary
// costs [scored positions × vocab], not [batch × seq × vocab]. Everything is differentiable.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { PackedRows } from "./packed-rows.js";

/** The slice of @glmjs/core's GLMModel scoring uses (GLMModel and the task TrainableModels fit). */
export interface ScoringModel {
  namedVariables(): Map<string, tf.Variable>;
  forward(
    inputs: { inputIds: tf.Tensor; positionIds: tf.Tensor; blockPositionIds: tf.Tensor; sep: tf.Tensor },
    options: { returnHidden: boolean; logits: boolean },
  ): { hidden?: tf.Tensor };
}

const WORD_EMBEDDINGS = "word_embeddings.weight";

/** Final hidden states (after the last LayerNorm) at flat positions of the batch, `[n, hidden]`. Call inside tf.tidy. */
function hiddenAt(model: ScoringModel, packed: PackedRows, positions: Int32Array): tf.Tensor2D {
  const { batchSize: b, seqLength: s } = packed;
  const ids = (a: Int32Array) => tf.tensor2d(a, [b, s], "int32");
  const { hidden } = model.forward(
    {
      inputIds: ids(packed.inputIds),
      positionIds: ids(packed.positionIds),
      blockPositionIds: ids(packed.blockPositionIds),
      sep: tf.tensor1d(packed.sep, "int32"),
    },
    { returnHidden: true, logits: false },
  );
  if (!hidden) throw new GlmjsError("INTERNAL", "scoring: model.forward(…, { returnHidden: true }) returned no hidden states");
  return tf.gather(tf.reshape(hidden, [b * s, -1]), tf.tensor1d(positions, "int32")) as tf.Tensor2D;
}

/** Logits over the vocabulary for hidden rows, through the tied output projection (word embeddings). */
function projectToVocabulary(model: ScoringModel, hidden: tf.Tensor2D): tf.Tensor2D {
  const word = model.namedVariables().get(WORD_EMBEDDINGS);
  if (!word) throw new GlmjsError("INTERNAL", `scoring: the model has no "${WORD_EMBEDDINGS}" (the tied output projection)`);
  return tf.matMul(hidden, word as tf.Tensor2D, false, true);
}

/**
 * log p(target) (log-softmax over the full padded vocabulary) at every scored position, in
 * row-major order, and whether the target is the argmax there (1/0). Call inside tf.tidy.
 */
export function targetLogProbs(model: ScoringModel, packed: PackedRows): { logProb: tf.Tensor1D; isArgmax: tf.Tensor1D } {
  const positions: number[] = [];
  for (let i = 0; i < packed.scoreMask.length; i++) if (packed.scoreMask[i]! > 0) positions.push(i);
  if (positions.length === 0) return { logProb: tf.zeros([0]) as tf.Tensor1D, isArgmax: tf.zeros([0]) as tf.Tensor1D };
  const logits = projectToVocabulary(model, hiddenAt(model, packed, Int32Array.from(positions)));
  const vocab = logits.shape[1];
  const targets = tf.tensor1d(
    positions.map((p) => packed.targets[p]!),
    "int32",
  );
  const logProb = tf.gather(
    tf.reshape(tf.logSoftmax(logits), [-1]),
    tf.tensor1d(
      positions.map((p, k) => k * vocab + packed.targets[p]!),
      "int32",
    ),
  ) as tf.Tensor1D;
  return { logProb, isArgmax: tf.cast(tf.equal(tf.argMax(logits, 1), targets), "float32") as tf.Tensor1D };
}

/**
 * One score per row: Σ over its scored positions of log p(target) (log-softmax over the full
 * padded vocabulary), divided by count^lengthPenalty if lengthPenalty > 0. `[rows]`; call inside tf.tidy.
 */
export function rowScores(model: ScoringModel, packed: PackedRows, lengthPenalty = 0): tf.Tensor1D {
  const { batchSize: rows, seqLength: s, scoreMask, targets } = packed;
  const positions: number[] = [];
  const counts = new Float64Array(rows);
  for (let i = 0; i < scoreMask.length; i++) {
    if (scoreMask[i]! > 0) {
      positions.push(i);
      counts[Math.floor(i / s)] += 1;
    }
  }
  if (positions.some((p) => targets[p]! < 0)) throw new GlmjsError("INPUT_INVALID", "rowScores: a scored position has a negative target id");
  const logits = projectToVocabulary(model, hiddenAt(model, packed, Int32Array.from(positions)));
  const vocab = logits.shape[1];
  const logProbs = tf.logSoftmax(logits);
  // Gather the target entries through the flattened matrix (oneHot is unreliable on wasm).
  const picked = tf.gather(
    tf.reshape(logProbs, [-1]),
    tf.tensor1d(
      positions.map((p, k) => k * vocab + targets[p]!),
      "int32",
    ),
  );
  // rows × n matrix summing each row's positions, with the length normalisation folded in.
  const sum = new Float32Array(rows * positions.length);
  positions.forEach((p, k) => {
    const r = Math.floor(p / s);
    sum[r * positions.length + k] = lengthPenalty > 0 ? 1 / Math.pow(counts[r]!, lengthPenalty) : 1;
  });
  return tf.reshape(tf.matMul(tf.tensor2d(sum, [rows, positions.length]), tf.reshape(picked, [-1, 1])), [rows]);
}

/**
 * The single-token head: logits at each row's [sop] (index `sep`), `[rows, candidates]`, raw and
 * log-softmaxed over the full vocabulary. Call inside tf.tidy.
 */
export function sopLogits(model: ScoringModel, packed: PackedRows, candidateIds: readonly number[]): { logits: tf.Tensor2D; logSoftmax: tf.Tensor2D } {
  const { batchSize: rows, seqLength: s, sep } = packed;
  if (candidateIds.length === 0) throw new GlmjsError("INPUT_INVALID", "sopLogits: no candidate ids");
  const positions = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (sep[r]! >= s) throw new GlmjsError("INPUT_INVALID", `sopLogits: row ${r} has no [sop] after Part A (sep ${sep[r]} ≥ length ${s})`);
    positions[r] = r * s + sep[r]!;
  }
  const logits = projectToVocabulary(model, hiddenAt(model, packed, positions));
  const ids = tf.tensor1d(Int32Array.from(candidateIds), "int32");
  return { logits: tf.gather(logits, ids, 1) as tf.Tensor2D, logSoftmax: tf.gather(tf.logSoftmax(logits), ids, 1) as tf.Tensor2D };
}
