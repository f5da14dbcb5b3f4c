// Sampling with top-k and/or top-p from a row's best candidates instead of its whole vocabulary,
// drawing exactly what the whole-row path (temperature, topK, topP processors, then sampleLogits)
// draws from the same logits and generator state:
// - every kept token is among the candidates, and they are laid out in id order with the rest
//   (−Infinity there) left out, so the processors' and the sampler's sums run over the same values
//   in the same order (the dropped tokens' zeros change no sum);
// - top-k: the backend returns k + 1 candidates; if the (k+1)-th ties the k-th after temperature
//   (the whole-row path keeps ties), the list cannot decide and the caller uses the whole row;
// - top-p alone: the nucleus is decided from the first NUCLEUS_CANDIDATES candidates when bounds on
//   the whole row's normaliser put the cut at the same place for every normaliser the row could
//   have. The bounds come from the candidates' own mass and the rest's: its raw mass is the row's
//   log Σ exp (from the backend) minus the candidates', every term of it is at most the first
//   left-out candidate's, and a temperature maps it through power-mean inequalities; a relative
//   slack covers float32 rounding. Else the whole row. (A cumulative probability within ~1e-15 of
//   p, where the two summation orders could round differently, is the only case left.)
// The generator is used only after the row is decided, so a fallback draws the same number.
import type { Rng } from "@glmjs/data";
import type { TopKRows } from "../generation/session.js";
import { temperature as temperatureProcessor, topP as topPProcessor } from "./processors.js";
import { sampleLogits } from "./sample.js";

/** Candidates read back for top-p without top-k (the nucleus of most steps is far smaller). */
export const NUCLEUS_CANDIDATES = 256;

export interface TopSampling {
  temperature: number;
  topK: number;
  topP: number;
}

/** How many candidates per row a step should return for this sampling (0: the whole row is needed). */
export function topSamplingCandidates(s: TopSampling, vocab: number): number {
  if (s.topK > 0 && s.topK < vocab) return Math.min(s.topK + 1, vocab);
  if (s.topP > 0 && s.topP < 1) return Math.min(NUCLEUS_CANDIDATES + 1, vocab);
  return 0;
}

const NO_HISTORY = { span: [], seen: new Set<number>() };

/**
 * Draws row `r`'s token from its candidates (raw logits, best first) as the whole-row path
 * would; undefined (generator untouched) when the candidates cannot decide.
 */
export function sampleFromTop(top: TopKRows, r: number, s: TopSampling, vocab: number, rng: Rng): { id: number; logProb: number } | undefined {
  const { k } = top;
  const at = r * k;
  const ids = top.indices.subarray(at, at + k);
  // Temperature exactly as the processor applies it (float32 division).
  const warped = top.logits.slice(at, at + k);
  if (s.temperature !== 1) temperatureProcessor(s.temperature).apply(warped, NO_HISTORY);
  const useTopK = s.topK > 0 && s.topK < vocab;
  const topPOn = s.topP > 0 && s.topP < 1;
  let kept: number[];
  let applyTopP = false;
  if (useTopK) {
    // Values equal to the k-th are kept too: unknown beyond the list when the (k+1)-th ties.
    if (k > s.topK && !(warped[s.topK]! < warped[s.topK - 1]!)) return undefined;
    kept = Array.from({ length: s.topK }, (_, j) => j);
    applyTopP = topPOn;
  } else if (k >= vocab) {
    // The list is the whole row: the processor itself runs on it.
    kept = Array.from({ length: k }, (_, j) => j);
    applyTopP = topPOn;
  } else {
    const n = nucleus(warped, top.logits.subarray(at, at + k), ids, top.logSumExp[r]!, vocab, s);
    if (!n) return undefined;
    kept = n;
  }
  // The kept candidates in id order, as they sit in the whole row.
  kept.sort((a, b) => ids[a]! - ids[b]!);
  const row = Float32Array.from(kept, (j) => warped[j]!);
  if (applyTopP) topPProcessor(s.topP).apply(row, NO_HISTORY);
  const j = kept[sampleLogits(row, rng)]!;
  return { id: ids[j]!, logProb: top.logits[at + j]! - top.logSumExp[r]! };
}

/** Relative float32 rounding allowed for per value of an exponent (4 ulps, with margin). */
const ROUNDING = 2 ** -22;

/**
 * The positions (in the list) of the tokens top-p keeps, when the list decides them: the first
 * k − 1 candidates, sorted as the processor sorts (value descending, then id ascending), must
 * hold the cut for every normaliser z in [low, high], and the k-th candidate must be below them.
 */
function nucleus(warped: Float32Array, raw: Float32Array, ids: Int32Array, logSumExp: number, vocab: number, s: TopSampling): number[] | undefined {
  const count = raw.length - 1;
  if (count < 1 || !(warped[count]! < warped[count - 1]!) || !Number.isFinite(logSumExp)) return undefined;
  const order = Array.from({ length: count }, (_, j) => j).sort((a, b) => warped[b]! - warped[a]! || ids[a]! - ids[b]!);
  const max = warped[order[0]!]!;
  if (!Number.isFinite(max)) return undefined;
  // The candidates' terms exactly as the processor computes them, and their mass.
  const e = order.map((j) => Math.exp(warped[j]! - max));
  let mass = 0;
  for (const v of e) mass += v;
  const tail = tailBounds(raw, warped, logSumExp, vocab - count, s.temperature);
  if (!tail) return undefined;
  const low = mass + tail.low;
  const high = mass + tail.high;
  // The processor keeps token r (r ≥ 1) while the mass before it is ≤ p·z.
  let before = 0;
  for (let r = 1; r <= count; r++) {
    const cumulative = before + e[r - 1]!;
    if (cumulative > s.topP * high) return r === 1 || before <= s.topP * low ? order.slice(0, r) : undefined;
    before = cumulative;
  }
  return undefined;
}

/**
 * Bounds on Σ exp(w_j − w_max) over the n tokens left out of the list, in the tempered scale of
 * the processor (w = logit / temperature). With a_j = exp(x_j − x_max) in the raw scale, their
 * raw mass S = exp(logSumExp − x_max) − Σ over the list, each a_j ≤ a_K (the first left out),
 * and the tempered terms are a_j^q, q = 1/temperature: for q ≥ 1, n^(1−q)·S^q ≤ Σ a^q ≤
 * min(a_K^(q−1)·S, S^q); for q < 1, S^q ≤ Σ a^q ≤ min(n·a_K^q, n^(1−q)·S^q).
 */
function tailBounds(raw: Float32Array, warped: Float32Array, logSumExp: number, n: number, temperature: number): { low: number; high: number } | undefined {
  const count = raw.length - 1;
  const xMax = raw[0]!;
  const total = Math.exp(logSumExp - xMax);
  let listed = 0;
  for (let j = 0; j < count; j++) listed += Math.exp(raw[j]! - xMax);
  const aK = Math.exp(raw[count]! - xMax);
  // The backend's log Σ exp is float32 (and its exps approximate): 1e-5 of the row's mass covers it.
  const slack = 1e-5 * total;
  const sHigh = Math.min(n * aK, total - listed + slack);
  const sLow = Math.max(0, total - listed - slack);
  if (!(sHigh >= 0)) return undefined;
  const q = 1 / temperature;
  let low: number;
  let high: number;
  if (q >= 1) {
    low = n ** (1 - q) * sLow ** q;
    high = Math.min(aK ** (q - 1) * sHigh, sHigh ** q);
  } else {
    low = sLow ** q;
    high = Math.min(n * aK ** q, n ** (1 - q) * sHigh ** q);
  }
  // w = f32(x / t) and the processor's exponent w_j − w_max differ from (x_j − x_max)·q by the
  // rounding of both values.
  const rounding = ROUNDING * (2 * Math.abs(warped[0]!) + 2 * Math.abs(warped[count]!) + 1);
  return { low: low * Math.exp(-rounding), high: high * Math.exp(rounding) + 1e-12 };
}
