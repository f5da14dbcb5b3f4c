// Held-out scoring for seq2seq fine-tuning: cross-entropy per target token (no label smoothing)
// and teacher-forced token accuracy over Part B, with the output projection computed only at the
// target positions. Generation metrics (ROUGE, BLEU) plug in through `extra`.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { GLMBatch } from "@glmjs/data";
import type { EvalScore, EvalSet, TrainableModel } from "@glmjs/train";
import { buildSeq2seqBatch } from "./seq2seq-batch.js";
import { buildSamples } from "./seq2seq-source.js";
import type { Seq2seqExample, Seq2seqTask } from "./seq2seq-task.js";
import { type ScoringModel, targetLogProbs } from "../cloze/score-rows.js";

export interface Seq2seqEvaluation {
  /** Mean cross-entropy per target token (eop included). */
  loss: number;
  perplexity: number;
  /** Share of target tokens that are the model's argmax given the reference prefix. */
  accuracy: number;
  tokens: number;
}

/** Scores fixed batches (loss per target token, token accuracy). */
export async function evaluateSeq2seqBatches(model: ScoringModel, batches: readonly GLMBatch[]): Promise<Seq2seqEvaluation> {
  let lossSum = 0;
  let correct = 0;
  let tokens = 0;
  for (const batch of batches) {
    const { logProb, isArgmax } = tf.tidy(() => targetLogProbs(model, { ...batch, scoreMask: batch.lossMask }));
    const [lp, hit] = await Promise.all([logProb.data(), isArgmax.data()]);
    logProb.dispose();
    isArgmax.dispose();
    for (let k = 0; k < lp.length; k++) {
      lossSum -= lp[k]!;
      correct += hit[k]!;
    }
    tokens += lp.length;
  }
  const loss = tokens ? lossSum / tokens : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: tokens ? correct / tokens : NaN, tokens };
}

/** Target-token loss and accuracy of examples (one call: samples, batches, scoring). */
export async function evaluateSeq2seq(
  model: ScoringModel,
  task: Seq2seqTask,
  examples: readonly Seq2seqExample[],
  options: { batchSize?: number } = {},
): Promise<Seq2seqEvaluation> {
  return evaluateSeq2seqBatches(model, seq2seqBatches(task, examples, options.batchSize ?? 8, "evaluation"));
}

function seq2seqBatches(task: Seq2seqTask, examples: readonly Seq2seqExample[], size: number, what: string): GLMBatch[] {
  if (!Number.isInteger(size) || size <= 0) throw new GlmjsError("OPTION_INVALID", `batch size must be a positive integer, got ${size}`);
  const samples = buildSamples(task, examples, what);
  const batches: GLMBatch[] = [];
  for (let i = 0; i < samples.length; i += size) batches.push(buildSeq2seqBatch(samples.slice(i, i + size), task.special.pad));
  return batches;
}

export interface Seq2seqEvalSetOptions {
  batchSize?: number;
  /** More metrics computed from the model at each evaluation (e.g. ROUGE of generated outputs). */
  extra?: (model: ScoringModel) => Promise<Record<string, number>>;
}

/**
 * A held-out set for the Trainer: samples built and batched once; its score is the target-token
 * loss and accuracy (plus `extra` metrics). The model given to score() must have GLMModel's forward.
 */
export function seq2seqEvalSet(name: string, task: Seq2seqTask, examples: readonly Seq2seqExample[], options: Seq2seqEvalSetOptions = {}): EvalSet {
  const batches = seq2seqBatches(task, examples, options.batchSize ?? 8, `"${name}"`);
  return {
    name,
    batches: [],
    async score(model: TrainableModel): Promise<EvalScore> {
      const scoring = model as unknown as ScoringModel;
      const r = await evaluateSeq2seqBatches(scoring, batches);
      const metrics = options.extra ? await options.extra(scoring) : undefined;
      return { loss: r.loss, accuracy: r.accuracy, tokens: r.tokens, ...(metrics ? { metrics } : {}) };
    },
  };
}
