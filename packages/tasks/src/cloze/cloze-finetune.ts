// One call from options to a ready Trainer for cloze fine-tuning (what `glm finetune cloze` runs).
import type { GLMModel } from "@glmjs/core";
import { Trainer, type TrainStorage } from "@glmjs/train";
import { type FinetuneRunOptions, type TaskDefaults, checkFitsModel, resolveRun } from "../finetune/trainer-options.js";
import { clozeEvalSet } from "./classify.js";
import { ClozeTrainableModel } from "./cloze-model.js";
import { ClozeBatchSource } from "./cloze-source.js";
import { type ClozeExample, ClozeTask, type ClozeTaskOptions, type TaskTokenizer } from "./cloze-task.js";

/** The original's SuperGLUE fine-tuning (GLM.md §6.3): lr 1e-5, batch 16, linear decay to 10 %, 10 % warm-up, wd 0.1. */
export const CLOZE_FINETUNE_DEFAULTS: TaskDefaults = { lr: 1e-5, batchSize: 16, warmupFraction: 0.1, decayStyle: "linear", decayRatio: 0.1, weightDecay: 0.1 };

export interface ClozeFinetuneOptions extends FinetuneRunOptions {
  model: GLMModel;
  tokenizer: TaskTokenizer;
  /** A task, or the options to build one (pattern, verbalizer, maxLength, …). */
  task: ClozeTask | ClozeTaskOptions;
  train: readonly ClozeExample[];
  /** Held-out sets scored at every evaluation (the first picks the best checkpoint). */
  evalSets?: readonly { name: string; examples: readonly ClozeExample[] }[];
  /** Where metrics.jsonl, loss.svg and checkpoints/ go (NodeStorage from @glmjs/train/node, or MemoryStorage). */
  storage: TrainStorage;
  /** Examples per forward pass when evaluating. Default: the batch size. */
  evalBatchSize?: number;
  /**
   * Apply the model config's dropout while training (the original fine-tunes with 0.1), seeded
   * per step so resumption stays exact. Default true; a config with zero dropout trains without.
   */
  dropout?: boolean;
}

export interface ClozeFinetune {
  trainer: Trainer;
  task: ClozeTask;
  source: ClozeBatchSource;
  model: ClozeTrainableModel;
  /** Optimizer steps the run will take, and how many make one epoch. */
  steps: number;
  stepsPerEpoch: number;
}

/**
 * Builds the task, the resumable shuffled batch source, the held-out sets and the Trainer.
 * Then: `await f.trainer.resume()` (continues a run folder), `await f.trainer.run()`.
 */
export function createClozeTrainer(o: ClozeFinetuneOptions): ClozeFinetune {
  const task = o.task instanceof ClozeTask ? o.task : new ClozeTask(o.tokenizer, o.task);
  checkFitsModel(o.model.config, task.maxLength, "the task's maxLength");
  const run = resolveRun(o, CLOZE_FINETUNE_DEFAULTS, o.train.length, { training: o.dropout ?? true });
  const source = new ClozeBatchSource(task, o.train, { batchSize: run.batchSize, seed: run.seed });
  const evalSets = (o.evalSets ?? []).map((s) => clozeEvalSet(s.name, task, s.examples, { batchSize: o.evalBatchSize ?? run.batchSize }));
  const model = new ClozeTrainableModel(o.model);
  const runInfo = {
    ...o.runInfo,
    task: { kind: "cloze", pattern: task.pattern.template, labels: task.labels, words: task.verbalizer.words, mode: task.mode, maxLength: task.maxLength },
  };
  const trainer = new Trainer(model, source, evalSets, o.storage, { ...run.trainer, runInfo }, o.callbacks ?? {});
  return { trainer, task, source, model, steps: run.trainer.steps, stepsPerEpoch: run.stepsPerEpoch };
}
