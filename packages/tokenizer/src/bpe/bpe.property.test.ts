// Property tests of the GPT-2 tokenizer: round trip, no exception on hostile input, long inputs.
// Exact offsets: glm/offsets.property.test.ts.
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { loadTokenizer } from "../io/load-tokenizer.js";
import { mergeLong, mergeShort } from "./merge-word.js";
import { PairTable } from "./pair-table.js";

const vocab = sharedPath("vocab");

/** Lone surrogates replaced by U+FFFD (String.prototype.toWellFormed, not in this TS lib). */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

describe.skipIf(!vocab)("GPT-2 byte-level BPE properties", async () => {
  const tok = await loadTokenizer(join(vocab!, "gpt2-vocab.json"), { variant: "plain" });

  it("decode(encode(x)) === x for arbitrary well-formed strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (s) => {
        if (s.trim() === "" || s.includes("<|endoftext|>")) return;
        expect(tok.decode(tok.encode(s))).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it("lone surrogates, NUL and control characters never throw (surrogates decode as U+FFFD)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 60 }), (s) => {
        const ids = tok.encode(s);
        if ([...s].every((ch) => /\s/.test(ch) || (ch >= "\x1c" && ch <= "\x1f"))) return;
        expect(tok.decode(ids)).toBe(wellFormed(s));
      }),
      { numRuns: 300 },
    );
  });

  it("long inputs finish: a 1 MB line and 160,000 repeated characters (speed: bench/tokenizer.mjs)", () => {
    for (const unit of ["a", "😀", " ", "!", "1"]) {
      const ids = tok.encode(unit.repeat(160_000) + "x");
      expect(tok.decode(ids)).toBe(unit.repeat(160_000) + "x");
    }
    const line = "lorem ipsum dolor sit amet, ".repeat(40_000); // ~1.1 MB
    expect(tok.decode(tok.encode(line))).toBe(line);
  });
});

describe("merge strategies agree", () => {
  it("the heap merge equals the array merge on random words and merge tables", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 120 }),
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })), { maxLength: 30, selector: ([a, b]) => a * 100 + b }),
        (word, rules) => {
          const table = new PairTable(64);
          rules.forEach(([a, b], rank) => table.add(a, b, rank, 4 + rank));
          const x = Int32Array.from(word);
          const y = Int32Array.from(word);
          const n1 = mergeShort(x, x.length, table);
          const n2 = mergeLong(y, y.length, table);
          expect(Array.from(y.subarray(0, n2))).toEqual(Array.from(x.subarray(0, n1)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
