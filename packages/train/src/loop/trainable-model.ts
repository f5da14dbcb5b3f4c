// The slice of @glmjs/core's GLMModel the trainer uses, as a structural type: any model with named
// variables, a differentiable masked-mean loss and a forward pass can be trained.
import type { tf } from "@glmjs/core";
import type { GLMBatch } from "@glmjs/data";

export interface TrainableModel {
  /** Saved into checkpoints and compared on resume. */
  readonly config: object;
  /** Parameters keyed by their checkpoint names. */
  namedVariables(): Map<string, tf.Variable>;
  /** Masked mean cross-entropy over the batch's loss tokens, differentiable w.r.t. the variables. */
  loss(batch: GLMBatch, options?: Record<string, unknown>): tf.Scalar;
  /** Logits over the vocabulary for every input position, [batch, seq, vocab]. */
  forward(
    inputs: { inputIds: Int32Array | tf.Tensor; positionIds: Int32Array | tf.Tensor; blockPositionIds: Int32Array | tf.Tensor; sep: Int32Array | tf.Tensor },
    options?: Record<string, unknown>,
  ): { logits: tf.Tensor };
}
