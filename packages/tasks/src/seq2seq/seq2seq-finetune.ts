// One call from options to a ready Trainer for seq2seq fine-tuning (what `glm finetune seq2seq`
// runs). The model trains on GLMModel's own masked loss over Part B, with label smoothing and
// seeded dropout (so resumption is exact with dropout on).
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import { Trainer, type TrainStorage } from "@glmjs/train";
import type { TaskTokenizer } from "../cloze/cloze-task.js";
import { type FinetuneRunOptions, type TaskDefaults, checkFitsModel, resolveRun } from "../finetune/trainer-options.js";
import { type Seq2seqEvalSetOptions, seq2seqEvalSet } from "./seq2seq-eval.js";
import { Seq2seqBatchSource } from "./seq2seq-source.js";
import { type Seq2seqExample, Seq2seqTask, type Seq2seqTaskOptions } from "./seq2seq-task.js";

/** The original's seq2seq fine-tuning (GLM.md §6.3): linear decay to 10 %, 6 % warm-up, wd 0.1; lr 1e-5 (XSum, CNN/DM). */
export const SEQ2SEQ_FINETUNE_DEFAULTS: TaskDefaults = {
  lr: 1e-5,
  batchSize: 8,
  warmupFraction: 0.06,
  decayStyle: "linear",
  decayRatio: 0.1,
  weightDecay: 0.1,
};

export interface Seq2seqFinetuneOptions extends FinetuneRunOptions {
  model: GLMModel;
  tokenizer: TaskTokenizer;
  task: Seq2seqTask | Seq2seqTaskOptions;
  train: readonly Seq2seqExample[];
  /** Held-out sets (target-token loss and accuracy; the first picks the best checkpoint). */
  evalSets?: readonly ({ name: string; examples: readonly Seq2seqExample[] } & Pick<Seq2seqEvalSetOptions, "extra">)[];
  storage: TrainStorage;
  /** ε of the label-smoothed cross-entropy (the original's seq2seq runs: 0.1). Default 0.1. */
  labelSmoothing?: number;
  /** Apply the model config's dropout while training (seeded per step: resumption stays exact). Default true. */
  dropout?: boolean;
  evalBatchSize?: number;
}

export interface Seq2seqFinetune {
  trainer: Trainer;
  task: Seq2seqTask;
  source: Seq2seqBatchSource;
  steps: number;
  stepsPerEpoch: number;
}

export function createSeq2seqTrainer(o: Seq2seqFinetuneOptions): Seq2seqFinetune {
  const task = o.task instanceof Seq2seqTask ? o.task : new Seq2seqTask(o.tokenizer, o.task);
  checkFitsModel(o.model.config, task.sourceLength, "the source length");
  checkFitsModel(o.model.config, task.targetLength, "the target length");
  const labelSmoothing = o.labelSmoothing ?? 0.1;
  if (!(labelSmoothing >= 0 && labelSmoothing < 1))
    throw new GlmjsError("OPTION_INVALID", `fine-tuning: labelSmoothing must be in [0, 1), got ${labelSmoothing}`);
  const run = resolveRun(o, SEQ2SEQ_FINETUNE_DEFAULTS, o.train.length, { labelSmoothing, training: o.dropout ?? true });
  const source = new Seq2seqBatchSource(task, o.train, { batchSize: run.batchSize, seed: run.seed });
  const evalSets = (o.evalSets ?? []).map((s) => seq2seqEvalSet(s.name, task, s.examples, { batchSize: o.evalBatchSize ?? run.batchSize, extra: s.extra }));
  const runInfo = {
    ...o.runInfo,
    task: {
      kind: "seq2seq",
      format: task.format,
      sourceLength: task.sourceLength,
      targetLength: task.targetLength,
      mask: task.mask,
      padSource: task.padSource,
    },
  };
  const trainer = new Trainer(o.model, source, evalSets, o.storage, { ...run.trainer, runInfo }, o.callbacks ?? {});
  return { trainer, task, source, steps: run.trainer.steps, stepsPerEpoch: run.stepsPerEpoch };
}
