// BLEU (Papineni et al. 2002): clipped n-gram precisions summed over the corpus, their geometric
// mean, times the brevity penalty against the closest reference lengths.
import { GlmjsError } from "@glmjs/common";
import { checkPaired } from "./accuracy.js";
import { type BleuTokenizer, bleuTokens } from "./bleu-tokenize.js";

/**
 * What to do with an n-gram order without matches:
 * - "none": Papineni's BLEU (0 when any order has no match);
 * - "exp": the k-th order without matches gets precision 1 / (2^k · total) (mteval-v13a, sacrebleu's
 *   "exp", NLTK's method3);
 * - "add-one": add 1 to the matches and the total of every order from 2 up (Lin & Och 2004,
 *   NLTK's method2).
 */
export type BleuSmoothing = "none" | "exp" | "add-one";

export interface BleuOptions {
  /** Default "13a" (sacrebleu's default). */
  tokenizer?: BleuTokenizer;
  /** Lower-case before tokenising. Default false. */
  lowercase?: boolean;
  /** Default "none" for `corpusBleu`, "exp" for `sentenceBleu`. */
  smoothing?: BleuSmoothing;
  /** Highest n-gram order, with uniform weights 1/maxOrder. Default 4 (BLEU-4). */
  maxOrder?: number;
}

export interface BleuResult {
  /** 0 … 1 (sacrebleu prints 100 × this). */
  bleu: number;
  /** Per order 1 … maxOrder, after smoothing. */
  precisions: number[];
  /** Clipped matching n-grams per order. */
  matches: number[];
  /** Predicted n-grams per order. */
  totals: number[];
  brevityPenalty: number;
  /** Prediction length / reference length. */
  lengthRatio: number;
  predictionLength: number;
  referenceLength: number;
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0000");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The reference length closest to `length`; the shorter one on ties. */
function closestLength(refLengths: readonly number[], length: number): number {
  let best = refLengths[0];
  for (const r of refLengths) {
    const d = Math.abs(r - length);
    const bestD = Math.abs(best - length);
    if (d < bestD || (d === bestD && r < best)) best = r;
  }
  return best;
}

/**
 * Corpus BLEU of `predictions` against `references` (one string, or several, per prediction).
 * Sums matches, totals and lengths over the corpus first (not a mean of sentence scores).
 */
export function corpusBleu(predictions: readonly string[], references: readonly (string | readonly string[])[], options: BleuOptions = {}): BleuResult {
  checkPaired(predictions, references, "corpusBleu");
  const maxOrder = options.maxOrder ?? 4;
  if (!Number.isInteger(maxOrder) || maxOrder < 1) throw new GlmjsError("OPTION_INVALID", `bleu: maxOrder must be a positive integer, got ${maxOrder}`);
  const tokenizer = options.tokenizer ?? "13a";
  const lowercase = options.lowercase ?? false;
  const matches: number[] = Array.from({ length: maxOrder }, () => 0);
  const totals: number[] = Array.from({ length: maxOrder }, () => 0);
  let predictionLength = 0;
  let referenceLength = 0;
  for (let s = 0; s < predictions.length; s++) {
    const refTexts = typeof references[s] === "string" ? [references[s] as string] : (references[s] as readonly string[]);
    if (refTexts.length === 0) throw new GlmjsError("INPUT_INVALID", `corpusBleu: prediction ${s} has no reference`);
    const hyp = bleuTokens(predictions[s], tokenizer, lowercase);
    const refs = refTexts.map((r) => bleuTokens(r, tokenizer, lowercase));
    predictionLength += hyp.length;
    referenceLength += closestLength(
      refs.map((r) => r.length),
      hyp.length,
    );
    for (let n = 1; n <= maxOrder; n++) {
      const hypCounts = ngramCounts(hyp, n);
      // Each n-gram is clipped at its largest count in any one reference.
      const maxRef = new Map<string, number>();
      for (const ref of refs) for (const [g, c] of ngramCounts(ref, n)) if (c > (maxRef.get(g) ?? 0)) maxRef.set(g, c);
      for (const [g, c] of hypCounts) matches[n - 1] += Math.min(c, maxRef.get(g) ?? 0);
      totals[n - 1] += Math.max(hyp.length - n + 1, 0);
    }
  }
  const precisions = smoothedPrecisions(matches, totals, options.smoothing ?? "none");
  const brevityPenalty = predictionLength > referenceLength ? 1 : predictionLength === 0 ? 0 : Math.exp(1 - referenceLength / predictionLength);
  // Without a single matching unigram the score is 0 whatever the smoothing (as NLTK).
  const bleu = matches[0] === 0 || precisions.some((p) => p === 0) ? 0 : brevityPenalty * Math.exp(precisions.reduce((s, p) => s + Math.log(p), 0) / maxOrder);
  return {
    bleu,
    precisions,
    matches,
    totals,
    brevityPenalty,
    lengthRatio: referenceLength === 0 ? 0 : predictionLength / referenceLength,
    predictionLength,
    referenceLength,
  };
}

/** BLEU of one prediction (smoothed with "exp" by default: a sentence often lacks 4-gram matches). */
export function sentenceBleu(prediction: string, references: string | readonly string[], options: BleuOptions = {}): BleuResult {
  return corpusBleu([prediction], [references], { ...options, smoothing: options.smoothing ?? "exp" });
}

function smoothedPrecisions(matches: readonly number[], totals: readonly number[], smoothing: BleuSmoothing): number[] {
  if (smoothing === "none") return matches.map((m, i) => (totals[i] === 0 ? 0 : m / totals[i]));
  if (smoothing === "exp") {
    let k = 0;
    return matches.map((m, i) => {
      if (m > 0) return m / totals[i];
      k++;
      return 1 / (2 ** k * Math.max(totals[i], 1));
    });
  }
  if (smoothing === "add-one") return matches.map((m, i) => (i === 0 ? (totals[0] === 0 ? 0 : m / totals[0]) : (m + 1) / (totals[i] + 1)));
  throw new GlmjsError("OPTION_INVALID", `bleu: unknown smoothing "${String(smoothing)}"; use "none", "exp" or "add-one"`);
}
