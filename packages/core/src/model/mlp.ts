// The feed-forward block: dense_h_to_4h -> GELU -> dense_4h_to_h (GLM.md §1.7).
import type { GLMActivation } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import { withGradient } from "./custom-grad.js";
import { linearWithGradient } from "./linear.js";

/** A Linear layer: `weight` `[out, in]` as stored; `kernel` = weightᵀ `[in, out]` when pre-computed (decoder snapshots). */
export interface LinearWeights {
  weight: tf.Tensor;
  bias: tf.Tensor;
  kernel?: tf.Tensor;
}

/** y = x·Wᵀ + b for `x2d` `[n, in]`: a plain matMul with a pre-transposed kernel, else the op with a hand-written gradient. */
export function linear(x2d: tf.Tensor, w: LinearWeights): tf.Tensor {
  if (w.kernel) return tf.add(tf.matMul(x2d as tf.Tensor2D, w.kernel as tf.Tensor2D), w.bias);
  return linearWithGradient(x2d, w.weight, w.bias);
}

const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_CUBIC = 0.044715;

/**
 * GELU. "gelu_new": the original's tanh form 0.5·x·(1 + tanh(√(2/π)·x·(1 + 0.044715·x²))),
 * computed as x·σ(2u) (the same function: 0.5·(1 + tanh u) = σ(2u)), because the wasm backend's
 * Sigmoid is vectorised and its Tanh is not; with the closed-form gradient
 * σ + x·σ·(1 − σ)·2u′. "gelu": the exact erf form of the HF port.
 */
export function gelu(x: tf.Tensor, act: GLMActivation): tf.Tensor {
  if (act === "gelu") {
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  }
  const op = withGradient<[tf.Tensor]>(([input], save) => {
    // 2u = x·(2c + 2c·0.044715·x²)
    const twoU = tf.mul(input, tf.add(tf.mul(tf.square(input), 2 * SQRT_2_OVER_PI * GELU_CUBIC), 2 * SQRT_2_OVER_PI));
    const s = tf.sigmoid(twoU);
    save([input, s]);
    return {
      value: tf.mul(input, s),
      gradFunc: (dy, [xs, ss]) => {
        const xv = xs as tf.Tensor;
        const sv = ss as tf.Tensor;
        // d(2u)/dx = 2c·(1 + 3·0.044715·x²)
        const dTwoU = tf.add(tf.mul(tf.square(xv), 6 * SQRT_2_OVER_PI * GELU_CUBIC), 2 * SQRT_2_OVER_PI);
        const slope = tf.add(sv, tf.mul(tf.mul(tf.mul(xv, sv), tf.sub(1, sv)), dTwoU));
        return tf.mul(dy, slope);
      },
    };
  });
  return op(x);
}

export interface MlpWeights {
  fc1: LinearWeights;
  fc2: LinearWeights;
}

export function mlp(x2d: tf.Tensor, w: MlpWeights, act: GLMActivation): tf.Tensor {
  return linear(gelu(linear(x2d, w.fc1), act), w.fc2);
}
