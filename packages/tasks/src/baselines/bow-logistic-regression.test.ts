import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sharedPath } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { BagOfWordsClassifier, bagOfWordsTokens, majorityClass } from "./bow-logistic-regression.js";

describe("bag-of-words logistic regression", () => {
  it("tokenizes words and punctuation, lower-cased", () => {
    expect(bagOfWordsTokens("It's GREAT, isn't it?!")).toEqual(["it's", "great", ",", "isn't", "it", "?", "!"]);
  });

  it("learns word evidence, predicts probabilities, and is deterministic", () => {
    const texts = ["a good film", "good and fun", "fun fun", "a bad film", "bad and dull", "dull dull", "not good", "not fun"];
    const labels = ["pos", "pos", "pos", "neg", "neg", "neg", "neg", "neg"];
    const a = BagOfWordsClassifier.train(texts, labels, { iterations: 200, learningRate: 0.1 });
    expect(a.labels).toEqual(["neg", "pos"]);
    expect(a.predict("good fun").label).toBe("pos");
    expect(a.predict("dull film").label).toBe("neg");
    const p = a.predict("a good film").probabilities;
    expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
    expect(a.accuracy(texts, labels)).toBe(1);
    const b = BagOfWordsClassifier.train(texts, labels, { iterations: 200, learningRate: 0.1 });
    expect(b.predict("not dull").probabilities).toEqual(a.predict("not dull").probabilities);
    expect(() => BagOfWordsClassifier.train(["x"], ["a"])).toThrow(/single label/);
    expect(() => BagOfWordsClassifier.train(["x", "y"], ["a"])).toThrow(/as many labels as texts/);
  });

  it("finds the majority class (ties broken by the smaller label)", () => {
    expect(majorityClass(["1", "0", "1"])).toEqual({ label: "1", share: 2 / 3 });
    expect(majorityClass(["1", "0"])).toEqual({ label: "0", share: 0.5 });
  });

  const polarity = sharedPath("data", "sentence_polarity");
  it.skipIf(!polarity)("beats chance clearly on a slice of sentence_polarity", () => {
    const read = (f: string) =>
      readFileSync(join(polarity!, f), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split("\t") as [string, string]);
    const train = read("train.tsv").slice(0, 2000);
    const dev = read("dev.tsv").slice(0, 400);
    const c = BagOfWordsClassifier.train(
      train.map((r) => r[0]),
      train.map((r) => r[1]),
      { ngrams: 1, iterations: 60 },
    );
    expect(
      c.accuracy(
        dev.map((r) => r[0]),
        dev.map((r) => r[1]),
      ),
    ).toBeGreaterThan(0.62);
  });
});
