// The feed-forward block: dense_h_to_4h -> GELU -> dense_4h_to_h (GLM.md §1.7).
import type { GLMActivation } from "../config/glm-config.js";
import { tf } from "../tfjs.js";

/** A Linear layer with its kernel stored pre-transposed `[in, out]`, so `y = x·kernel + bias` is a plain 2-D matMul. */
export interface LinearWeights {
  kernel: tf.Tensor;
  bias: tf.Tensor;
}

export function linear(x2d: tf.Tensor, w: LinearWeights): tf.Tensor {
  return tf.add(tf.matMul(x2d as tf.Tensor2D, w.kernel as tf.Tensor2D), w.bias);
}

const SQRT_2_OVER_PI = 0.7978845608028654;

/**
 * GELU. "gelu_new": the original's tanh form 0.5·x·(1 + tanh(√(2/π)·x·(1 + 0.044715·x²)));
 * "gelu": the exact erf form of the HF port.
 */
export function gelu(x: tf.Tensor, act: GLMActivation): tf.Tensor {
  if (act === "gelu") {
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  }
  const inner = tf.mul(tf.mul(x, SQRT_2_OVER_PI), tf.add(tf.mul(tf.square(x), 0.044715), 1));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

export interface MlpWeights {
  fc1: LinearWeights;
  fc2: LinearWeights;
}

export function mlp(x2d: tf.Tensor, w: MlpWeights, act: GLMActivation): tf.Tensor {
  return linear(gelu(linear(x2d, w.fc1), act), w.fc2);
}
