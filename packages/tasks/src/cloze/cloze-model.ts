// A GLM wrapped for @glmjs/train's Trainer: its loss is the cloze cross-entropy over each
// example's label scores, so fine-tuning gets checkpoints, exact resume, metrics.jsonl and the
// loss plot from the Trainer.
import { GlmjsError } from "@glmjs/common";
import { type GLMModel, tf } from "@glmjs/core";
import type { GLMBatch } from "@glmjs/data";
import type { TrainableModel } from "@glmjs/train";
import { isClozeBatch } from "./cloze-batch.js";
import { clozeLoss } from "./cloze-head.js";
import type { ScoringModel } from "./score-rows.js";

export class ClozeTrainableModel implements TrainableModel {
  constructor(readonly model: GLMModel) {}

  get config(): GLMModel["config"] {
    return this.model.config;
  }

  namedVariables(): Map<string, tf.Variable> {
    return this.model.namedVariables();
  }

  /**
   * The cloze cross-entropy of a ClozeBatch. With `{ training: true, seed }` (what the Trainer
   * passes when `lossOptions.training` is set) the config's dropout is applied with masks seeded
   * by the step's seed, so a resumed run replays them exactly.
   */
  loss(batch: GLMBatch, options?: Record<string, unknown>): tf.Scalar {
    if (!isClozeBatch(batch))
      throw new GlmjsError("INPUT_INVALID", "ClozeTrainableModel.loss: expected a ClozeBatch (from buildClozeBatch / ClozeBatchSource)");
    const seed = typeof options?.seed === "number" ? options.seed : undefined;
    const scoring: ScoringModel =
      options?.training === true
        ? { namedVariables: () => this.model.namedVariables(), forward: (inputs, o) => this.model.forward(inputs, { ...o, training: true, seed }) }
        : this.model;
    return tf.tidy(() => clozeLoss(scoring, batch));
  }

  forward(...args: Parameters<GLMModel["forward"]>): ReturnType<GLMModel["forward"]> {
    return this.model.forward(...args);
  }
}
