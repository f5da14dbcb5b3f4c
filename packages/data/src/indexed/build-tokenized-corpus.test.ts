import { describe, expect, it } from "vitest";
import { isInvalidOptionError } from "../errors/invalid-option.js";
import { buildTokenizedCorpus } from "./build-tokenized-corpus.js";
import { checkTokenizedCorpus, documentAt, documentCount, documentViews, tokenizedCorpus } from "./tokenized-corpus.js";

// A stand-in tokenizer: one token per character (its code point).
const charTokenizer = { encode: (text: string) => Array.from(text, (c) => c.codePointAt(0)!) };
const texts = ["the cat.", "", "a dog sat on the mat; then left!", "x", "long ".repeat(40)];

describe("buildTokenizedCorpus", () => {
  it("concatenates the tokenized documents across many chunks, with their offsets", async () => {
    const corpus = await buildTokenizedCorpus(texts, charTokenizer, { chunkTokens: 7 });
    // A chunk size out of range: an InvalidOptionError (code OPTION_INVALID) naming the option.
    const bad = await buildTokenizedCorpus(texts, charTokenizer, { chunkTokens: 0 }).catch((e: unknown) => e);
    expect(isInvalidOptionError(bad) && bad.option).toBe("chunkTokens");
    expect((bad as Error).message).toBe("buildTokenizedCorpus: chunkTokens must be a positive integer, got 0");
    const expected = texts.filter((t) => t.length > 0).map((t) => Int32Array.from(charTokenizer.encode(t)));
    expect(corpus).toEqual(tokenizedCorpus(expected));
    expect(documentCount(corpus)).toBe(4);
    expect(Array.from(documentAt(corpus, 1))).toEqual(charTokenizer.encode(texts[2]!));
    expect(documentViews(corpus).map((d) => d.length)).toEqual(expected.map((d) => d.length));
    checkTokenizedCorpus(corpus);
  });

  it("reads async streams of {text} records, keeps empty documents on request, preprocesses and stops at maxTokens", async () => {
    async function* records() {
      for (const text of texts) yield { text };
    }
    const kept = await buildTokenizedCorpus(records(), charTokenizer, { keepEmpty: true, preprocess: (t) => t.toUpperCase() });
    expect(Array.from(kept.offsets.subarray(0, 3))).toEqual([0, 8, 8]);
    expect(String.fromCodePoint(...documentAt(kept, 0))).toBe("THE CAT.");
    const capped = await buildTokenizedCorpus(texts, charTokenizer, { maxTokens: 10 });
    expect(documentCount(capped)).toBe(2); // the document crossing the cap is kept whole
    expect(capped.tokens.length).toBe(8 + texts[2]!.length);
  });

  it("rejects offsets that do not describe the tokens", () => {
    expect(() => checkTokenizedCorpus({ tokens: new Int32Array(4), offsets: Float64Array.of(0, 3, 2, 4) })).toThrow(/offsets\[2\]/);
    expect(() => checkTokenizedCorpus({ tokens: new Int32Array(4), offsets: Float64Array.of(1, 4) })).toThrow(/start with 0/);
  });
});
