// Teacher-forced scoring of rows in batches: one forward pass per batch (hidden states only), then
// the tied output projection at the scored positions alone, so a batch never holds full
// [batch, seq, vocab] logits.
import { GlmjsError } from "@glmjs/common";
import { type GLMModel, tf } from "@glmjs/core";
import type { LmRow } from "./lm-row.js";
import { logitStats } from "./logit-stats.js";

/** Per scored position of a row, in order. */
export interface RowScores {
  targets: number[];
  /** The most probable token (the first on ties). */
  argmax: number[];
  /** −log p(target), nats, softmax over the whole padded vocabulary. */
  nll: number[];
}

export interface ScoreRowsOptions {
  /** Rows per forward pass. Default 8. */
  batchSize?: number;
  /** Called after each batch with the number of rows scored so far. */
  onBatch?: (done: number) => void;
  signal?: AbortSignal;
}

/** Logit rows computed at once: at most 16 Mi floats (64 MiB) of logits. */
const LOGIT_BUDGET = 16 * 1024 * 1024;

/**
 * Scores every row. Rows are batched longest first and right-padded (id 0, positions 0); padding
 * sits after each row's Part B, where causality keeps it unseen, so a row scores the same in any batch.
 */
export async function scoreRows(model: GLMModel, rows: readonly LmRow[], options: ScoreRowsOptions = {}): Promise<RowScores[]> {
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new GlmjsError("OPTION_INVALID", `batchSize must be a positive integer, got ${batchSize}`);
  const vocab = model.config.vocab_size;
  const word = model.namedVariables().get("word_embeddings.weight") as tf.Tensor2D | undefined;
  if (!word) throw new GlmjsError("INTERNAL", "scoreRows: the model has no word_embeddings.weight");
  rows.forEach((r, i) => checkRow(r, i, vocab));
  const order = rows.map((_, i) => i).sort((a, b) => rows[b].inputIds.length - rows[a].inputIds.length);
  const out: RowScores[] = [];
  let done = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = order.slice(start, start + batchSize).map((i) => rows[i]);
    const scores = await scoreBatch(model, word, batch, vocab);
    order.slice(start, start + batchSize).forEach((rowIndex, k) => (out[rowIndex] = scores[k]));
    done += batch.length;
    options.onBatch?.(done);
  }
  return out;
}

async function scoreBatch(model: GLMModel, word: tf.Tensor2D, batch: readonly LmRow[], vocab: number): Promise<RowScores[]> {
  const b = batch.length;
  const seq = Math.max(...batch.map((r) => r.inputIds.length));
  const ids = new Int32Array(b * seq);
  const pos = new Int32Array(b * seq);
  const block = new Int32Array(b * seq);
  const sep = new Int32Array(b);
  const flatIndex: number[] = [];
  const flatTarget: number[] = [];
  batch.forEach((r, i) => {
    ids.set(r.inputIds, i * seq);
    pos.set(r.positionIds, i * seq);
    block.set(r.blockPositionIds, i * seq);
    sep[i] = r.sep;
    r.lossMask.forEach((m, t) => {
      if (m > 0) {
        flatIndex.push(i * seq + t);
        flatTarget.push(r.targets[t]);
      }
    });
  });
  const { hidden } = model.forward({ inputIds: ids, positionIds: pos, blockPositionIds: block, sep, batchSize: b }, { logits: false, returnHidden: true });
  const nll = new Float64Array(flatIndex.length);
  const argmax = new Int32Array(flatIndex.length);
  let flat: tf.Tensor2D | undefined;
  try {
    flat = tf.reshape(hidden as tf.Tensor3D, [b * seq, model.config.hidden_size]);
    const chunk = Math.max(1, Math.floor(LOGIT_BUDGET / vocab));
    for (let s = 0; s < flatIndex.length; s += chunk) {
      const rows = flatIndex.slice(s, s + chunk);
      const h = tf.tidy(() => tf.gather(flat as tf.Tensor2D, tf.tensor1d(rows, "int32")));
      try {
        const stats = await logitStats(h, word, flatTarget.slice(s, s + chunk));
        nll.set(stats.nll, s);
        argmax.set(stats.argmax, s);
      } finally {
        h.dispose();
      }
    }
  } finally {
    flat?.dispose();
    hidden?.dispose();
  }
  let k = 0;
  return batch.map((r) => {
    const n = r.lossMask.reduce((c, m) => c + (m > 0 ? 1 : 0), 0);
    const res: RowScores = { targets: flatTarget.slice(k, k + n), argmax: Array.from(argmax.subarray(k, k + n)), nll: Array.from(nll.subarray(k, k + n)) };
    k += n;
    return res;
  });
}

function checkRow(r: LmRow, i: number, vocab: number): void {
  const n = r.inputIds.length;
  for (const key of ["positionIds", "blockPositionIds", "targets", "lossMask"] as const) {
    if (r[key].length !== n) throw new GlmjsError("INPUT_INVALID", `row ${i}: ${key} has ${r[key].length} values, inputIds has ${n}`);
  }
  if (!(r.sep > 0 && r.sep <= n)) throw new GlmjsError("INPUT_INVALID", `row ${i}: sep ${r.sep} is outside 1 … ${n}`);
  r.lossMask.forEach((m, t) => {
    if (m > 0 && !(r.targets[t] >= 0 && r.targets[t] < vocab))
      throw new GlmjsError("INPUT_INVALID", `row ${i}: target ${r.targets[t]} at position ${t} is outside the model's vocabulary [0, ${vocab})`);
  });
}
