// Logits processors: each edits one row of logits (float32, in place) given what the row has
// generated. They run on the CPU over read-back logits; `applies` lets a selector skip the read
// back when none of them would change anything (greedy's on-backend argmax path).
import { bannedNgramTokens } from "./no-repeat-ngram.js";

/** What a processor may look at for one row. */
export interface RowHistory {
  /** Tokens generated so far in the current span (the original's processors see only these). */
  readonly span: readonly number[];
  /** Ids the repetition penalty acts on: text tokens of the context and of every span so far. */
  readonly seen: ReadonlySet<number>;
}

export interface LogitsProcessor {
  readonly name: string;
  /** Whether `apply` would change anything for this row (false lets greedy keep its argmax on the backend). */
  applies(row: RowHistory): boolean;
  apply(logits: Float32Array, row: RowHistory): void;
}

/** CTRL's repetition penalty as Hugging Face applies it: negative logits × p, positive ÷ p. */
export function repetitionPenalty(penalty: number): LogitsProcessor {
  return {
    name: "repetitionPenalty",
    applies: (row) => penalty !== 1 && row.seen.size > 0,
    apply(logits, row) {
      for (const id of row.seen) {
        const l = logits[id]!;
        logits[id] = l < 0 ? l * penalty : l / penalty;
      }
    },
  };
}

/** Bans tokens that would repeat an n-gram of the span's generated tokens. */
export function noRepeatNgram(n: number): LogitsProcessor {
  return {
    name: "noRepeatNgram",
    applies: (row) => n > 0 && row.span.length + 1 >= n && bannedNgramTokens(row.span, n).length > 0,
    apply(logits, row) {
      for (const id of bannedNgramTokens(row.span, n)) logits[id] = -Infinity;
    },
  };
}

/** Bans the stop ids while the span is shorter than `min` (the original's MinLengthLogitsProcessor). */
export function minNewTokens(min: number, stopIds: readonly number[]): LogitsProcessor {
  return {
    name: "minNewTokens",
    applies: (row) => row.span.length < min && stopIds.length > 0,
    apply(logits, row) {
      if (row.span.length < min) for (const id of stopIds) logits[id] = -Infinity;
    },
  };
}

/** Divides the logits by `t`. */
export function temperature(t: number): LogitsProcessor {
  return {
    name: "temperature",
    applies: () => t !== 1,
    apply(logits) {
      for (let i = 0; i < logits.length; i++) logits[i] = logits[i]! / t;
    },
  };
}

/** Keeps logits ≥ the k-th largest (ties at the threshold are kept, as the original's top_k_logits). */
export function topK(k: number): LogitsProcessor {
  return {
    name: "topK",
    applies: () => k > 0,
    apply(logits) {
      if (k <= 0 || k >= logits.length) return;
      const threshold = kthLargest(logits, k);
      for (let i = 0; i < logits.length; i++) if (logits[i]! < threshold) logits[i] = -Infinity;
    },
  };
}

/**
 * Nucleus filtering as the original's top_k_logits: sort descending, drop every token whose
 * preceding cumulative probability already exceeds p (the first token is always kept).
 */
export function topP(p: number): LogitsProcessor {
  return {
    name: "topP",
    applies: () => p > 0 && p < 1,
    apply(logits) {
      if (!(p > 0 && p < 1)) return;
      const order = sortedDescending(logits);
      const max = logits[order[0]!]!;
      if (max === -Infinity) return;
      let z = 0;
      for (const i of order) z += Math.exp(logits[i]! - max);
      let cumulative = 0;
      for (let r = 0; r < order.length; r++) {
        const i = order[r]!;
        if (r > 0 && cumulative > p) logits[i] = -Infinity;
        else cumulative += Math.exp(logits[i]! - max) / z;
      }
    },
  };
}

/** Indices of the finite entries of `row`, largest first (stable for ties). */
function sortedDescending(row: Float32Array): number[] {
  const idx: number[] = [];
  for (let i = 0; i < row.length; i++) if (row[i]! > -Infinity) idx.push(i);
  idx.sort((a, b) => row[b]! - row[a]! || a - b);
  return idx;
}

/** The k-th largest value of `row` (1-based k). */
export function kthLargest(row: ArrayLike<number>, k: number): number {
  const sorted = Float32Array.from(row).sort();
  return sorted[sorted.length - k]!;
}

/** Runs the processors that apply, in order. */
export function applyProcessors(processors: readonly LogitsProcessor[], logits: Float32Array, row: RowHistory): void {
  for (const p of processors) if (p.applies(row)) p.apply(logits, row);
}
