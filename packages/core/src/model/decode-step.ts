// One decoding step through the transformer with glmjs's fused ops: per layer a LayerNorm, the
// QKV projection with its bias, attention over the preallocated cache (the step's keys/values
// written in place), the output projection with bias and residual, a LayerNorm, the first MLP
// projection with bias and GELU, the second with bias and residual: 7 kernels where the backend
// has glmjs's kernels, instead of ~40 tfjs ops. Same function as runTransformer with `past`.
import { GlmjsError } from "@glmjs/common";
import type { GLMConfig } from "../config/glm-config.js";
import { fusedLayerNorm } from "../ops/layer-norm.js";
import { fusedLinear } from "../ops/linear.js";
import { cachedAttention } from "../ops/cached-attention.js";
import type { LinearActivation } from "../ops/kernel-math.js";
import { tf } from "../tfjs.js";
import { fitExplicitMask, sepMask } from "./attention.js";
import type { DecodeCache } from "./decode-cache.js";
import { embed } from "./embeddings.js";
import type { NormalizedInputs } from "./inputs.js";
import type { LinearWeights } from "./mlp.js";
import type { ModelWeights } from "./parameters.js";

/**
 * Above this many query·key pairs per head a step's attention runs as batched matMuls (the
 * composite) instead of the one-pass kernel: a long context encoded at once, where matMul
 * throughput matters more than the per-op overhead the kernel saves.
 */
export const ATTENTION_KERNEL_MAX_PAIRS = 16384;

const ACTIVATIONS: Record<GLMConfig["hidden_act"], LinearActivation> = { gelu_new: "gelu_tanh", gelu: "gelu_erf" };

function kernelOf(w: LinearWeights): tf.Tensor {
  if (!w.kernel) throw new GlmjsError("INTERNAL", "decoder weights must be pre-transposed (weightViews(..., { pretransposed: true }))");
  return w.kernel;
}

/**
 * Runs the new tokens against the cache (call inside tf.tidy): returns the final hidden states
 * `[batch·seq, hidden]` and the cache buffers after the write, per layer. The caller adopts the
 * buffers and advances the cache.
 */
export function decodeTransformer(
  config: GLMConfig,
  w: ModelWeights,
  inputs: NormalizedInputs,
  cache: DecodeCache,
): { final: tf.Tensor2D; keys: tf.Tensor4D[]; values: tf.Tensor4D[] } {
  const { seq } = inputs;
  const heads = config.num_attention_heads;
  const headSize = config.hidden_size / heads;
  const eps = config.layernorm_epsilon;
  const memory = cache.length;
  const mask = inputs.attentionMask
    ? fitExplicitMask(inputs.attentionMask, memory + seq)
    : seq === 1
      ? undefined
      : sepMask(inputs.sep as tf.Tensor1D, seq, memory);
  const attrs = { heads, start: cache.start, length: memory, keyDivisor: Math.fround(Math.sqrt(headSize)) };
  // The cache was reserved for the kernel (preallocated) or not; large steps take the composite.
  const composite = !cache.preallocated || seq * (memory + seq) > ATTENTION_KERNEL_MAX_PAIRS;
  const activation = ACTIVATIONS[config.hidden_act];
  let x: tf.Tensor = embed(w.embeddings, inputs.inputIds, inputs.positionIds, inputs.blockPositionIds);
  const keys: tf.Tensor4D[] = [];
  const values: tf.Tensor4D[] = [];
  for (let i = 0; i < config.num_layers; i++) {
    const l = w.layers[i]!;
    const qkv = fusedLinear(fusedLayerNorm(x, l.inputNorm.gamma, l.inputNorm.beta, eps), kernelOf(l.attention.qkv), { bias: l.attention.qkv.bias });
    const a = cachedAttention(qkv, cache.keys[i]!, cache.values[i]!, mask, attrs, { composite });
    keys.push(a.keys);
    values.push(a.values);
    x = fusedLinear(a.context, kernelOf(l.attention.dense), { bias: l.attention.dense.bias, residual: x });
    const h = fusedLinear(fusedLayerNorm(x, l.postNorm.gamma, l.postNorm.beta, eps), kernelOf(l.mlp.fc1), { bias: l.mlp.fc1.bias, activation });
    x = fusedLinear(h, kernelOf(l.mlp.fc2), { bias: l.mlp.fc2.bias, residual: x });
  }
  const final = fusedLayerNorm(x, w.finalNorm.gamma, w.finalNorm.beta, eps) as tf.Tensor2D;
  return { final, keys, values };
}
