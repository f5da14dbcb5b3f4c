// glmjs's own tfjs kernels for decoding. Each has a cpu kernel (in core), an optional kernel per
// backend package (registered under the same name for its tfjs backend), and a composite of
// tfjs ops used wherever the active backend has no kernel of that name.
import { tf } from "../tfjs.js";
import type { LinearActivation } from "./kernel-math.js";

/** The kernel names, as registered with tf.registerKernel. */
export const GLM_KERNELS = {
  /** inputs `{ x, gamma, beta }`, attrs {@link GlmLayerNormAttrs}; output the normalised `x`. */
  layerNorm: "GlmLayerNorm",
  /** inputs `{ x, kernel, bias?, residual? }`, attrs {@link GlmLinearAttrs}; output `act(x·kernel + bias) + residual`. */
  linear: "GlmLinear",
  /**
   * inputs `{ qkv, keys, values, mask? }`, attrs {@link GlmCachedAttentionAttrs}; outputs
   * `[context, keys, values]`. Writes the step's keys/values into the cache buffers in place
   * (the two last outputs share the inputs' data) and attends over the cached window.
   */
  cachedAttention: "GlmCachedAttention",
} as const;

export interface GlmLayerNormAttrs {
  epsilon: number;
}

export interface GlmLinearAttrs {
  activation: LinearActivation;
}

export interface GlmCachedAttentionAttrs {
  heads: number;
  /** First cache position of the window the queries see. */
  start: number;
  /** Cached positions before this step; the step's keys/values go to start + length. */
  length: number;
  /** Keys are stored divided by this (√headSize). */
  keyDivisor: number;
}

/** Whether the active tfjs backend has a kernel of this name (else the composite runs). */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
