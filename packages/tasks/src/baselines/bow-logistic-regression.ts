// A bag-of-words logistic-regression classifier: the classic baseline a cloze model is compared
// with (binary word and word-bigram features, multinomial logistic regression with L2).
// Pure TypeScript and deterministic: full-batch Adam over all examples for a fixed number of
// iterations (no sampling), so the same data and options give the same weights anywhere.
// Written by hand because the field has no small, dependency-free, deterministic JS version.
import { GlmjsError } from "@glmjs/common";

export interface BagOfWordsOptions {
  /** Longest n-gram: 1 = words, 2 = words and word pairs (default). */
  ngrams?: number;
  /** Keep features seen in at least this many training texts. Default 1. */
  minCount?: number;
  /** L2 penalty λ on the mean loss (λ/2·‖W‖², bias excluded). Default 1e-4. */
  l2?: number;
  /** Full-batch optimisation steps. Default 300. */
  iterations?: number;
  /** Adam step size. Default 0.05. */
  learningRate?: number;
}

/** Lower-cased word and punctuation tokens (`it's` stays one word). */
export function bagOfWordsTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[^\s\p{L}\p{N}]/gu) ?? [];
}

function features(tokens: readonly string[], ngrams: number): Set<string> {
  const out = new Set<string>();
  for (let n = 1; n <= ngrams; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.add(n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(" "));
  }
  return out;
}

export interface BagOfWordsPrediction {
  label: string;
  probabilities: number[];
}

export class BagOfWordsClassifier {
  private constructor(
    readonly labels: readonly string[],
    private readonly vocabulary: ReadonlyMap<string, number>,
    /** `[features + 1 (bias)] × labels`, row-major. */
    private readonly weights: Float64Array,
    private readonly ngrams: number,
  ) {}

  /** Number of features kept. */
  get featureCount(): number {
    return this.vocabulary.size;
  }

  static train(texts: readonly string[], labels: readonly string[], options: BagOfWordsOptions = {}): BagOfWordsClassifier {
    if (texts.length === 0 || texts.length !== labels.length)
      throw new GlmjsError("INPUT_INVALID", `BagOfWordsClassifier: need as many labels as texts (got ${texts.length} texts, ${labels.length} labels)`);
    const ngrams = options.ngrams ?? 2;
    const minCount = options.minCount ?? 1;
    const l2 = options.l2 ?? 1e-4;
    const iterations = options.iterations ?? 300;
    const lr = options.learningRate ?? 0.05;
    const labelSet = [...new Set(labels)].sort();
    if (labelSet.length < 2) throw new GlmjsError("INPUT_INVALID", "BagOfWordsClassifier: the training data has a single label");
    const labelIndex = new Map(labelSet.map((l, i) => [l, i]));
    const docs = texts.map((t) => features(bagOfWordsTokens(t), ngrams));
    const counts = new Map<string, number>();
    for (const d of docs) for (const f of d) counts.set(f, (counts.get(f) ?? 0) + 1);
    // Sorted feature names: the ids (and so the arithmetic order) do not depend on Map insertion order.
    const kept = [...counts]
      .filter(([, c]) => c >= minCount)
      .map(([f]) => f)
      .sort();
    const vocabulary = new Map(kept.map((f, i) => [f, i]));
    const rows = docs.map((d) => Int32Array.from([...d].flatMap((f) => (vocabulary.has(f) ? [vocabulary.get(f)!] : [])).sort((a, b) => a - b)));
    const y = Int32Array.from(labels.map((l) => labelIndex.get(l)!));
    const k = labelSet.length;
    const dim = kept.length + 1;
    const bias = kept.length;
    const w = new Float64Array(dim * k);
    const m = new Float64Array(dim * k);
    const v = new Float64Array(dim * k);
    const grad = new Float64Array(dim * k);
    const logits = new Float64Array(k);
    const n = rows.length;
    for (let step = 1; step <= iterations; step++) {
      grad.fill(0);
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        for (let c = 0; c < k; c++) {
          let z = w[bias * k + c]!;
          for (const f of row) z += w[f * k + c]!;
          logits[c] = z;
        }
        softmaxInPlace(logits);
        logits[y[i]!] -= 1; // dLoss/dz = p − onehot
        for (let c = 0; c < k; c++) {
          const g = logits[c]! / n;
          grad[bias * k + c] += g;
          for (const f of row) grad[f * k + c] += g;
        }
      }
      const b1 = 0.9;
      const b2 = 0.999;
      const c1 = 1 - b1 ** step;
      const c2 = 1 - b2 ** step;
      for (let j = 0; j < w.length; j++) {
        const g = grad[j]! + (j >= bias * k ? 0 : l2 * w[j]!);
        m[j] = b1 * m[j]! + (1 - b1) * g;
        v[j] = b2 * v[j]! + (1 - b2) * g * g;
        w[j] -= (lr * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + 1e-8);
      }
    }
    return new BagOfWordsClassifier(labelSet, vocabulary, w, ngrams);
  }

  predict(text: string): BagOfWordsPrediction {
    const k = this.labels.length;
    const bias = this.vocabulary.size;
    const z = new Float64Array(k);
    for (let c = 0; c < k; c++) z[c] = this.weights[bias * k + c]!;
    for (const f of features(bagOfWordsTokens(text), this.ngrams)) {
      const id = this.vocabulary.get(f);
      if (id !== undefined) for (let c = 0; c < k; c++) z[c] += this.weights[id * k + c]!;
    }
    softmaxInPlace(z);
    let best = 0;
    for (let c = 1; c < k; c++) if (z[c]! > z[best]!) best = c;
    return { label: this.labels[best]!, probabilities: Array.from(z) };
  }

  /** Accuracy on labelled texts. */
  accuracy(texts: readonly string[], labels: readonly string[]): number {
    if (texts.length === 0 || texts.length !== labels.length)
      throw new GlmjsError("INPUT_INVALID", "BagOfWordsClassifier.accuracy: need as many labels as texts");
    let correct = 0;
    texts.forEach((t, i) => {
      if (this.predict(t).label === labels[i]) correct++;
    });
    return correct / texts.length;
  }
}

/** The most frequent label and its share: the majority-class baseline (ties: the smallest label). */
export function majorityClass(trainLabels: readonly string[]): { label: string; share: number } {
  if (trainLabels.length === 0) throw new GlmjsError("INPUT_INVALID", "majorityClass: no labels");
  const counts = new Map<string, number>();
  for (const l of trainLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const [label, count] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
  return { label, share: count / trainLabels.length };
}

function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (const x of z) max = Math.max(max, x);
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c]! - max);
    sum += z[c]!;
  }
  for (let c = 0; c < z.length; c++) z[c] /= sum;
}
