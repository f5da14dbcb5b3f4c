// Token selection's reduction over a row of logits as one kernel (GlmTopK) where the backend has
// it: the k most likely ids with their logits, and the row's log Σ exp (so log-probabilities of
// the picked ids need no log-softmax over the vocabulary). Else tf.topk and tf.logSumExp.
import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";
import { GLM_KERNELS, type GlmTopKAttrs, backendHasKernel } from "./kernel-names.js";
import { ensureCpuKernels } from "./cpu-kernels.js";
import type { FusedOpOptions } from "./layer-norm.js";

export interface TopKLogitsResult {
  /** `[rows, k]` int32, best first; among equal logits the lower index first. */
  indices: tf.Tensor2D;
  /** `[rows, k]`: the logits at `indices`. */
  values: tf.Tensor2D;
  /** `[rows]`: log Σ exp of each whole row (log-probability = value − logSumExp). */
  logSumExp: tf.Tensor1D;
}

/** `logits` `[rows, cols]` → each row's k largest logits, their indices, and the row's log Σ exp. */
export function topKLogits(logits: tf.Tensor, k: number, options: FusedOpOptions = {}): TopKLogitsResult {
  ensureCpuKernels();
  if (logits.rank !== 2) throw new GlmjsError("INPUT_INVALID", `topKLogits: logits must be [rows, cols], got [${logits.shape}]`);
  const cols = logits.shape[1]!;
  if (!Number.isInteger(k) || k < 1 || k > cols) throw new GlmjsError("INPUT_INVALID", `topKLogits: k must be an integer in [1, ${cols}], got ${k}`);
  if (!options.composite && logits.dtype === "float32" && backendHasKernel(GLM_KERNELS.topK)) {
    const attrs: GlmTopKAttrs = { k };
    const [indices, values, logSumExp] = tf.engine().runKernel(GLM_KERNELS.topK, { logits }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { indices: indices as tf.Tensor2D, values: values as tf.Tensor2D, logSumExp: logSumExp as tf.Tensor1D };
  }
  return tf.tidy(() => {
    const top = tf.topk(logits, k, true);
    return { indices: top.indices as tf.Tensor2D, values: top.values as tf.Tensor2D, logSumExp: tf.logSumExp(logits, -1) as tf.Tensor1D };
  });
}
