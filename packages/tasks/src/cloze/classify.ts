// Zero-shot (or fine-tuned) cloze classification: label probabilities for examples, and the
// evaluation the Trainer runs on held-out sets (loss, accuracy).
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { EvalScore, EvalSet } from "@glmjs/train";
import { type ClozeBatch, buildClozeBatch } from "./cloze-batch.js";
import { clozeLogits, labelCrossEntropy } from "./cloze-head.js";
import { encodeAll } from "./cloze-source.js";
import type { ClozeExample, ClozeTask, EncodedCloze } from "./cloze-task.js";
import type { ScoringModel } from "./score-rows.js";

export interface ClozePrediction {
  /** The predicted label value. */
  label: string;
  labelIndex: number;
  /** Softmax of the label scores, in the task's label order. */
  probabilities: number[];
  /** The label logits (single-token head) or answer log-probability scores (multi-token). */
  scores: number[];
}

export interface ClassifyOptions {
  /** Examples per forward pass. Default 16. */
  batchSize?: number;
  /** Called after each batch with the number of examples done. */
  onProgress?: (done: number, total: number) => void;
}

export interface ClozeEvaluation {
  /** Mean cross-entropy over the label scores. */
  loss: number;
  accuracy: number;
  examples: number;
  predictions: ClozePrediction[];
}

/** Label probabilities for every example (labels, if present, are ignored). */
export async function classifyCloze(
  model: ScoringModel,
  task: ClozeTask,
  examples: readonly ClozeExample[],
  options: ClassifyOptions = {},
): Promise<ClozePrediction[]> {
  const encoded = encodeAll(
    task,
    examples.map((ex) => withoutLabel(ex, task.labelField)),
    "classification",
  );
  return (await scoreBatches(model, task, batches(task, encoded, options.batchSize ?? 16), options)).predictions;
}

/** Loss, accuracy and predictions on labelled examples. */
export async function evaluateCloze(
  model: ScoringModel,
  task: ClozeTask,
  examples: readonly ClozeExample[],
  options: ClassifyOptions = {},
): Promise<ClozeEvaluation> {
  const encoded = encodeAll(task, examples, "evaluation");
  const missing = encoded.findIndex((e) => e.label < 0);
  if (missing >= 0) throw new GlmjsError("EXAMPLE_INVALID", `evaluation example ${missing + 1} has no "${task.labelField}" field`);
  return scoreBatches(model, task, batches(task, encoded, options.batchSize ?? 16), options);
}

/**
 * A held-out set for the Trainer: encoded and batched once, scored by `EvalSet.score` (loss =
 * cross-entropy over the label scores, accuracy; `tokens` = examples). The model given to score()
 * must have GLMModel's forward and namedVariables (ClozeTrainableModel and GLMModel do).
 */
export function clozeEvalSet(name: string, task: ClozeTask, examples: readonly ClozeExample[], options: { batchSize?: number } = {}): EvalSet {
  const encoded = encodeAll(task, examples, `"${name}"`);
  const missing = encoded.findIndex((e) => e.label < 0);
  if (missing >= 0) throw new GlmjsError("EXAMPLE_INVALID", `"${name}" example ${missing + 1} has no "${task.labelField}" field`);
  const fixed = batches(task, encoded, options.batchSize ?? 16);
  return {
    name,
    batches: [],
    async score(model): Promise<EvalScore> {
      const r = await scoreBatches(model as unknown as ScoringModel, task, fixed, {});
      return { loss: r.loss, accuracy: r.accuracy, tokens: r.examples };
    },
  };
}

function withoutLabel(example: ClozeExample, field: string): ClozeExample {
  if (!(field in example)) return example;
  const copy: Record<string, string> = { ...example };
  delete copy[field];
  return copy;
}

function batches(task: ClozeTask, encoded: readonly EncodedCloze[], batchSize: number): ClozeBatch[] {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new GlmjsError("OPTION_INVALID", `batch size must be a positive integer, got ${batchSize}`);
  const out: ClozeBatch[] = [];
  for (let i = 0; i < encoded.length; i += batchSize) out.push(buildClozeBatch(task, encoded.slice(i, i + batchSize)));
  return out;
}

async function scoreBatches(model: ScoringModel, task: ClozeTask, list: readonly ClozeBatch[], options: ClassifyOptions): Promise<ClozeEvaluation> {
  const predictions: ClozePrediction[] = [];
  let lossSum = 0;
  let labelled = 0;
  let correct = 0;
  const total = list.reduce((n, b) => n + b.examples, 0);
  for (const batch of list) {
    const hasLabels = batch.labels.some((l) => l >= 0);
    const [logits, ce] = tf.tidy(() => {
      const l = clozeLogits(model, batch);
      return [l, hasLabels ? labelCrossEntropy(l, batch.labels) : tf.zeros([0])];
    });
    const [scores, losses] = await Promise.all([logits.data(), ce.data()]);
    logits.dispose();
    ce.dispose();
    const c = batch.choices;
    let k = 0;
    for (let e = 0; e < batch.examples; e++) {
      const row = Array.from(scores.subarray(e * c, (e + 1) * c));
      const best = row.reduce((b, v, i) => (v > row[b]! ? i : b), 0);
      predictions.push({ label: task.labels[best]!, labelIndex: best, probabilities: softmax(row), scores: row });
      const gold = batch.labels[e]!;
      if (gold >= 0) {
        lossSum += losses[k++]!;
        labelled += 1;
        if (best === gold) correct += 1;
      }
    }
    options.onProgress?.(predictions.length, total);
  }
  return { loss: labelled ? lossSum / labelled : NaN, accuracy: labelled ? correct / labelled : NaN, examples: labelled, predictions };
}

function softmax(values: readonly number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
