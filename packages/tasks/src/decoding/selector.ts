// Token selection: the one place where logits become token ids. A selector says what the step
// must return for the rows being decoded (`request`: the logits, or each row's k most likely ids
// picked on the backend) and then returns one id per row plus its log-probability under the
// model (log-softmax of the raw logits, before any processor).
// - Greedy reads back each row's top 1 (id, logit, log Σ exp) unless a processor needs the whole
//   row (repetition penalty, no-repeat-n-gram, min length), which is then processed on the CPU.
// - Sampling with top-k and/or top-p reads back a bounded top-k and draws exactly what the whole
//   row would give (./sample-top.ts), falling back to the whole row when the bounded list cannot
//   decide; other sampling reads the rows back. Draws come from a seeded generator on the CPU.
import { GlmjsError } from "@glmjs/common";
import type { Rng } from "@glmjs/data";
import type { StepOutput, StepRequest, TopKRows } from "../generation/session.js";
import { readTopK } from "../generation/session.js";
import { argMax, logSumExp } from "./log-softmax.js";
import type { ResolvedDecoding } from "./options.js";
import {
  type LogitsProcessor,
  type RowHistory,
  applyProcessors,
  minNewTokens,
  noRepeatNgram,
  repetitionPenalty,
  temperature,
  topK,
  topP,
} from "./processors.js";
import { sampleLogits } from "./sample.js";
import { type TopSampling, sampleFromTop, topSamplingCandidates } from "./sample-top.js";

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
  /** What the next step must return for these rows (the vocabulary size bounds a top-k). */
  request(rows: readonly SelectionRow[], vocab: number): StepRequest;
  /** Picks from what the step returned for `request(rows)`; reads the tensors, does not dispose them. */
  select(out: StepOutput, rows: readonly SelectionRow[]): Promise<Selection>;
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
  if (d.strategy === "sample") return new SamplingSelector(constraintProcessors(d), samplingWarpers(d), d);
  if (d.strategy === "greedy") return new GreedySelector(constraintProcessors(d));
  throw new GlmjsError("INTERNAL", `createSelector: strategy "${d.strategy}" selects tokens through BeamSearch`);
}

const needsWholeRows = (processors: readonly LogitsProcessor[], rows: readonly SelectionRow[]) =>
  rows.some((r) => !r.skip && processors.some((p) => p.applies(r)));

export class GreedySelector implements TokenSelector {
  constructor(private readonly processors: readonly LogitsProcessor[]) {}

  request(rows: readonly SelectionRow[]): StepRequest {
    return needsWholeRows(this.processors, rows) ? { logits: true } : { topK: 1 };
  }

  async select(out: StepOutput, rows: readonly SelectionRow[]): Promise<Selection> {
    if (out.topK) {
      const top = await readTopK(out.topK);
      return pick(rows, (r) => ({ id: top.indices[r * top.k]!, logProb: top.logits[r * top.k]! - top.logSumExp[r]! }));
    }
    return selectOnCpu(wholeRows(out), rows, this.processors, (work) => argMax(work));
  }
}

export class SamplingSelector implements TokenSelector {
  private readonly processors: readonly LogitsProcessor[];
  private readonly top: TopSampling;

  constructor(
    private readonly constraints: readonly LogitsProcessor[],
    warpers: readonly LogitsProcessor[],
    d: Pick<ResolvedDecoding, "temperature" | "topK" | "topP">,
  ) {
    this.processors = [...constraints, ...warpers];
    this.top = { temperature: d.temperature, topK: d.topK, topP: d.topP };
  }

  request(rows: readonly SelectionRow[], vocab: number): StepRequest {
    const k = needsWholeRows(this.constraints, rows) ? 0 : topSamplingCandidates(this.top, vocab);
    // The logits stay on the backend, read only for a row the bounded list cannot decide.
    return k > 0 ? { topK: k, logits: true } : { logits: true };
  }

  async select(out: StepOutput, rows: readonly SelectionRow[]): Promise<Selection> {
    const generator = (row: SelectionRow): Rng => {
      if (!row.rng) throw new GlmjsError("INTERNAL", "SamplingSelector: a row has no generator");
      return row.rng;
    };
    const draw = (work: Float32Array, row: SelectionRow) => sampleLogits(work, generator(row));
    if (!out.topK) return selectOnCpu(wholeRows(out), rows, this.processors, draw);
    const top: TopKRows = await readTopK(out.topK);
    const vocab = wholeRows(out).shape[1];
    // sampleFromTop draws from a row's generator only when the list decides the row.
    const drawn = rows.map((row, r) => (row.skip ? undefined : sampleFromTop(top, r, this.top, vocab, generator(row))));
    const undecided = rows.map((row, r) => !row.skip && drawn[r] === undefined);
    const whole = undecided.some((u) => u)
      ? await selectOnCpu(
          wholeRows(out),
          rows.map((row, r) => (undecided[r] ? row : { ...row, skip: true })),
          this.processors,
          draw,
        )
      : undefined;
    return pick(rows, (r) => drawn[r] ?? { id: whole!.ids[r]!, logProb: whole!.logProbs[r]! });
  }
}

function wholeRows(out: StepOutput): NonNullable<StepOutput["logits"]> {
  if (!out.logits) throw new GlmjsError("INTERNAL", "token selection: the step returned no logits (request() asked for them)");
  return out.logits;
}

function pick(rows: readonly SelectionRow[], choose: (r: number) => { id: number; logProb: number }): Selection {
  const ids = new Int32Array(rows.length).fill(-1);
  const logProbs = new Float64Array(rows.length);
  rows.forEach((row, r) => {
    if (row.skip) return;
    const c = choose(r);
    ids[r] = c.id;
    logProbs[r] = c.logProb;
  });
  return { ids, logProbs };
}

async function selectOnCpu(
  logits: NonNullable<StepOutput["logits"]>,
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
