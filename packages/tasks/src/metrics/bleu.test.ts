// BLEU against hand-worked counts and NLTK's corpus_bleu (NLTK 3.8; values from
// scripts/metrics-reference.py), and the 13a tokenizer on hand-worked strings.
import { describe, expect, it } from "vitest";
import { corpusBleu, sentenceBleu } from "./bleu.js";
import { tokenize13a } from "./bleu-tokenize.js";

describe("tokenize13a (mteval-v13a as sacrebleu)", () => {
  it("splits symbols, and periods / commas except between digits", () => {
    // "!" is a symbol; "," follows a letter → split; the final "." precedes a space → split.
    expect(tokenize13a("Hello, world!")).toEqual(["Hello", ",", "world", "!"]);
    // "$" is a symbol; "1,000.50" keeps its comma and period (digits on both sides).
    expect(tokenize13a("It costs $1,000.50.")).toEqual(["It", "costs", "$", "1,000.50", "."]);
    // A dash is split only after a digit; apostrophes are never split.
    expect(tokenize13a("well-known 3-4 don't")).toEqual(["well-known", "3", "-", "4", "don't"]);
    // Runs of periods / commas after letters split one by one; between digits they stay (Python's re gives the same).
    expect(tokenize13a("a..b,,c 1.2.3 x.5 5.x")).toEqual(["a", ".", ".", "b", ",", ",", "c", "1.2.3", "x", ".", "5", "5", ".", "x"]);
    // HTML entities unescaped, <skipped> removed, a hyphen at a line end joins the lines.
    expect(tokenize13a("&quot;quo-\nted&quot; <skipped>x &amp; y")).toEqual(['"', "quoted", '"', "x", "&", "y"]);
  });
});

describe("corpusBleu: hand-worked", () => {
  // prediction: the cat sat on the mat     reference: the cat is on the mat      (6 tokens each, BP = 1)
  // 1-grams: the ×2, cat, on, mat match → 5/6
  // 2-grams: the cat, on the, the mat → 3/5
  // 3-grams: on the mat → 1/4
  // 4-grams: none of the cat sat on / cat sat on the / sat on the mat → 0/3
  const pred = ["the cat sat on the mat"];
  const ref = ["the cat is on the mat"];

  it("counts clipped n-gram matches per order", () => {
    const r = corpusBleu(pred, ref);
    expect(r.matches).toEqual([5, 3, 1, 0]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
    expect(r.brevityPenalty).toBe(1);
    // Papineni: an order without matches makes BLEU 0.
    expect(r.bleu).toBe(0);
  });

  it("smooths an order without matches: exp gives it 1/(2·3), add-one adds 1 from order 2 up", () => {
    expect(corpusBleu(pred, ref, { smoothing: "exp" }).bleu).toBeCloseTo(((5 / 6) * (3 / 5) * (1 / 4) * (1 / 6)) ** 0.25, 14);
    expect(corpusBleu(pred, ref, { smoothing: "add-one" }).bleu).toBeCloseTo(((5 / 6) * (4 / 6) * (2 / 5) * (1 / 4)) ** 0.25, 14);
    // sentenceBleu smooths with exp unless told otherwise.
    expect(sentenceBleu(pred[0], ref[0]).bleu).toBeCloseTo(((5 / 6) * (3 / 5) * (1 / 4) * (1 / 6)) ** 0.25, 14);
  });

  it("applies the brevity penalty against the closest reference length (the shorter on ties)", () => {
    // "the cat" (c = 2) against a 6-token reference: BP = exp(1 − 6/2); BLEU-2 precisions are 2/2 and 1/1.
    const short = corpusBleu(["the cat"], ["the cat is on the mat"], { maxOrder: 2 });
    expect(short.brevityPenalty).toBeCloseTo(Math.exp(-2), 15);
    expect(short.bleu).toBeCloseTo(Math.exp(-2), 15);
    // 5 tokens, references of 4 and 6: both 1 away → r = 4 < c → no penalty.
    const tie = corpusBleu(["a b c d e"], [["a b c d", "a b c d e f"]], { maxOrder: 1 });
    expect(tie.referenceLength).toBe(4);
    expect(tie.brevityPenalty).toBe(1);
  });

  it("refuses mismatched corpora and unknown options", () => {
    expect(() => corpusBleu(["a"], [])).toThrow(/1 predictions for 0 labels/);
    expect(() => corpusBleu(["a"], [[]])).toThrow(/prediction 0 has no reference/);
    expect(() => corpusBleu(["a"], ["a"], { smoothing: "x" as "none" })).toThrow(/unknown smoothing/);
  });
});

// The same corpora as BLEU_CORPORA in scripts/metrics-reference.py (tokenised by whitespace).
const CORPORA: Record<string, { predictions: string[]; references: string[][] }> = {
  "nltk-doc": {
    predictions: [
      "It is a guide to action which ensures that the military always obeys the commands of the party",
      "he read the book because he was interested in world history",
    ],
    references: [
      [
        "It is a guide to action that ensures that the military will forever heed Party commands",
        "It is the guiding principle which guarantees the military forces always being under the command of the Party",
        "It is the practical guide for the army always to heed the directions of the party",
      ],
      ["he was interested in world history because he read the book"],
    ],
  },
  "short-and-long": {
    predictions: ["the cat sat on the mat today", "there is a cat here on the mat"],
    references: [["the cat is on the mat", "there is a cat on the mat"], ["a cat is sitting on the mat over there"]],
  },
  "no-4gram": {
    predictions: ["one two three five four six", "alpha beta delta gamma"],
    references: [["one two three four five six"], ["alpha beta gamma delta"]],
  },
};

// NLTK 3.8 corpus_bleu with smoothing_function None / method3 / method2, and per sentence with
// method3. Where NLTK prints ~6e-78 without smoothing it means 0 (it substitutes the smallest float
// for a zero precision); glmjs returns exactly 0 there.
const NLTK: Record<string, { none: number; exp: number; addOne: number; sentencesExp: number[] }> = {
  "nltk-doc": { none: 0.5920778868801042, exp: 0.5920778868801042, addOne: 0.6108780048582715, sentencesExp: [0.5045666840058485, 0.7400828044922853] },
  "short-and-long": {
    none: 5.815900143772951e-78,
    exp: 0.23118662618277258,
    addOne: 0.295833283969696,
    sentencesExp: [0.3073940764756322, 0.2481322388378999],
  },
  "no-4gram": { none: 6.10669334877734e-78, exp: 0.2973017787506803, addOne: 0.39920397615494657, sentencesExp: [0.35930411196308426, 0.37991784282579627] },
};

describe("corpusBleu against NLTK", () => {
  for (const [name, { predictions, references }] of Object.entries(CORPORA)) {
    it(`matches corpus_bleu on "${name}"`, () => {
      const want = NLTK[name];
      const none = corpusBleu(predictions, references, { tokenizer: "whitespace" }).bleu;
      if (want.none < 1e-70) expect(none).toBe(0);
      else expect(none).toBeCloseTo(want.none, 12);
      expect(corpusBleu(predictions, references, { tokenizer: "whitespace", smoothing: "exp" }).bleu).toBeCloseTo(want.exp, 12);
      expect(corpusBleu(predictions, references, { tokenizer: "whitespace", smoothing: "add-one" }).bleu).toBeCloseTo(want.addOne, 12);
      predictions.forEach((p, i) => expect(sentenceBleu(p, references[i], { tokenizer: "whitespace" }).bleu).toBeCloseTo(want.sentencesExp[i], 12));
    });
  }
});
