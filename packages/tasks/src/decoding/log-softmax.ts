// Row-wise log-softmax pieces in float64 over float32 logits (CPU side of decoding).

/** log Σ exp(row[i]) computed stably; -Infinity when every entry is -Infinity. */
export function logSumExp(row: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i]! > max) max = row[i]!;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i]! - max);
  return max + Math.log(sum);
}

/** `out[i] = row[i] − logΣexp(row)` (allocates `out` when not given). */
export function logSoftmax(row: ArrayLike<number>, out: Float64Array = new Float64Array(row.length)): Float64Array {
  const lse = logSumExp(row);
  for (let i = 0; i < row.length; i++) out[i] = row[i]! - lse;
  return out;
}

/** Index of the largest entry (the first one on ties, as tf.argMax). */
export function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}
