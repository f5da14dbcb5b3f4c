// A GLM wrapped for @glmjs/train's Trainer: its loss is the cloze cross-entropy over each
// example's label scores, so fine-tuning gets checkpoints, exact resume, metrics.jsonl and the
// loss plot from the Trainer.
import { type GLMModel, tf } from "@glmjs/core";
import type { GLMBatch } from "@glmjs/data";
import type { TrainableModel } from "@glmjs/train";
import { isClozeBatch } from "./cloze-batch.js";
import { clozeLoss } from "./cloze-head.js";

export class ClozeTrainableModel implements TrainableModel {
  constructor(readonly model: GLMModel) {}

  get config(): GLMModel["config"] {
    return this.model.config;
  }

  namedVariables(): Map<string, tf.Variable> {
    return this.model.namedVariables();
  }

  /**
   * The cloze cross-entropy of a ClozeBatch. Dropout stays off: core's forward pass takes no
   * dropout seed yet, and unseeded masks would break exact resumption (`options` is ignored).
   */
  loss(batch: GLMBatch, _options?: Record<string, unknown>): tf.Scalar {
    if (!isClozeBatch(batch)) throw new Error("ClozeTrainableModel.loss: expected a ClozeBatch (from buildClozeBatch / ClozeBatchSource)");
    return tf.tidy(() => clozeLoss(this.model, batch));
  }

  forward(...args: Parameters<GLMModel["forward"]>): ReturnType<GLMModel["forward"]> {
    return this.model.forward(...args);
  }
}
