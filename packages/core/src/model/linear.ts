// A Linear layer y = x·Wᵀ + b with its gradient written out, so that every product of the
// backward pass is an untransposed 2-D matMul over what is already in memory (the fast path
// of the wasm backend, where a transposed operand is first copied by a slow Transpose kernel).
import { tf } from "../tfjs.js";
import { withGradient } from "./custom-grad.js";

/** Column sums of a `[rows, cols]` matrix as one matMul with a row of ones (a reduction over axis 0 transposes on wasm). */
export function columnSums(m: tf.Tensor): tf.Tensor1D {
  const [rows, cols] = m.shape as [number, number];
  return tf.reshape(tf.matMul(tf.ones([1, rows]), m as tf.Tensor2D), [cols]) as tf.Tensor1D;
}

/**
 * `x` `[n, in]`, `weight` `[out, in]` (the checkpoint layout), `bias` `[out]` → `[n, out]`.
 * Backward: dx = dy·W (plain), db = column sums of dy, and dW = dyᵀ·x or (xᵀ·dy)ᵀ, whichever
 * transposes fewer elements.
 */
export function linearWithGradient(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor2D {
  const op = withGradient<[tf.Tensor, tf.Tensor, tf.Tensor]>(([x2d, w, b], save) => {
    save([x2d, w]);
    return {
      value: tf.add(tf.matMul(x2d as tf.Tensor2D, tf.transpose(w) as tf.Tensor2D), b),
      gradFunc: (dy, [xs, ws]) => {
        const x = xs as tf.Tensor2D;
        const dy2d = dy as tf.Tensor2D;
        const [n, inSize] = x.shape;
        const outSize = dy2d.shape[1];
        const dx = tf.matMul(dy2d, ws as tf.Tensor2D);
        const dw = outSize * n <= inSize * n + inSize * outSize ? tf.matMul(tf.transpose(dy2d), x) : tf.transpose(tf.matMul(tf.transpose(x), dy2d));
        return [dx, dw, columnSums(dy2d)];
      },
    };
  });
  return op(x, weight, bias) as tf.Tensor2D;
}
