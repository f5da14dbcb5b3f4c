// LayerNorm over the last axis: biased variance, eps inside the square root (as torch.nn.LayerNorm).
import { tf } from "../tfjs.js";

export interface NormWeights {
  gamma: tf.Tensor;
  beta: tf.Tensor;
}

export function layerNorm(x: tf.Tensor, w: NormWeights, eps: number): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normalized, w.gamma), w.beta);
}
