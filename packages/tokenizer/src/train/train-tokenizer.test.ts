// Training: target size respected, command tokens reserved, frequent words become single tokens.
import { describe, expect, it } from "vitest";
import { trainTokenizer } from "./train-tokenizer.js";
import { WordCounts } from "./word-counts.js";

const lines = Array.from({ length: 300 }, (_, i) => `alpha beta gamma delta ${i % 10} [MASK] epsilon zeta <|endoftext|>`);

describe("trainTokenizer", () => {
  it("byte-level BPE: exact size, frequent words whole, command strings not learned, lossless", async () => {
    async function* source(): AsyncGenerator<string> {
      yield* lines;
    }
    const t = await trainTokenizer(source(), { type: "bpe", vocabSize: 320 });
    expect(t.vocabSize).toBeLessThanOrEqual(320);
    expect(t.tokenToId("Ġgamma")).toBeDefined();
    expect(t.tokenToId("[MASK]")).toBe(t.special.mask);
    expect(t.encode("alpha [MASK]")).toEqual([t.tokenToId("alpha"), t.special.mask]);
    const s = "unseen Ünïcode 文字 text\n";
    expect(t.decode(t.encode(s))).toBe(s);
  });

  it("WordPiece: BERT specials first, ## continuations, command tokens after the vocabulary", async () => {
    const t = await trainTokenizer(lines, { type: "wordpiece", vocabSize: 90 });
    expect(t.vocabSize).toBeLessThanOrEqual(90);
    expect(t.special).toMatchObject({ pad: 0, unk: 1, cls: 2, sep: 3, mask: 4 });
    expect(t.special.sop).toBe(t.vocabSize - 4);
    expect(t.encode("Alpha EPSILON").map((id) => t.idToToken(id))).toEqual(["alpha", "epsilon"]);
    const pieces = t.encode("deltalpha").map((id) => t.idToToken(id));
    expect(pieces[0]).toBe("delta");
    expect(pieces.slice(1).every((p) => p!.startsWith("##"))).toBe(true);
  });

  it("rejects sizes that cannot hold the reserved ids", async () => {
    await expect(trainTokenizer(lines, { type: "bpe", vocabSize: 100 })).rejects.toThrow(/too small/);
  });

  it("word counting stays bounded", () => {
    const c = new WordCounts(1000);
    for (let i = 0; i < 20_000; i++) c.add(`w${i}`);
    for (let i = 0; i < 50; i++) c.add("common");
    expect(c.counts.size).toBeLessThanOrEqual(1000);
    expect(c.counts.get("common")).toBeGreaterThan(0);
  });
});
