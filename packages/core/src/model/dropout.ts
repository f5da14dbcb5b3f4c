// Dropout for a training step. With a seed every mask is a function of (seed, call number), so the
// same step replays bit for bit after a resume; without one, masks come from tfjs's global RNG.
import { tf } from "../tfjs.js";

export type Dropout = (x: tf.Tensor, rate: number) => tf.Tensor;

const identity: Dropout = (x) => x;

export function makeDropout(training: boolean, seed?: number): Dropout {
  if (!training) return identity;
  let call = 0;
  return (x, rate) => {
    if (!(rate > 0)) return x;
    call++;
    // Distinct, well-spread seeds per call (golden-ratio increments).
    const callSeed = seed === undefined ? undefined : ((seed >>> 0) + Math.imul(call, 0x9e3779b1)) >>> 0;
    return tf.dropout(x, rate, undefined, callSeed);
  };
}
