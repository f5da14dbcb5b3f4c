// LayerNorm over the last axis: biased variance, eps inside the square root (as torch.nn.LayerNorm).
// The gradient is the closed form (a handful of kernels instead of autodiff through ~10 ops).
import { tf } from "../tfjs.js";
import { withGradient } from "./custom-grad.js";
import { columnSums } from "./linear.js";

export interface NormWeights {
  gamma: tf.Tensor;
  beta: tf.Tensor;
}

/** `x` `[rows, hidden]` (or any rank; gamma/beta `[hidden]`). */
export function layerNorm(x: tf.Tensor, w: NormWeights, eps: number): tf.Tensor {
  const op = withGradient<[tf.Tensor, tf.Tensor, tf.Tensor]>(([input, gamma, beta], save) => {
    const mean = tf.mean(input, -1, true);
    const centered = tf.sub(input, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const normalized = tf.mul(centered, rstd);
    save([normalized, rstd, gamma]);
    return {
      value: tf.add(tf.mul(normalized, gamma), beta),
      gradFunc: (dy, [xhat, r, g]) => {
        const hidden = dy.shape[dy.rank - 1] as number;
        const dy2d = tf.reshape(dy, [-1, hidden]);
        const xhat2d = tf.reshape(xhat as tf.Tensor, [-1, hidden]);
        const dxhat = tf.mul(dy, g as tf.Tensor);
        // dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂))
        const inner = tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xhat as tf.Tensor, tf.mean(tf.mul(dxhat, xhat as tf.Tensor), -1, true)));
        return [tf.mul(inner, r as tf.Tensor), columnSums(tf.mul(dy2d, xhat2d)), columnSums(dy2d)];
      },
    };
  });
  return op(x, w.gamma, w.beta);
}
