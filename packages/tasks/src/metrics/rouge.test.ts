// ROUGE against hand-worked counts and against Google's rouge_score (the scorer GLM's seq2seq
// evaluation calls), values from scripts/metrics-reference.py.
import { describe, expect, it } from "vitest";
import { rougeScore, rougeScores } from "./rouge.js";
import type { RougeResult, RougeType } from "./rouge.js";
import { rougeTokenize } from "./rouge-tokenize.js";

const TYPES: RougeType[] = ["rouge1", "rouge2", "rougeL", "rougeLsum"];

function triples(r: RougeResult): Record<string, [number, number, number]> {
  return Object.fromEntries(TYPES.map((t) => [t, [r[t]!.precision, r[t]!.recall, r[t]!.fmeasure]]));
}

function expectClose(got: Record<string, number[]>, want: Record<string, number[]>): void {
  for (const t of Object.keys(want)) for (let k = 0; k < 3; k++) expect(Math.abs(got[t][k] - want[t][k]), `${t}[${k}]`).toBeLessThan(1e-12);
}

describe("rougeTokenize (rouge_score's DefaultTokenizer)", () => {
  it("lower-cases, turns non-alphanumerics into spaces and stems words longer than 3 characters", () => {
    // "Running" → "running" → "run"; "they're" → "they", "re"; "runs" has 4 letters → "run"; "ran" has 3 → kept.
    expect(rougeTokenize("Running runs, they're... ran 2x!")).toEqual(["run", "run", "they", "re", "ran", "2x"]);
    expect(rougeTokenize("Running runs, they're... ran 2x!", { useStemmer: false })).toEqual(["running", "runs", "they", "re", "ran", "2x"]);
  });

  it("drops characters outside a–z / 0–9 (accented letters split words, as in rouge_score)", () => {
    expect(rougeTokenize("Café naïve", { useStemmer: false })).toEqual(["caf", "na", "ve"]);
    expect(rougeTokenize("  \n\t ")).toEqual([]);
  });
});

describe("rougeScore: hand-worked", () => {
  it("counts n-grams and the LCS (rouge_score's README example)", () => {
    // prediction: the quick brown dog jump on the log           (8 tokens; "jumps" → "jump")
    // reference:  the quick brown fox jump over the lazi dog    (9 tokens; "lazy" → "lazi")
    // unigram overlap: the ×2, quick, brown, jump, dog = 6 → P 6/8, R 6/9
    // bigrams: 7 predicted, 8 in the reference, shared "the quick", "quick brown" = 2 → P 2/7, R 2/8
    // LCS: the quick brown jump the = 5 → P 5/8, R 5/9
    const s = rougeScore("The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog");
    const f = (p: number, r: number) => (2 * p * r) / (p + r);
    expectClose(triples(s), {
      rouge1: [6 / 8, 6 / 9, f(6 / 8, 6 / 9)],
      rouge2: [2 / 7, 2 / 8, f(2 / 7, 2 / 8)],
      rougeL: [5 / 8, 5 / 9, f(5 / 8, 5 / 9)],
      rougeLsum: [5 / 8, 5 / 9, f(5 / 8, 5 / 9)],
    });
  });

  it("rougeLsum takes the union of each reference sentence's LCS with every predicted sentence", () => {
    // reference "a b c d" (one sentence); prediction sentences "c d" and "a b".
    // rougeL over the whole texts: "c d a b" vs "a b c d" → LCS 2 → P = R = 2/4.
    // rougeLsum: LCS("a b c d", "c d") = {c, d}, LCS("a b c d", "a b") = {a, b}; union 4 hits → P = R = 1.
    const s = rougeScore("cc dd\naa bb", "aa bb cc dd");
    expect(triples(s).rougeL).toEqual([0.5, 0.5, 0.5]);
    expect(triples(s).rougeLsum).toEqual([1, 1, 1]);
  });

  it("rougeLsum counts a token of the union only while unused occurrences remain on both sides", () => {
    // Lin (2004)'s example: reference r = w1 w2 w3 w4 w5; prediction c1 = w1 w2 w6 w7 w8, c2 = w1 w3 w8 w9 w5.
    // LCS(r, c1) = w1 w2, LCS(r, c2) = w1 w3 w5 → union w1 w2 w3 w5 = 4 hits (w1 used once, the reference has one).
    // R = 4/5, P = 4/10.
    const s = rougeScore("w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", "w1 w2 w3 w4 w5", { types: ["rougeLsum"] });
    expect(s.rougeLsum!.recall).toBe(4 / 5);
    expect(s.rougeLsum!.precision).toBe(4 / 10);
  });

  it("scores empty text as 0 and keeps the best reference per type", () => {
    expect(triples(rougeScore("", "some words"))).toEqual({ rouge1: [0, 0, 0], rouge2: [0, 0, 0], rougeL: [0, 0, 0], rougeLsum: [0, 0, 0] });
    // Prediction "a1 b1" against "x1 y1 a1" (1 shared unigram: P 1/2, R 1/3, F 0.4) and "a1 b1 c1" (P 1, R 2/3, F 0.8).
    const s = rougeScore("a1 b1", ["x1 y1 a1", "a1 b1 c1"], { types: ["rouge1"] });
    expect(s.rouge1!.fmeasure).toBeCloseTo(0.8, 12);
  });

  it("refuses unknown types and mismatched corpora", () => {
    expect(() => rougeScore("a", "a", { types: ["rougeX" as RougeType] })).toThrow(/unknown type "rougeX"/);
    expect(() => rougeScores(["a"], ["a", "b"])).toThrow(/1 predictions for 2 labels/);
  });
});

// (prediction, reference): the same pairs as ROUGE_PAIRS in scripts/metrics-reference.py.
const PAIRS: [string, string][] = [
  ["The quick brown dog jumps on the log.", "The quick brown fox jumps over the lazy dog"],
  ["police killed the gunman", "the gunman was shot down by police"],
  ["the gunman police killed", "police killed the gunman"],
  ["Running runners ran; they're running!", "The runner runs and is running quickly."],
  ["It cost $1,000.50 in 1990s-era money", "it cost 1000 dollars in the 1990s"],
  ["Café au lait, naïve résumé", "cafe au lait naive resume"],
  ["", "a non-empty reference"],
  ["a a a b", "a b b"],
  ["the cat sat on the mat\nthe dog sat on the log", "the cat was on the mat\na dog sat there on a log"],
  ["first sentence here.\n\nsecond one follows", "second one follows\nfirst sentence there"],
  ["w1 w2 w3 w4 w5\nw2 w6 w3", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5"],
  ["generalizations of abilities were studied", "studies generalize the ability"],
];

// rouge_score (google-research rouge/, 0.1.2 code) with NLTK 3.8: RougeScorer(types, use_stemmer).score(reference,
// prediction) as [precision, recall, fmeasure] per type (metrics-reference.py, "rouge").
const REFERENCE: Record<"stem" | "nostem", Record<string, [number, number, number]>[]> = {
  stem: [
    {
      rouge1: [0.75, 0.6666666666666666, 0.7058823529411765],
      rouge2: [0.2857142857142857, 0.25, 0.26666666666666666],
      rougeL: [0.625, 0.5555555555555556, 0.5882352941176471],
      rougeLsum: [0.625, 0.5555555555555556, 0.5882352941176471],
    },
    {
      rouge1: [0.75, 0.42857142857142855, 0.5454545454545454],
      rouge2: [0.3333333333333333, 0.16666666666666666, 0.2222222222222222],
      rougeL: [0.5, 0.2857142857142857, 0.36363636363636365],
      rougeLsum: [0.5, 0.2857142857142857, 0.36363636363636365],
    },
    { rouge1: [1.0, 1.0, 1.0], rouge2: [0.6666666666666666, 0.6666666666666666, 0.6666666666666666], rougeL: [0.5, 0.5, 0.5], rougeLsum: [0.5, 0.5, 0.5] },
    {
      rouge1: [0.5, 0.42857142857142855, 0.4615384615384615],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.3333333333333333, 0.2857142857142857, 0.30769230769230765],
      rougeLsum: [0.3333333333333333, 0.2857142857142857, 0.30769230769230765],
    },
    {
      rouge1: [0.4444444444444444, 0.5714285714285714, 0.5],
      rouge2: [0.125, 0.16666666666666666, 0.14285714285714288],
      rougeL: [0.4444444444444444, 0.5714285714285714, 0.5],
      rougeLsum: [0.4444444444444444, 0.5714285714285714, 0.5],
    },
    {
      rouge1: [0.2857142857142857, 0.4, 0.3333333333333333],
      rouge2: [0.16666666666666666, 0.25, 0.2],
      rougeL: [0.2857142857142857, 0.4, 0.3333333333333333],
      rougeLsum: [0.2857142857142857, 0.4, 0.3333333333333333],
    },
    { rouge1: [0.0, 0.0, 0.0], rouge2: [0.0, 0.0, 0.0], rougeL: [0.0, 0.0, 0.0], rougeLsum: [0.0, 0.0, 0.0] },
    {
      rouge1: [0.5, 0.6666666666666666, 0.5714285714285715],
      rouge2: [0.3333333333333333, 0.5, 0.4],
      rougeL: [0.5, 0.6666666666666666, 0.5714285714285715],
      rougeLsum: [0.5, 0.6666666666666666, 0.5714285714285715],
    },
    {
      rouge1: [0.75, 0.6923076923076923, 0.7199999999999999],
      rouge2: [0.36363636363636365, 0.3333333333333333, 0.34782608695652173],
      rougeL: [0.75, 0.6923076923076923, 0.7199999999999999],
      rougeLsum: [0.75, 0.6923076923076923, 0.7199999999999999],
    },
    {
      rouge1: [0.8333333333333334, 0.8333333333333334, 0.8333333333333334],
      rouge2: [0.6, 0.6, 0.6],
      rougeL: [0.5, 0.5, 0.5],
      rougeLsum: [0.8333333333333334, 0.8333333333333334, 0.8333333333333334],
    },
    {
      rouge1: [0.625, 0.5, 0.5555555555555556],
      rouge2: [0.2857142857142857, 0.2222222222222222, 0.25],
      rougeL: [0.5, 0.4, 0.4444444444444445],
      rougeLsum: [0.625, 0.5, 0.5555555555555556],
    },
    { rouge1: [0.6, 0.75, 0.6666666666666665], rouge2: [0.0, 0.0, 0.0], rougeL: [0.4, 0.5, 0.4444444444444445], rougeLsum: [0.4, 0.5, 0.4444444444444445] },
  ],
  nostem: [
    {
      rouge1: [0.75, 0.6666666666666666, 0.7058823529411765],
      rouge2: [0.2857142857142857, 0.25, 0.26666666666666666],
      rougeL: [0.625, 0.5555555555555556, 0.5882352941176471],
      rougeLsum: [0.625, 0.5555555555555556, 0.5882352941176471],
    },
    {
      rouge1: [0.75, 0.42857142857142855, 0.5454545454545454],
      rouge2: [0.3333333333333333, 0.16666666666666666, 0.2222222222222222],
      rougeL: [0.5, 0.2857142857142857, 0.36363636363636365],
      rougeLsum: [0.5, 0.2857142857142857, 0.36363636363636365],
    },
    { rouge1: [1.0, 1.0, 1.0], rouge2: [0.6666666666666666, 0.6666666666666666, 0.6666666666666666], rougeL: [0.5, 0.5, 0.5], rougeLsum: [0.5, 0.5, 0.5] },
    {
      rouge1: [0.16666666666666666, 0.14285714285714285, 0.15384615384615383],
      rouge2: [0.0, 0.0, 0.0],
      rougeL: [0.16666666666666666, 0.14285714285714285, 0.15384615384615383],
      rougeLsum: [0.16666666666666666, 0.14285714285714285, 0.15384615384615383],
    },
    {
      rouge1: [0.4444444444444444, 0.5714285714285714, 0.5],
      rouge2: [0.125, 0.16666666666666666, 0.14285714285714288],
      rougeL: [0.4444444444444444, 0.5714285714285714, 0.5],
      rougeLsum: [0.4444444444444444, 0.5714285714285714, 0.5],
    },
    {
      rouge1: [0.2857142857142857, 0.4, 0.3333333333333333],
      rouge2: [0.16666666666666666, 0.25, 0.2],
      rougeL: [0.2857142857142857, 0.4, 0.3333333333333333],
      rougeLsum: [0.2857142857142857, 0.4, 0.3333333333333333],
    },
    { rouge1: [0.0, 0.0, 0.0], rouge2: [0.0, 0.0, 0.0], rougeL: [0.0, 0.0, 0.0], rougeLsum: [0.0, 0.0, 0.0] },
    {
      rouge1: [0.5, 0.6666666666666666, 0.5714285714285715],
      rouge2: [0.3333333333333333, 0.5, 0.4],
      rougeL: [0.5, 0.6666666666666666, 0.5714285714285715],
      rougeLsum: [0.5, 0.6666666666666666, 0.5714285714285715],
    },
    {
      rouge1: [0.75, 0.6923076923076923, 0.7199999999999999],
      rouge2: [0.36363636363636365, 0.3333333333333333, 0.34782608695652173],
      rougeL: [0.75, 0.6923076923076923, 0.7199999999999999],
      rougeLsum: [0.75, 0.6923076923076923, 0.7199999999999999],
    },
    {
      rouge1: [0.8333333333333334, 0.8333333333333334, 0.8333333333333334],
      rouge2: [0.6, 0.6, 0.6],
      rougeL: [0.5, 0.5, 0.5],
      rougeLsum: [0.8333333333333334, 0.8333333333333334, 0.8333333333333334],
    },
    {
      rouge1: [0.625, 0.5, 0.5555555555555556],
      rouge2: [0.2857142857142857, 0.2222222222222222, 0.25],
      rougeL: [0.5, 0.4, 0.4444444444444445],
      rougeLsum: [0.625, 0.5, 0.5555555555555556],
    },
    { rouge1: [0.0, 0.0, 0.0], rouge2: [0.0, 0.0, 0.0], rougeL: [0.0, 0.0, 0.0], rougeLsum: [0.0, 0.0, 0.0] },
  ],
};

describe("rougeScore against rouge_score", () => {
  for (const mode of ["stem", "nostem"] as const) {
    it(`matches rouge_score on every pair (use_stemmer=${mode === "stem"})`, () => {
      PAIRS.forEach(([prediction, reference], i) => {
        const got = triples(rougeScore(prediction, reference, { useStemmer: mode === "stem" }));
        for (const t of TYPES) for (let k = 0; k < 3; k++) expect(Math.abs(got[t][k] - REFERENCE[mode][i][t][k]), `pair ${i} ${t}[${k}]`).toBeLessThan(1e-12);
      });
    });
  }

  it("rougeScores averages precision, recall and F over the examples", () => {
    const corpus = rougeScores(
      PAIRS.map((p) => p[0]),
      PAIRS.map((p) => p[1]),
    );
    expect(corpus.count).toBe(PAIRS.length);
    for (const t of TYPES) {
      for (const [k, key] of (["precision", "recall", "fmeasure"] as const).entries()) {
        const mean = REFERENCE.stem.reduce((s, r) => s + r[t][k], 0) / PAIRS.length;
        expect(corpus.scores[t]![key]).toBeCloseTo(mean, 12);
      }
    }
  });
});
