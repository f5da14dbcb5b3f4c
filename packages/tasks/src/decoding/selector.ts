// Token selection: the one place where logits become token ids. A selector receives the logits
// of the rows being decoded (a tensor on the active backend) and returns one id per row plus its
// log-probability under the model (log-softmax of the raw logits, before any processor).
// Greedy keeps the argmax on the backend and reads back two numbers per row unless a processor
// needs the whole row; sampling reads rows back and draws on the CPU from a seeded generator.
// An on-backend sampler can implement the same interface later.
import { tf } from "@glmjs/core";
import type { Rng } from "@glmjs/data";
import { argMax, logSumExp } from "./log-softmax.js";
import type { ResolvedDecoding } from "./options.js";
import { type LogitsProcessor, type RowHistory, applyProcessors, minNewTokens, noRepeatNgram, repetitionPenalty, temperature, topK, topP } from "./processors.js";
import { sampleLogits } from "./sample.js";

export interface SelectionRow extends RowHistory {
  /** The row's generator (sampling). */
  readonly rng?: Rng;
  /** The row's logits are not needed this step (its token was fed only to enter the cache). */
  readonly skip?: boolean;
}

export interface Selection {
  /** One id per row (-1 for skipped rows). */
  ids: Int32Array;
  /** log p(id) under the model's unprocessed distribution. */
  logProbs: Float64Array;
}

export interface TokenSelector {
  /** `logits` is `[rows, vocab]`; the selector reads it but does not dispose it. */
  select(logits: tf.Tensor2D, rows: readonly SelectionRow[]): Promise<Selection>;
}

/** The processors of `decoding` that edit logits before a token is chosen (greedy and sampling). */
export function constraintProcessors(d: ResolvedDecoding): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (d.repetitionPenalty !== 1) list.push(repetitionPenalty(d.repetitionPenalty));
  if (d.noRepeatNgramSize > 0) list.push(noRepeatNgram(d.noRepeatNgramSize));
  if (d.minNewTokens > 0) list.push(minNewTokens(d.minNewTokens, d.stopIds));
  return list;
}

/** Sampling's warpers, after the constraints (Hugging Face's order): temperature, top-k, top-p. */
export function samplingWarpers(d: ResolvedDecoding): LogitsProcessor[] {
  const list: LogitsProcessor[] = [];
  if (d.temperature !== 1) list.push(temperature(d.temperature));
  if (d.topK > 0) list.push(topK(d.topK));
  if (d.topP > 0) list.push(topP(d.topP));
  return list;
}

/** The selector for a greedy or sampling run. */
export function createSelector(d: ResolvedDecoding): TokenSelector {
  if (d.strategy === "sample") return new SamplingSelector([...constraintProcessors(d), ...samplingWarpers(d)]);
  if (d.strategy === "greedy") return new GreedySelector(constraintProcessors(d));
  throw new Error(`createSelector: strategy "${d.strategy}" selects tokens through BeamSearch`);
}

export class GreedySelector implements TokenSelector {
  constructor(private readonly processors: readonly LogitsProcessor[]) {}

  async select(logits: tf.Tensor2D, rows: readonly SelectionRow[]): Promise<Selection> {
    const needRows = rows.some((r) => !r.skip && this.processors.some((p) => p.applies(r)));
    if (!needRows) return backendArgMax(logits, rows);
    return selectOnCpu(logits, rows, this.processors, (work) => argMax(work));
  }
}

export class SamplingSelector implements TokenSelector {
  constructor(private readonly processors: readonly LogitsProcessor[]) {}

  select(logits: tf.Tensor2D, rows: readonly SelectionRow[]): Promise<Selection> {
    return selectOnCpu(logits, rows, this.processors, (work, row) => {
      if (!row.rng) throw new Error("SamplingSelector: a row has no generator");
      return sampleLogits(work, row.rng);
    });
  }
}

/** argmax and log-softmax at the argmax, on the backend: reads back 2 numbers per row. */
async function backendArgMax(logits: tf.Tensor2D, rows: readonly SelectionRow[]): Promise<Selection> {
  const packed = tf.tidy(() => {
    const ids = tf.cast(tf.argMax(logits, 1), "float32");
    const logProb = tf.sub(tf.max(logits, 1), tf.logSumExp(logits, 1));
    return tf.concat([ids, logProb]);
  });
  const data = await packed.data();
  packed.dispose();
  const n = rows.length;
  const ids = new Int32Array(n);
  const logProbs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    ids[r] = rows[r]!.skip ? -1 : data[r]!;
    logProbs[r] = rows[r]!.skip ? 0 : data[n + r]!;
  }
  return { ids, logProbs };
}

async function selectOnCpu(
  logits: tf.Tensor2D,
  rows: readonly SelectionRow[],
  processors: readonly LogitsProcessor[],
  choose: (work: Float32Array, row: SelectionRow) => number,
): Promise<Selection> {
  const [n, vocab] = logits.shape;
  const data = (await logits.data()) as Float32Array;
  const ids = new Int32Array(n).fill(-1);
  const logProbs = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    if (row.skip) continue;
    const raw = data.subarray(r * vocab, (r + 1) * vocab);
    // A copy: on the cpu backend data() may hand out the tensor's own buffer.
    const work = Float32Array.from(raw);
    applyProcessors(processors, work, row);
    const id = choose(work, row);
    ids[r] = id;
    logProbs[r] = raw[id]! - logSumExp(raw);
  }
  return { ids, logProbs };
}
