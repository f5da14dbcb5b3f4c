// ROUGE-N, ROUGE-L and summary-level ROUGE-Lsum as Google's `rouge_score` computes them
// (RougeScorer.score / score_multi), and the corpus score as the mean over examples.
import { GlmjsError } from "@glmjs/common";
import { checkPaired } from "./accuracy.js";
import { lcsIndices, lcsLength } from "./rouge-lcs.js";
import { rougeTokenize } from "./rouge-tokenize.js";

export interface RougeScore {
  /** Matches over the prediction's units. */
  precision: number;
  /** Matches over the reference's units. */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  fmeasure: number;
}

/** `rouge1` … `rouge9` (n-grams), `rougeL` (LCS over the whole text), `rougeLsum` (summary-level LCS over newline-separated sentences). */
export type RougeType = `rouge${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9}` | "rougeL" | "rougeLsum";

export const DEFAULT_ROUGE_TYPES: readonly RougeType[] = ["rouge1", "rouge2", "rougeL", "rougeLsum"];

export interface RougeOptions {
  /** Default `DEFAULT_ROUGE_TYPES`. */
  types?: readonly RougeType[];
  /**
   * Porter stemming (NLTK's) of tokens longer than 3 characters, as rouge_score's
   * `use_stemmer=True`. Default true (GLM's seq2seq evaluation uses it; rouge_score's own default is false).
   */
  useStemmer?: boolean;
  /** Replace rouge_score's default tokenizer (e.g. for text outside a–z / 0–9, which it drops). */
  tokenize?: (text: string) => string[];
}

export type RougeResult = Partial<Record<RougeType, RougeScore>>;

const ZERO: RougeScore = { precision: 0, recall: 0, fmeasure: 0 };

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    // Tokens never hold U+0000, so joining with it cannot make two n-grams collide.
    const key = tokens.slice(i, i + n).join("\u0000");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function scoreNgrams(reference: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const ref = ngramCounts(reference, n);
  const pred = ngramCounts(prediction, n);
  let overlap = 0;
  for (const [gram, count] of ref) overlap += Math.min(count, pred.get(gram) ?? 0);
  const refTotal = Math.max(reference.length - n + 1, 0);
  const predTotal = Math.max(prediction.length - n + 1, 0);
  const precision = overlap / Math.max(predTotal, 1);
  const recall = overlap / Math.max(refTotal, 1);
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

function scoreLcs(reference: readonly string[], prediction: readonly string[]): RougeScore {
  if (reference.length === 0 || prediction.length === 0) return { ...ZERO };
  const lcs = lcsLength(reference, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / reference.length;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

/**
 * Summary-level LCS (Lin 2004, §3.2) as ROUGE-1.5.5 and rouge_score count it: for each reference
 * sentence the union of its LCS with every predicted sentence; a token of that union counts as a
 * hit only while unused occurrences of it remain on both sides.
 */
function scoreSummaryLcs(reference: readonly string[][], prediction: readonly string[][]): RougeScore {
  if (reference.length === 0 || prediction.length === 0) return { ...ZERO };
  const m = reference.reduce((s, r) => s + r.length, 0);
  const n = prediction.reduce((s, c) => s + c.length, 0);
  if (m === 0 || n === 0) return { ...ZERO };
  const refLeft = new Map<string, number>();
  const predLeft = new Map<string, number>();
  for (const s of reference) for (const t of s) refLeft.set(t, (refLeft.get(t) ?? 0) + 1);
  for (const s of prediction) for (const t of s) predLeft.set(t, (predLeft.get(t) ?? 0) + 1);
  let hits = 0;
  for (const r of reference) {
    const union = new Set<number>();
    for (const c of prediction) for (const i of lcsIndices(r, c)) union.add(i);
    for (const i of [...union].sort((a, b) => a - b)) {
      const t = r[i];
      const inPred = predLeft.get(t) ?? 0;
      const inRef = refLeft.get(t) ?? 0;
      if (inPred > 0 && inRef > 0) {
        hits++;
        predLeft.set(t, inPred - 1);
        refLeft.set(t, inRef - 1);
      }
    }
  }
  const precision = hits / n;
  const recall = hits / m;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

function checkTypes(types: readonly RougeType[]): void {
  if (types.length === 0) throw new GlmjsError("OPTION_INVALID", "rouge: options.types is empty; name at least one of rouge1 … rouge9, rougeL, rougeLsum");
  for (const t of types) {
    if (!/^rouge[1-9]$/.test(t) && t !== "rougeL" && t !== "rougeLsum") {
      throw new GlmjsError("OPTION_INVALID", `rouge: unknown type "${t}"; use rouge1 … rouge9, rougeL or rougeLsum`);
    }
  }
}

/** Scores of one prediction against one reference (rouge_score's `score(target=reference, prediction)`). */
function scoreOne(prediction: string, reference: string, types: readonly RougeType[], tokenize: (text: string) => string[]): RougeResult {
  const result: RougeResult = {};
  const needsWhole = types.some((t) => t !== "rougeLsum");
  const refTokens = needsWhole ? tokenize(reference) : [];
  const predTokens = needsWhole ? tokenize(prediction) : [];
  for (const type of types) {
    if (type === "rougeL") result[type] = scoreLcs(refTokens, predTokens);
    else if (type === "rougeLsum") result[type] = scoreSummaryLcs(sentences(reference).map(tokenize), sentences(prediction).map(tokenize));
    else result[type] = scoreNgrams(refTokens, predTokens, Number(type.slice(5)));
  }
  return result;
}

/** rougeLsum's sentences: the lines of the text, empty lines dropped. */
function sentences(text: string): string[] {
  return text.split("\n").filter((s) => s.length > 0);
}

/**
 * ROUGE of one prediction against one reference, or against several (then, per type, the score
 * of the reference with the highest F, the first on ties, as rouge_score's `score_multi`).
 */
export function rougeScore(prediction: string, reference: string | readonly string[], options: RougeOptions = {}): RougeResult {
  const types = options.types ?? DEFAULT_ROUGE_TYPES;
  checkTypes(types);
  const useStemmer = options.useStemmer ?? true;
  const tokenize = options.tokenize ?? ((text: string) => rougeTokenize(text, { useStemmer }));
  const refs = typeof reference === "string" ? [reference] : reference;
  if (refs.length === 0) throw new GlmjsError("INPUT_INVALID", "rougeScore: no reference given for the prediction");
  const all = refs.map((r) => scoreOne(prediction, r, types, tokenize));
  const best: RougeResult = {};
  for (const type of types) {
    let pick = all[0][type] as RougeScore;
    for (const s of all) if ((s[type] as RougeScore).fmeasure > pick.fmeasure) pick = s[type] as RougeScore;
    best[type] = pick;
  }
  return best;
}

export interface CorpusRouge {
  /** Per type: the mean precision, recall and F over the examples. */
  scores: RougeResult;
  count: number;
}

/**
 * Corpus ROUGE: each prediction scored against its reference(s), then precision, recall and F
 * averaged over the examples (the mean that GLM's evaluation and rouge_score's aggregator report;
 * the aggregator's bootstrap interval is not computed).
 */
export function rougeScores(predictions: readonly string[], references: readonly (string | readonly string[])[], options: RougeOptions = {}): CorpusRouge {
  checkPaired(predictions, references, "rougeScores");
  const types = options.types ?? DEFAULT_ROUGE_TYPES;
  const sums = new Map<RougeType, RougeScore>(types.map((t) => [t, { ...ZERO }]));
  for (let i = 0; i < predictions.length; i++) {
    const one = rougeScore(predictions[i], references[i], options);
    for (const t of types) {
      const s = one[t] as RougeScore;
      const acc = sums.get(t) as RougeScore;
      acc.precision += s.precision;
      acc.recall += s.recall;
      acc.fmeasure += s.fmeasure;
    }
  }
  const scores: RougeResult = {};
  const n = predictions.length;
  for (const [t, s] of sums) scores[t] = { precision: s.precision / n, recall: s.recall / n, fmeasure: s.fmeasure / n };
  return { scores, count: n };
}
