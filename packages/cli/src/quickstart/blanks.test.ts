import { describe, expect, it } from "vitest";
import { chooseBlanks, isMaskableWord, splitSentences } from "./blanks.js";

// A word-level stand-in tokenizer: every listed word is one token, anything else several.
const vocabulary = [
  "the",
  "jury",
  "said",
  "it",
  "would",
  "meet",
  "again",
  "on",
  "monday",
  "and",
  "vote",
  "city",
  "council",
  "met",
  "in",
  "old",
  "hall",
  "to",
  "discuss",
  "plan",
  "new",
  "roads",
];
const tokenizer = {
  encode: (text: string) => {
    const word = text.trim().toLowerCase();
    const id = vocabulary.indexOf(word);
    return id >= 0 ? [id] : [...word].map((c) => 1000 + c.charCodeAt(0));
  },
};

describe("splitSentences", () => {
  it("cuts after an end mark before a capital, not after abbreviations or inside a paragraph's quotes", () => {
    expect(splitSentences('Mr. Smith met Dr. Jones in St. Louis. They talked. "Fine," he said! Then U.S. troops left?\nNew paragraph here.')).toEqual([
      "Mr. Smith met Dr. Jones in St. Louis.",
      "They talked.",
      '"Fine," he said!',
      "Then U.S. troops left?",
      "New paragraph here.",
    ]);
    expect(splitSentences("The case of Shelley v. Kraemer was decided. It mattered.")).toEqual(["The case of Shelley v. Kraemer was decided.", "It mattered."]);
  });
});

describe("chooseBlanks", () => {
  const documents = [
    { source: "a", text: "The jury said it would meet again on Monday and vote. Short one. The city council met in the old hall to discuss the plan." },
    { source: "b", text: "The council said it would vote on the new roads plan again. the lower-case start is not a sentence to show at all." },
  ];

  it("masks one lower-case single-token word (never the first) of sentences of 8–28 words that read well alone", () => {
    const blanks = chooseBlanks(documents, tokenizer, 10, 1);
    expect(blanks).toHaveLength(3);
    for (const b of blanks) {
      expect(b.masked.match(/\[MASK\]/g)).toHaveLength(1);
      const words = b.sentence.split(" ");
      const i = b.masked.split(" ").findIndex((w) => w.startsWith("[MASK]"));
      expect(i).toBeGreaterThan(0);
      expect(words[i]!.replace(/[.,]$/, "")).toBe(b.answer);
      expect(b.masked.replace("[MASK]", b.answer)).toBe(b.sentence);
      expect(isMaskableWord(b.answer)).toBe(true);
      expect(tokenizer.encode(" " + b.answer)).toEqual([b.answerId]);
    }
    expect(blanks.map((b) => b.sentence)).not.toContain("Short one.");
  });

  it("is seeded, and visits the documents in turn", () => {
    expect(chooseBlanks(documents, tokenizer, 10, 1)).toEqual(chooseBlanks(documents, tokenizer, 10, 1));
    const seeds = new Set(
      Array.from({ length: 8 }, (_, s) =>
        chooseBlanks(documents, tokenizer, 10, s)
          .map((b) => b.masked)
          .join("|"),
      ),
    );
    expect(seeds.size).toBeGreaterThan(1);
    const firstTwo = chooseBlanks(documents, tokenizer, 2, 3).map((b) => b.source);
    expect(new Set(firstTwo)).toEqual(new Set(["a", "b"]));
  });
});
