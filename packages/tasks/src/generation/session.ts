// The model as decoding sees it: a small interface (prefill rows, feed one token per row, keep
// some rows) over @glmjs/core's GLMDecoder and its key/value cache. Rows of different lengths
// are right-padded at prefill; their pad columns are hidden from every later query by an
// explicit attention mask, so each row computes what it would alone. A step returns the logits
// and/or each row's k most likely ids picked on the backend (core's `select: { topK }`), so
// token selection reads back a few numbers per row instead of a vocabulary row where it can.
import { GlmjsError } from "@glmjs/common";
import { type DecodeStepResult, type GLMDecoder, type GLMModel, tf } from "@glmjs/core";

/** One row of a prefill: its ids, 2-D positions and Part A length (queries see j < sep or j ≤ i). */
export interface PrefillRow {
  ids: readonly number[];
  positions: readonly number[];
  blocks: readonly number[];
  sep: number;
}

/** One token per row. */
export interface StepInput {
  tokens: ArrayLike<number>;
  positions: ArrayLike<number>;
  blocks: ArrayLike<number>;
}

/** What a step returns besides entering its tokens into the cache (nothing when empty). */
export interface StepRequest {
  /** The logits `[rows, vocab]`. */
  logits?: boolean;
  /** Each row's k most likely ids, picked on the backend (1 ≤ k ≤ vocab). */
  topK?: number;
}

/** A step's tensors (free them with disposeStepOutput). */
export interface StepOutput {
  logits?: tf.Tensor2D;
  /** Best first (the lower id first among equal logits): ids `[rows, k]`, their raw logits, each row's log Σ exp. */
  topK?: { indices: tf.Tensor2D; logits: tf.Tensor2D; logSumExp: tf.Tensor1D };
}

/** A step's top-k, read back: row r's candidates are [r·k, (r + 1)·k). */
export interface TopKRows {
  k: number;
  indices: Int32Array;
  logits: Float32Array;
  logSumExp: Float32Array;
}

export function disposeStepOutput(out: StepOutput | undefined): void {
  if (!out) return;
  const tensors: (tf.Tensor | undefined)[] = [out.logits, out.topK?.indices, out.topK?.logits, out.topK?.logSumExp];
  tf.dispose(tensors.filter((t): t is tf.Tensor => t !== undefined));
}

export async function readTopK(top: NonNullable<StepOutput["topK"]>): Promise<TopKRows> {
  const [indices, logits, logSumExp] = await Promise.all([top.indices.data(), top.logits.data(), top.logSumExp.data()]);
  return { k: top.indices.shape[1], indices: indices as Int32Array, logits: logits as Float32Array, logSumExp: logSumExp as Float32Array };
}

export interface DecodingSession {
  readonly vocabSize: number;
  /** Rows held (0 before the prefill). */
  readonly rows: number;
  /** Encodes the rows (replacing anything held). */
  prefill(rows: readonly PrefillRow[]): void;
  /** Feeds one token per row; returns what `request` asks for (the caller disposes it). */
  step(input: StepInput, request: StepRequest): StepOutput;
  /** Keeps (or repeats) rows: row i becomes old row indices[i] (beam reordering, dropping finished rows). */
  keepRows(indices: readonly number[]): void;
  dispose(): void;
}

/**
 * A session over `model.createDecoder()` (the whole history is kept: no memory truncation). The
 * decoder reads the model's shared decoding weights (made once per model state, not per call).
 */
export function openSession(model: GLMModel): DecodingSession {
  return new CachedSession(model);
}

class CachedSession implements DecodingSession {
  private decoder: GLMDecoder;
  /** Real columns of each row's prefill; columns [length, width) are padding. */
  private lengths: number[] = [];
  private width = 0;

  constructor(private readonly model: GLMModel) {
    this.decoder = model.createDecoder({ maxMemoryLength: 0 });
  }

  get vocabSize(): number {
    return this.model.config.vocab_size;
  }

  get rows(): number {
    return this.lengths.length;
  }

  prefill(rows: readonly PrefillRow[]): void {
    if (rows.length === 0) throw new GlmjsError("INPUT_INVALID", "prefill: no rows");
    if (this.lengths.length) {
      this.decoder.dispose();
      this.decoder = this.model.createDecoder({ maxMemoryLength: 0 });
    }
    const width = Math.max(...rows.map((r) => r.ids.length));
    const n = rows.length;
    const ids = new Int32Array(n * width);
    const pos = new Int32Array(n * width);
    const blk = new Int32Array(n * width);
    rows.forEach((r, i) => {
      if (r.ids.length === 0) throw new GlmjsError("INPUT_INVALID", `prefill: row ${i} is empty`);
      if (r.positions.length !== r.ids.length || r.blocks.length !== r.ids.length)
        throw new GlmjsError(
          "INPUT_INVALID",
          `prefill: row ${i} has ${r.ids.length} ids but ${r.positions.length} positions and ${r.blocks.length} block positions`,
        );
      ids.set(r.ids, i * width);
      pos.set(r.positions, i * width);
      blk.set(r.blocks, i * width);
    });
    const padded = rows.some((r) => r.ids.length < width);
    const inputs = { inputIds: ids, positionIds: pos, blockPositionIds: blk, batchSize: n };
    if (!padded) {
      this.decoder.step({ ...inputs, sep: rows.map((r) => r.sep) }, { logits: "none" });
    } else {
      // query i sees key j iff j is a real column and (j < sep or j ≤ i).
      const mask = new Float32Array(n * width * width);
      rows.forEach((r, b) => {
        for (let i = 0; i < width; i++) {
          for (let j = 0; j < r.ids.length; j++) if (j < r.sep || j <= i) mask[(b * width + i) * width + j] = 1;
        }
      });
      const m = tf.tensor4d(mask, [n, 1, width, width]);
      try {
        this.decoder.step({ ...inputs, attentionMask: m }, { logits: "none" });
      } finally {
        m.dispose();
      }
    }
    this.lengths = rows.map((r) => r.ids.length);
    this.width = width;
  }

  step(input: StepInput, request: StepRequest): StepOutput {
    const n = this.rows;
    if (n === 0) throw new GlmjsError("INPUT_INVALID", "step: prefill first");
    if (input.tokens.length !== n) throw new GlmjsError("INPUT_INVALID", `step: ${input.tokens.length} tokens for ${n} rows`);
    const inputs = {
      inputIds: Int32Array.from(input.tokens),
      positionIds: Int32Array.from(input.positions),
      blockPositionIds: Int32Array.from(input.blocks),
      batchSize: n,
    };
    const options = {
      logits: request.logits ? ("last" as const) : ("none" as const),
      select: request.topK ? { topK: request.topK, logits: true } : undefined,
    };
    let r: DecodeStepResult;
    if (!this.lengths.some((l) => l < this.width)) {
      r = this.decoder.step(inputs, options);
    } else {
      const keys = this.decoder.memoryLength + 1;
      const mask = new Float32Array(n * keys).fill(1);
      this.lengths.forEach((l, b) => mask.fill(0, b * keys + l, b * keys + this.width));
      const m = tf.tensor4d(mask, [n, 1, 1, keys]);
      try {
        r = this.decoder.step({ ...inputs, attentionMask: m }, options);
      } finally {
        m.dispose();
      }
    }
    // Token selection here uses the raw logits and log Σ exp; the log-probabilities are not needed.
    r.topK?.logProbs.dispose();
    return {
      logits: r.logits as tf.Tensor2D | undefined,
      topK: r.topK ? { indices: r.topK.indices, logits: r.topK.logits!, logSumExp: r.topK.logSumExp! } : undefined,
    };
  }

  keepRows(indices: readonly number[]): void {
    const same = indices.length === this.rows && indices.every((v, i) => v === i);
    if (same) return;
    this.decoder.reorder(indices);
    this.lengths = indices.map((i) => this.lengths[i]!);
  }

  dispose(): void {
    this.decoder.dispose();
    this.lengths = [];
  }
}
