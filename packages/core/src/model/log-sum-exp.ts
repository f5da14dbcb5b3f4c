// Row-wise logsumexp over the vocabulary with a cheap gradient, for the cross-entropy.
//
// tf.logSumExp runs max, sub, exp, sum, log over the whole [rows, vocab] logits, and its
// gradient goes back through each of them (max's gradient is a broadcast Equal, the slowest
// kernel of a wasm training step). Here the forward is one softmax (XNNPACK's vectorised kernel
// on wasm, against a scalar Exp) plus two row maxima, and the gradient is softmax · dy.
import { tf } from "../tfjs.js";
import { withGradient } from "./custom-grad.js";

/**
 * `logits` `[rows, vocab]` → `[rows]`: max + log Σ exp(x − max).
 * With p = softmax(x), p at the row's maximum is exactly 1 / Σ exp(x − max), so
 * logsumexp = max − log(max p); max p ≥ 1/vocab, so this never underflows.
 */
export const logSumExpRows = withGradient<[tf.Tensor]>(([logits], save) => {
  const probs = tf.softmax(logits, -1);
  save([probs]);
  return {
    value: tf.sub(tf.max(logits, 1), tf.log(tf.max(probs, 1))),
    gradFunc: (dy, [p]) => tf.mul(p as tf.Tensor, tf.expandDims(dy, 1)),
  };
}) as (logits: tf.Tensor) => tf.Tensor1D;

/**
 * logsumexp(h·Wᵀ) per row for `hidden` `[rows, h]` and the tied output projection `word`
 * `[vocab, h]`, without keeping the logits: the backward pass needs only the softmax
 * g = p·dy, then dh = g·W (plain) and dW = (hᵀ·g)ᵀ (transposing h and the `[h, vocab]` result,
 * not the `[rows, vocab]` g).
 */
export function tiedLogSumExp(hidden: tf.Tensor, word: tf.Tensor): tf.Tensor1D {
  const op = withGradient<[tf.Tensor, tf.Tensor]>(([h, w], save) => {
    const logits = tf.matMul(h as tf.Tensor2D, tf.transpose(w) as tf.Tensor2D);
    const probs = tf.softmax(logits, -1);
    save([h, w, probs]);
    return {
      value: tf.sub(tf.max(logits, 1), tf.log(tf.max(probs, 1))),
      gradFunc: (dy, [hs, ws, p]) => {
        const g = tf.mul(p as tf.Tensor, tf.expandDims(dy, 1)) as tf.Tensor2D;
        return [tf.matMul(g, ws as tf.Tensor2D), tf.transpose(tf.matMul(hs as tf.Tensor2D, g, true, false))];
      },
    };
  });
  return op(hidden, word) as tf.Tensor1D;
}
