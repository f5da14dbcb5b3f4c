// Exact offsets, property-tested on every tokenizer of shared/vocab: for any input, the slice of
// the input at each token's offsets is that token's text after the tokenizer's normalisation
// (test/exact-offsets.ts says precisely what that means for WordPiece, byte-level BPE and
// SentencePiece). Inputs: the seeded mixed-script generator of fuzz/strings.mjs (scripts, emoji,
// whitespace runs, control and compatibility characters, command-token strings) and fast-check's
// arbitrary strings (lone surrogates included).
import { join } from "node:path";
import fc from "fast-check";
import { describe, it } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { randomString, rng } from "../../fuzz/strings.mjs";
import { expectExactOffsets } from "../../test/exact-offsets.js";
import { loadTokenizer } from "../io/load-tokenizer.js";

const vocab = sharedPath("vocab");
const FILES = ["bert-base-uncased-vocab.txt", "gpt2-vocab.json", "roberta-vocab.json", "cog-pretrain.model"];

const mixedScripts = fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((seed) => randomString(rng(seed), 30));
const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

describe.skipIf(!vocab)("exact offsets", () => {
  for (const file of FILES) {
    describe(file, async () => {
      const tok = await loadTokenizer(join(vocab!, file));
      it("mixed scripts, emoji, whitespace, control characters, command tokens", () => {
        fc.assert(
          fc.property(mixedScripts, (s) => {
            expectExactOffsets(tok, s);
          }),
          { numRuns: 300, seed: 11 },
        );
      });
      it("arbitrary UTF-16 (lone surrogates, NUL)", () => {
        fc.assert(
          fc.property(anyUnits, (s) => {
            expectExactOffsets(tok, s);
          }),
          { numRuns: 200, seed: 12 },
        );
      });
    });
  }
});
