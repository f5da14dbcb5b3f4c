// A typed front for tf.customGrad: fused ops whose gradient is written in closed form, so the
// backward pass runs a few kernels instead of retracing every small op of the forward.
import { tf } from "../tfjs.js";

export interface CustomGradResult {
  value: tf.Tensor;
  /** Gradients for every input, in order (one tensor when there is one input). */
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}

/**
 * `f(inputs, save)` computes the value and says how to differentiate it; non-tensor parameters
 * are captured by the closure (create the op per call: it is only a function).
 */
export function withGradient<A extends tf.Tensor[]>(f: (inputs: A, save: tf.GradSaveFunc) => CustomGradResult): (...inputs: A) => tf.Tensor {
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return f(args.slice(0, -1) as A, save);
  }) as Parameters<typeof tf.customGrad>[0]);
  return (...inputs: A) => op(...inputs);
}
