// Per scored position: −log softmax at the target and the argmax, over the tied output projection.
import { tf } from "@glmjs/core";

export interface LogitStats {
  nll: Float64Array;
  argmax: Int32Array;
}

/**
 * `hidden` `[n, h]` (after the final LayerNorm), `word` `[vocab, h]`, `targets` `[n]`. On tfjs's
 * cpu backend the logits already live in JS memory and its broadcasting kernels are slow (a
 * logsumexp over 900 × 30,592 logits took 8 s, this loop a fraction of one), so the reductions run
 * here; on other backends they run on the device (logsumexp as max − log max softmax, as core's
 * loss does) and only three numbers per position come back.
 */
export async function logitStats(hidden: tf.Tensor2D, word: tf.Tensor2D, targets: readonly number[]): Promise<LogitStats> {
  const n = targets.length;
  const vocab = word.shape[0];
  if (tf.getBackend() === "cpu") {
    const logits = tf.matMul(hidden, word, false, true);
    let data: Float32Array;
    try {
      data = (await logits.data()) as Float32Array;
    } finally {
      logits.dispose();
    }
    const nll = new Float64Array(n);
    const argmax = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const row = data.subarray(r * vocab, (r + 1) * vocab);
      let best = 0;
      for (let j = 1; j < vocab; j++) if (row[j] > row[best]) best = j;
      const max = row[best];
      let sum = 0;
      for (let j = 0; j < vocab; j++) sum += Math.exp(row[j] - max);
      nll[r] = max + Math.log(sum) - row[targets[r]];
      argmax[r] = best;
    }
    return { nll, argmax };
  }
  const [nllT, argT] = tf.tidy(() => {
    const logits = tf.matMul(hidden, word, false, true);
    const lse = tf.sub(tf.max(logits, 1), tf.log(tf.max(tf.softmax(logits), 1)));
    const targetLogit = tf.sum(tf.mul(hidden, tf.gather(word, tf.tensor1d(targets as number[], "int32"))), 1);
    return [tf.sub(lse, targetLogit), tf.argMax(logits, 1)];
  });
  try {
    return { nll: Float64Array.from(await nllT.data()), argmax: Int32Array.from(await argT.data()) };
  } finally {
    tf.dispose([nllT, argT]);
  }
}
