// Training: exactly the asked size (or a clear error), command tokens reserved, frequent words
// become single tokens.
import { describe, expect, it } from "vitest";
import { TokenizerTrainingError } from "../errors.js";
import { trainTokenizer } from "./train-tokenizer.js";
import { WordCounts } from "./word-counts.js";

const lines = Array.from({ length: 300 }, (_, i) => `alpha beta gamma delta ${i % 10} [MASK] epsilon zeta <|endoftext|>`);

describe("trainTokenizer", () => {
  it("byte-level BPE: exact size, frequent words whole, command strings not learned, lossless", async () => {
    async function* source(): AsyncGenerator<string> {
      yield* lines;
    }
    const t = await trainTokenizer(source(), { type: "bpe", vocabSize: 300 });
    expect(t.vocabSize).toBe(300);
    expect(t.model.size).toBe(300 - 8); // 256 bytes + merges + <|endoftext|>; 8 command ids after it
    expect(t.paddedVocabSize).toBe(384);
    expect(t.tokenToId("Ġgamma")).toBeDefined();
    expect(t.tokenToId("[MASK]")).toBe(t.special.mask);
    expect(t.encode("alpha [MASK]")).toEqual([t.tokenToId("alpha"), t.special.mask]);
    const s = "unseen Ünïcode 文字 text\n";
    expect(t.decode(t.encode(s))).toBe(s);
  });

  it("WordPiece: BERT specials first, ## continuations, command tokens after the vocabulary", async () => {
    const t = await trainTokenizer(lines, { type: "wordpiece", vocabSize: 71 }); // all this corpus yields
    expect(t.vocabSize).toBe(71);
    expect(t.model.size).toBe(71 - 4);
    expect(t.special).toMatchObject({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    expect(t.special.sop).toBe(t.vocabSize - 4);
    expect(t.encode("Alpha EPSILON").map((id) => t.idToToken(id))).toEqual(["alpha", "epsilon"]);
    const pieces = t.encode("deltalpha").map((id) => t.idToToken(id));
    expect(pieces[0]).toBe("delta");
    expect(pieces.slice(1).every((p) => p!.startsWith("##"))).toBe(true);
  });

  it("exact size for every size the corpus can yield", async () => {
    const text = ["abc abc abc", "a bc a bc", "ab c ab c", "xabcx xabcx"].join("\n").repeat(20);
    for (const vocabSize of [266, 270, 275]) expect((await trainTokenizer(text, { type: "bpe", vocabSize })).vocabSize).toBe(vocabSize);
    for (const vocabSize of [12, 15, 17]) expect((await trainTokenizer(text, { type: "wordpiece", vocabSize })).vocabSize).toBe(vocabSize);
  });

  it("a corpus that cannot yield the size is an error saying what it yields and why", async () => {
    await expect(trainTokenizer([], { type: "wordpiece", vocabSize: 500 })).rejects.toThrow(
      "trainTokenizer: the corpus yields 9 ids, but vocabSize asks for 500: it holds no text. Train on more text, or ask for a vocabSize of at most 9.",
    );
    await expect(trainTokenizer("", { type: "bpe", vocabSize: 500 })).rejects.toThrow(/yields 265 ids, but vocabSize asks for 500: it holds no text/);
    await expect(trainTokenizer(lines, { type: "bpe", vocabSize: 500 })).rejects.toThrow(
      /yields 301 ids, .*every one of its 17 distinct words is a single token.*at most 301/,
    );
    await expect(trainTokenizer(lines, { type: "bpe", vocabSize: 300, minFrequency: 1000 })).rejects.toThrow(
      /no adjacent pair occurs 1000 or more times\. Train on more text, lower minFrequency \(now 1000\)/,
    );
    const e = await trainTokenizer(lines, { type: "wordpiece", vocabSize: 500 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TokenizerTrainingError);
    expect(e).toMatchObject({ requested: 500, yielded: 71, minFrequencyBound: false });
    await expect(trainTokenizer(lines, { type: "bpe", vocabSize: 300, minFrequency: 0 })).rejects.toThrow(/minFrequency must be a positive integer, got 0/);
    // and the largest size it yields works
    expect((await trainTokenizer(lines, { type: "bpe", vocabSize: 301 })).vocabSize).toBe(301);
  });

  it("rejects sizes that cannot hold the reserved ids", async () => {
    await expect(trainTokenizer(lines, { type: "bpe", vocabSize: 100 })).rejects.toThrow(/too small/);
    await expect(trainTokenizer(lines, { type: "wordpiece", vocabSize: 9 })).rejects.toThrow(/too small for WordPiece; it needs more than 9/);
  });

  it("word counting stays bounded", () => {
    const c = new WordCounts(1000);
    for (let i = 0; i < 20_000; i++) c.add(`w${i}`);
    for (let i = 0; i < 50; i++) c.add("common");
    expect(c.counts.size).toBeLessThanOrEqual(1000);
    expect(c.counts.get("common")).toBeGreaterThan(0);
  });
});

describe("trainTokenizer and the trained tokenizer refuse bad input with coded glmjs errors", () => {
  it("options out of range: OPTION_INVALID; a non-string from the source: INPUT_INVALID; an unknown id: INPUT_INVALID", async () => {
    await expect(trainTokenizer(lines, { type: "wordpiece", vocabSize: 0 })).rejects.toThrow(
      expect.objectContaining({ name: "GlmjsError", code: "OPTION_INVALID", message: "trainTokenizer: vocabSize must be a positive integer, got 0" }),
    );
    await expect(trainTokenizer(lines, { type: "sentencepiece" as never, vocabSize: 100 })).rejects.toThrow(
      expect.objectContaining({ code: "OPTION_INVALID" }),
    );
    await expect(trainTokenizer([1 as never], { type: "wordpiece", vocabSize: 100 })).rejects.toThrow(
      expect.objectContaining({ code: "INPUT_INVALID", message: "trainTokenizer: the text source yielded a number, expected strings" }),
    );
    const tokenizer = await trainTokenizer(lines, { type: "wordpiece", vocabSize: 60 });
    expect(() => tokenizer.encode(5 as never)).toThrow(expect.objectContaining({ code: "INPUT_INVALID" }));
    expect(() => tokenizer.decode([tokenizer.vocabSize + 1000])).toThrow(
      expect.objectContaining({ code: "INPUT_INVALID", message: expect.stringMatching(/is neither a command token nor in the text vocabulary/) }),
    );
  });
});
