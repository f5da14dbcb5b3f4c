// Global-norm gradient clipping (torch `clip_grad_norm_`, the original's `mpu.clip_grad_norm`).
import { tf } from "@glmjs/core";

/** The L2 norm over every gradient together, as a scalar tensor (caller owns it). */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (grads.length === 0) return tf.scalar(0);
    const squares = grads.map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(tf.addN(squares)) as tf.Scalar;
  });
}

/**
 * Scales gradients so that their global norm is at most `maxNorm`, with the same coefficient as
 * torch: maxNorm / (norm + 1e-6), applied only when below 1. Returns new tensors (the caller
 * disposes the inputs) and leaves non-finite norms alone: the NaN policy decides about those.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], norm: number, maxNorm: number): tf.Tensor[] {
  const coef = maxNorm / (norm + 1e-6);
  if (!(maxNorm > 0) || !Number.isFinite(norm) || coef >= 1) return grads.map((g) => tf.clone(g));
  return tf.tidy(() => grads.map((g) => tf.mul(g, tf.scalar(coef))));
}
