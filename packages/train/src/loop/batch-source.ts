// What the trainer needs from a data pipeline: batches in the @glmjs/data `GLMBatch` layout and a
// JSON state that restores the stream to the same position (for exact resumption).
import type { GLMBatch } from "@glmjs/data";
import type { TrainableModel } from "./trainable-model.js";

export type { GLMBatch };

export interface BatchSource {
  /** The next training batch; `undefined` when the data is exhausted (the run then ends). */
  next(): GLMBatch | undefined | Promise<GLMBatch | undefined>;
  /** A JSON-serialisable snapshot of the stream position and its random state. */
  state(): unknown;
  /** Returns the stream to a snapshot taken by state(). */
  restore(state: unknown): void | Promise<void>;
}

/** What a task-specific evaluation (`EvalSet.score`) reports. */
export interface EvalScore {
  /** Lower is better; the first set's loss picks the best checkpoint, as for the LM evaluation. */
  loss: number;
  /** Written as the row's `accuracy` (NaN when absent). */
  accuracy?: number;
  /** What the loss averages over (tokens, or examples for a classification set); the row's `tokens`. */
  tokens?: number;
  /** Further named metrics (macro_f1, rouge_l, …), written under `metrics` in the evaluation row. */
  metrics?: Record<string, number>;
}

/** A held-out set: a fixed list of batches, scored the same way at every evaluation. */
export interface EvalSet {
  name: string;
  batches: readonly GLMBatch[];
  /** Unigram-model cross-entropy on the same loss tokens, when known (a reference line). */
  unigramLoss?: number;
  /**
   * A task's own evaluation (classification accuracy, …), used instead of the language-model
   * evaluation of `batches` (which may then be empty). It must not change the weights and must
   * dispose every tensor it creates.
   */
  score?(model: TrainableModel): Promise<EvalScore>;
}

/** Number of tokens that carry loss in a batch. */
export function lossTokens(batch: GLMBatch): number {
  let n = 0;
  for (let i = 0; i < batch.lossMask.length; i++) n += batch.lossMask[i]!;
  return n;
}
