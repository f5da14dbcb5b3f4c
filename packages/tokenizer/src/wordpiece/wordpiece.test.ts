// WordPiece behaviour beyond the fixture: Unicode rules, offsets on cased and accented text.
// Exact offsets for any input: glm/offsets.property.test.ts.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { loadTokenizer } from "../io/load-tokenizer.js";
import { WordPieceModel } from "./wordpiece-model.js";

const vocab = sharedPath("vocab");

describe("WordPieceModel on a small vocabulary", () => {
  const m = new WordPieceModel(["[UNK]", "un", "##aff", "##able", "a", "b", ",", "ab", "σ", "ς"]);
  const enc = (s: string): number[] => {
    const ids: number[] = [];
    m.encodeRange(s, 0, s.length, ids, null);
    return ids;
  };
  it("greedy longest match with ## continuations, unmatched word → [UNK]", () => {
    expect(enc("unaffable")).toEqual([1, 2, 3]);
    expect(enc("unaffablez")).toEqual([0]);
    expect(enc("AB,a")).toEqual([7, 6, 4]);
  });
  it("words over 100 characters become one [UNK]; U+2028 separates words; NUL joins", () => {
    expect(enc("a".repeat(101))).toEqual([0]);
    expect(enc("a\u2028b")).toEqual([4, 5]);
    expect(enc("a\u0000b")).toEqual([7]);
  });
});

describe.skipIf(!vocab)("BERT uncased", async () => {
  const tok = await loadTokenizer(join(vocab!, "bert-base-uncased-vocab.txt"));
  it("offsets map pieces back to the original (cased, accented) text", () => {
    const s = "Café naïve";
    const { offsets } = tok.encodeWithOffsets(s);
    expect(offsets.map(([a, b]) => s.slice(a, b))).toEqual(["Café", "naïve"]);
    expect(tok.decode(tok.encode(s))).toBe("cafe naive");
  });
  it("10,000 repeated characters and a 1 MB line finish", () => {
    expect(tok.encode("x".repeat(10_000))).toEqual([tok.special.unk]);
    expect(tok.encode("word, ".repeat(180_000)).length).toBe(360_000);
  });
});
