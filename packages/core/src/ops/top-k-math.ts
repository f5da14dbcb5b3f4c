// The arithmetic of GlmTopK on plain typed arrays (the cpu kernel, and the wasm kernel where its
// SIMD module does not apply): each row's k largest values, best first, and the row's log Σ exp.

/**
 * The k largest values of `x[offset, offset + cols)` in descending order, the lower index first
 * among equals (tf.topk's order; for k = 1 the index tf.argMax gives), written to
 * `indices`/`values` at `out`. NaN entries come last (after every number), in index order.
 * One pass with an insertion into the kept list: O(cols + insertions · k).
 */
export function topKRow(x: Float32Array, offset: number, cols: number, k: number, indices: Int32Array, values: Float32Array, out: number): void {
  let n = 0;
  let nan = 0;
  for (let j = 0; j < cols; j++) {
    const v = x[offset + j]!;
    if (Number.isNaN(v)) {
      nan++;
      continue;
    }
    let p: number;
    if (n === k) {
      if (!(v > values[out + k - 1]!)) continue;
      p = k - 1;
    } else {
      p = n++;
    }
    // Entries equal to v stay ahead of it: they have lower indices.
    while (p > 0 && values[out + p - 1]! < v) {
      values[out + p] = values[out + p - 1]!;
      indices[out + p] = indices[out + p - 1]!;
      p--;
    }
    values[out + p] = v;
    indices[out + p] = j;
  }
  if (n < k && nan > 0) {
    for (let j = 0; j < cols && n < k; j++) {
      if (Number.isNaN(x[offset + j]!)) {
        values[out + n] = NaN;
        indices[out + n++] = j;
      }
    }
  }
}

/**
 * log Σ exp(x[offset, offset + cols)) given the row's largest value `max`, summed in float64:
 * -Infinity when every entry is -Infinity, NaN when one is NaN.
 */
export function logSumExpRow(x: Float32Array, offset: number, cols: number, max: number): number {
  if (max === -Infinity) return -Infinity;
  if (Number.isNaN(max)) return NaN;
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += Math.exp(x[offset + j]! - max);
  return max + Math.log(sum);
}

/** topKRow and logSumExpRow over `rows` rows: indices/values `[rows, k]`, logSumExp `[rows]`. */
export function topKRows(x: Float32Array, rows: number, cols: number, k: number, indices: Int32Array, values: Float32Array, logSumExp: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    topKRow(x, r * cols, cols, k, indices, values, r * k);
    logSumExp[r] = logSumExpRow(x, r * cols, cols, values[r * k]!);
  }
}
