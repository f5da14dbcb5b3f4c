// LayerNorm as one kernel (GlmLayerNorm) where the backend has it; else the tfjs ops of the
// model's LayerNorm forward (mean, centre, variance, rsqrt, scale, shift). No gradient: decoding only.
import { tf } from "../tfjs.js";
import { GLM_KERNELS, type GlmLayerNormAttrs, backendHasKernel } from "./kernel-names.js";
import { ensureCpuKernels } from "./cpu-kernels.js";

export interface FusedOpOptions {
  /** Use the composite of tfjs ops even where the backend has the kernel (tests, comparisons). */
  composite?: boolean;
}

/** `x` `[rows, hidden]` normalised over the last axis; gamma/beta `[hidden]`. */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number, options: FusedOpOptions = {}): tf.Tensor {
  ensureCpuKernels();
  if (!options.composite && x.dtype === "float32" && backendHasKernel(GLM_KERNELS.layerNorm)) {
    const attrs: GlmLayerNormAttrs = { epsilon };
    return tf.engine().runKernel(GLM_KERNELS.layerNorm, { x, gamma, beta }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
  });
}
