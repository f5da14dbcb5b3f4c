// Beam search exactly as the original's tasks/seq2seq/evaluate.DecoderEvaluater runs
// generation_utils.BeamSearchScorer: per step, log-softmax of each beam's logits (after the
// optional top-k/top-p filter), then the min-length and no-repeat-n-gram bans over the beam's
// generated tokens, plus the beam's running score; the best 2·beams of all beams × vocab are
// taken (select_topk) in descending order and fill the next beams, except that an end token
// ranked within the first `beams` closes a hypothesis instead. Initial beam scores are
// 0, −1e9, −1e9, … (every first candidate comes from beam 0). Pure JS on read-back logits, or
// on each row's best candidates picked on the backend (stepTopK): the best 2·beams of beams ×
// vocab are among each beam's best 2·beams + (its banned tokens), so without a repetition penalty
// or a top-k/top-p filter (which change the whole row) the two give the same step.
import { GlmjsError } from "@glmjs/common";
import { BeamHypotheses, type Hypothesis } from "./beam-hypotheses.js";
import { logSoftmax } from "./log-softmax.js";
import { bannedNgramTokens } from "./no-repeat-ngram.js";
import { type LogitsProcessor, repetitionPenalty, topK, topP } from "./processors.js";
import type { TopKRows } from "../generation/session.js";

export interface BeamSearchSettings {
  numBeams: number;
  lengthPenalty: number;
  /** Tokens that close a hypothesis (the evaluator uses eop). */
  endIds: readonly number[];
  /** End tokens are banned while fewer tokens than this have been generated. */
  minLength: number;
  noRepeatNgramSize: number;
  topK: number;
  topP: number;
  /** Not in the original; applied to the raw logits before log-softmax. 1 = off. */
  repetitionPenalty: number;
  /** Ids the repetition penalty acts on (with the beam's own tokens). */
  seen?: ReadonlySet<number>;
}

export interface BeamStep {
  /** For each next beam, the beam it continues (reorder the cache rows by it). */
  sourceBeams: number[];
  /** For each next beam, its new token (feed it next step). */
  nextTokens: number[];
  /** Whether the search is finished (no further step can improve the kept hypotheses). */
  done: boolean;
}

export class BeamSearch {
  private tokens: number[][];
  private scores: Float64Array;
  private readonly hypotheses: BeamHypotheses;
  private finished = false;
  private readonly filters: LogitsProcessor[];
  private readonly penalty: LogitsProcessor | undefined;

  constructor(private readonly s: BeamSearchSettings) {
    if (!(s.numBeams >= 1)) throw new GlmjsError("OPTION_INVALID", `BeamSearch: numBeams must be ≥ 1, got ${s.numBeams}`);
    this.tokens = Array.from({ length: s.numBeams }, () => []);
    this.scores = new Float64Array(s.numBeams).fill(-1e9);
    this.scores[0] = 0;
    this.hypotheses = new BeamHypotheses(s.numBeams, s.lengthPenalty);
    this.filters = [...(s.topK > 0 ? [topK(s.topK)] : []), ...(s.topP > 0 ? [topP(s.topP)] : [])];
    this.penalty = s.repetitionPenalty !== 1 ? repetitionPenalty(s.repetitionPenalty) : undefined;
  }

  get done(): boolean {
    return this.finished;
  }

  /** Generated tokens of each running beam. */
  get beams(): readonly (readonly number[])[] {
    return this.tokens;
  }

  /** Whether a step needs whole rows of logits (a repetition penalty or a top-k/top-p filter acts on them). */
  get needsWholeRows(): boolean {
    return this.penalty !== undefined || this.filters.length > 0;
  }

  /**
   * How many candidates per row `stepTopK` needs for the coming step to equal `step`: the
   * 2·beams (beams × (1 + end ids)) that can be taken, plus the most tokens a beam has banned.
   */
  candidatesPerRow(vocab: number): number {
    let banned = 0;
    for (let b = 0; b < this.s.numBeams; b++) banned = Math.max(banned, this.banned(b).length);
    return Math.min(vocab, this.wanted + banned);
  }

  /**
   * One step. `logits` holds `rows` rows of `vocab` logits: 1 row on the first step (every beam
   * starts from the same state), else one row per beam.
   */
  step(logits: Float32Array, rows: number, vocab: number): BeamStep {
    this.checkStep(rows);
    if (logits.length !== rows * vocab) throw new GlmjsError("INPUT_INVALID", `BeamSearch.step(): ${logits.length} logits, expected ${rows}×${vocab}`);
    const top = new TopCandidates(Math.min(this.wanted, this.s.numBeams * vocab));
    const scores = new Float64Array(vocab);
    for (let b = 0; b < this.s.numBeams; b++) {
      const r = rows === 1 ? 0 : b;
      const work = Float32Array.from(logits.subarray(r * vocab, (r + 1) * vocab));
      if (this.penalty) {
        const history = { span: this.tokens[b]!, seen: unionSeen(this.s.seen, this.tokens[b]!) };
        if (this.penalty.applies(history)) this.penalty.apply(work, history);
      }
      const history = { span: this.tokens[b]!, seen: NOTHING };
      for (const f of this.filters) f.apply(work, history);
      logSoftmax(work, scores);
      for (const id of this.banned(b)) scores[id] = -Infinity;
      const base = this.scores[b]!;
      for (let v = 0; v < vocab; v++) top.offer(scores[v]! + base, b * vocab + v);
    }
    return this.advance(top, vocab);
  }

  /**
   * The same step from each row's best candidates (raw logits, best first, and the row's
   * log Σ exp), at least `candidatesPerRow(vocab)` of them. Not with a repetition penalty or a
   * top-k/top-p filter (`needsWholeRows`).
   */
  stepTopK(rowsTop: TopKRows, rows: number, vocab: number): BeamStep {
    this.checkStep(rows);
    if (this.needsWholeRows)
      throw new GlmjsError("INPUT_INVALID", "BeamSearch.stepTopK(): a repetition penalty or a top-k/top-p filter needs whole rows (use step())");
    const { k } = rowsTop;
    if (rowsTop.indices.length !== rows * k || k < this.candidatesPerRow(vocab)) {
      throw new GlmjsError(
        "INPUT_INVALID",
        `BeamSearch.stepTopK(): ${rowsTop.indices.length / Math.max(k, 1)} rows of ${k} candidates, expected ${rows} rows of at least ${this.candidatesPerRow(vocab)}`,
      );
    }
    const top = new TopCandidates(Math.min(this.wanted, this.s.numBeams * vocab));
    for (let b = 0; b < this.s.numBeams; b++) {
      const r = rows === 1 ? 0 : b;
      const banned = new Set(this.banned(b));
      const lse = rowsTop.logSumExp[r]!;
      const base = this.scores[b]!;
      // Best first, the lower id first among equals: the order TopCandidates breaks ties in.
      for (let j = r * k; j < (r + 1) * k; j++) {
        const id = rowsTop.indices[j]!;
        if (!banned.has(id)) top.offer(rowsTop.logits[j]! - lse + base, b * vocab + id);
      }
    }
    return this.advance(top, vocab);
  }

  private get wanted(): number {
    return this.s.numBeams * (1 + this.s.endIds.length);
  }

  private checkStep(rows: number): void {
    if (this.finished) throw new GlmjsError("INPUT_INVALID", "BeamSearch.step(): the search is already done");
    if (rows !== 1 && rows !== this.s.numBeams) throw new GlmjsError("INPUT_INVALID", `BeamSearch.step(): ${rows} rows of logits for ${this.s.numBeams} beams`);
  }

  /** Tokens beam b may not take this step: end ids below the minimum length, repeated n-grams. */
  private banned(b: number): number[] {
    const out = this.tokens[0]!.length < this.s.minLength ? [...this.s.endIds] : [];
    if (this.s.noRepeatNgramSize > 0) out.push(...bannedNgramTokens(this.tokens[b]!, this.s.noRepeatNgramSize));
    return out;
  }

  /** Fills the next beams from the sorted candidates; an end token in the first `beams` closes a hypothesis. */
  private advance(top: TopCandidates, vocab: number): BeamStep {
    const { numBeams, endIds } = this.s;
    const curLen = this.tokens[0]!.length;
    const candidates = top.sorted();
    const ends = new Set(endIds);
    const sourceBeams: number[] = [];
    const nextTokens: number[] = [];
    const nextScores: number[] = [];
    for (let rank = 0; rank < candidates.length && sourceBeams.length < numBeams; rank++) {
      const { score, index } = candidates[rank]!;
      const beam = Math.floor(index / vocab);
      const token = index - beam * vocab;
      if (ends.has(token)) {
        // An end token ranked below the first `numBeams` candidates does not close a hypothesis.
        if (rank >= numBeams) continue;
        this.hypotheses.add(this.tokens[beam]!.slice(), score, token, null);
      } else {
        sourceBeams.push(beam);
        nextTokens.push(token);
        nextScores.push(score);
      }
    }
    if (sourceBeams.length < numBeams) {
      throw new GlmjsError(
        "ALL_TOKENS_BANNED",
        `beam search: fewer than ${numBeams} candidates that are not end tokens (every other token is banned); lower numBeams or relax the constraints`,
      );
    }
    const best = candidates[0]!.score;
    this.finished = this.hypotheses.isDone(best, curLen);
    this.tokens = sourceBeams.map((b, i) => [...this.tokens[b]!, nextTokens[i]!]);
    this.scores = Float64Array.from(nextScores);
    return { sourceBeams, nextTokens, done: this.finished };
  }

  /** Adds the running beams (unless done) and returns the best hypothesis, as the original's finalize. */
  finalize(): Hypothesis {
    if (!this.finished) {
      for (let b = 0; b < this.s.numBeams; b++) this.hypotheses.add(this.tokens[b]!.slice(), this.scores[b]!, null, b);
      this.finished = true;
    }
    return this.hypotheses.best();
  }
}

const NOTHING: ReadonlySet<number> = new Set();

function unionSeen(seen: ReadonlySet<number> | undefined, own: readonly number[]): ReadonlySet<number> {
  if (!seen || seen.size === 0) return new Set(own);
  const s = new Set(seen);
  for (const t of own) s.add(t);
  return s;
}

/** The k largest (score, index) pairs; ties go to the lower index. */
class TopCandidates {
  private readonly scores: number[] = [];
  private readonly indices: number[] = [];

  constructor(private readonly k: number) {}

  offer(score: number, index: number): void {
    if (score === -Infinity || Number.isNaN(score)) return;
    const n = this.scores.length;
    if (n === this.k && !(score > this.scores[n - 1]!)) return;
    // Insert after every entry with a score ≥ this one: equal scores keep the order they were
    // offered in, the lower index first (both step paths offer equal scores in index order).
    let at = n;
    while (at > 0 && this.scores[at - 1]! < score) at--;
    this.scores.splice(at, 0, score);
    this.indices.splice(at, 0, index);
    if (this.scores.length > this.k) {
      this.scores.pop();
      this.indices.pop();
    }
  }

  sorted(): { score: number; index: number }[] {
    return this.scores.map((score, i) => ({ score, index: this.indices[i]! }));
  }
}
