// The arithmetic of glmjs's fused decoding kernels on plain typed arrays: the cpu backend's
// kernels run it on tfjs's own arrays, and a backend package may run it on its heap (the wasm
// backend does where its SIMD module is unavailable). One definition, so every implementation
// computes the same function as the composite fallback built from tfjs ops.

/** Scores of blocked keys become exactly this (the fp16 minimum), as in the original. */
export const MASKED_SCORE = -65504;

/** What follows the matMul and bias of a Linear layer. */
export type LinearActivation = "none" | "gelu_tanh" | "gelu_erf";

const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_CUBIC = 0.044715;

/** LayerNorm of `rows` rows of `cols` values: biased variance, eps inside the square root. */
export function layerNormRows(x: Float32Array, gamma: Float32Array, beta: Float32Array, out: Float32Array, rows: number, cols: number, eps: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += x[o + c]!;
    const mean = sum / cols;
    let squares = 0;
    for (let c = 0; c < cols; c++) {
      const d = x[o + c]! - mean;
      squares += d * d;
    }
    const rstd = 1 / Math.sqrt(squares / cols + eps);
    for (let c = 0; c < cols; c++) out[o + c] = (x[o + c]! - mean) * rstd * gamma[c]! + beta[c]!;
  }
}

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), the approximation tfjs's backends use. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-a * a));
}

/**
 * The activation in place over `values[offset, offset + length)`. "gelu_tanh" is
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) computed as x·σ(2u), as the model's composite does.
 */
export function activateInPlace(values: Float32Array, activation: LinearActivation, offset = 0, length = values.length - offset): void {
  if (activation === "none") return;
  const end = offset + length;
  if (activation === "gelu_tanh") {
    for (let i = offset; i < end; i++) {
      const x = values[i]!;
      const twoU = x * (x * x * (2 * SQRT_2_OVER_PI * GELU_CUBIC) + 2 * SQRT_2_OVER_PI);
      values[i] = x / (1 + Math.exp(-twoU));
    }
  } else {
    for (let i = offset; i < end; i++) {
      const x = values[i]!;
      values[i] = x * 0.5 * (erf(x * Math.SQRT1_2) + 1);
    }
  }
}

/** Where a step's keys and values go and which of them its queries see. */
export interface CachedAttentionGeometry {
  batch: number;
  /** New positions in this step. */
  seq: number;
  heads: number;
  headSize: number;
  /** Positions the cache buffers hold per row (their third dimension). */
  capacity: number;
  /** First cached position of the window the queries attend to. */
  start: number;
  /** Cached positions before this step (the step writes at start + length). */
  length: number;
  /** Keys are stored divided by this (√headSize, as a float32). */
  keyDivisor: number;
}

/**
 * Writes the step's keys (divided by keyDivisor) and values from `qkv` `[batch·seq, 3·hidden]`
 * into the cache buffers `[batch, heads, capacity, headSize]` at position start + length.
 */
export function writeKeysValues(qkv: Float32Array, keys: Float32Array, values: Float32Array, g: CachedAttentionGeometry): void {
  const { batch, seq, heads, headSize: d, capacity, start, length, keyDivisor } = g;
  const hidden = heads * d;
  const at = start + length;
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < seq; s++) {
      const row = (b * seq + s) * 3 * hidden;
      for (let h = 0; h < heads; h++) {
        const dst = ((b * heads + h) * capacity + at + s) * d;
        const k = row + hidden + h * d;
        const v = row + 2 * hidden + h * d;
        for (let e = 0; e < d; e++) {
          keys[dst + e] = qkv[k + e]! / keyDivisor;
          values[dst + e] = qkv[v + e]!;
        }
      }
    }
  }
}

/**
 * Attention of the step's queries over the window [start, start + length + seq) of the cache
 * (the step's own keys written first). `mask` `[batch, 1, maskRows, length + seq]` (maskRows 1
 * or seq; 1 = visible) or undefined (every key visible). Writes `out` `[batch·seq, hidden]`.
 */
export function attendCached(
  qkv: Float32Array,
  keys: Float32Array,
  values: Float32Array,
  mask: Float32Array | undefined,
  maskRows: number,
  out: Float32Array,
  g: CachedAttentionGeometry,
): void {
  const { batch, seq, heads, headSize: d, capacity, start, length } = g;
  const hidden = heads * d;
  const keysTotal = length + seq;
  const probs = new Float64Array(keysTotal);
  const acc = new Float64Array(d);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const base = ((b * heads + h) * capacity + start) * d;
      for (let s = 0; s < seq; s++) {
        const q = (b * seq + s) * 3 * hidden + h * d;
        const maskRow = mask ? (b * maskRows + (maskRows === 1 ? 0 : s)) * keysTotal : 0;
        let max = -Infinity;
        for (let j = 0; j < keysTotal; j++) {
          const k = base + j * d;
          let score = 0;
          for (let e = 0; e < d; e++) score += qkv[q + e]! * keys[k + e]!;
          score = Math.fround(score);
          if (mask) {
            const m = mask[maskRow + j]!;
            score = score * m + (1 - m) * MASKED_SCORE;
          }
          probs[j] = score;
          if (score > max) max = score;
        }
        let sum = 0;
        for (let j = 0; j < keysTotal; j++) {
          const p = Math.exp(probs[j]! - max);
          probs[j] = p;
          sum += p;
        }
        acc.fill(0);
        for (let j = 0; j < keysTotal; j++) {
          const p = Math.fround(probs[j]! / sum);
          const v = base + j * d;
          for (let e = 0; e < d; e++) acc[e] = acc[e]! + p * values[v + e]!;
        }
        const o = (b * seq + s) * hidden + h * d;
        for (let e = 0; e < d; e++) out[o + e] = acc[e]!;
      }
    }
  }
}
