// Parity with the original GLM tokenizers (shared/fixtures/tokenizer, produced by THUDM/GLM):
// ids, token strings and decoded text of every case, and every command token of every variant.
// The fixture folder comes from GLMJS_TOKENIZER_FIXTURE, so the same test runs on other text.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureDir, sharedPath } from "@glmjs/test-utils";
import { loadTokenizer } from "../io/load-tokenizer.js";
import type { CommandVariant } from "./command-tokens.js";

const fixture = fixtureDir("GLMJS_TOKENIZER_FIXTURE", "fixtures", "tokenizer");
const vocab = sharedPath("vocab");

interface Case {
  text: string;
  index: number;
  [tokenizer: string]: unknown;
}
interface Expected {
  tokenizers: Record<string, { cases_encoded_with: CommandVariant; variants: Record<string, { num_tokens: number; padded_vocab_size: number; command_tokens: { name: string; token: string; id: number; lstrip: boolean; rstrip: boolean }[] }> }>;
  cases: Case[];
}

const files: Record<string, string> = { "bert-base-uncased": "bert-base-uncased-vocab.txt", gpt2: "gpt2-vocab.json" };

describe.skipIf(!fixture || !vocab)("parity with the original tokenizers", () => {
  const expected = JSON.parse(readFileSync(join(fixture!, "expected.json"), "utf8")) as Expected;
  for (const [name, spec] of Object.entries(expected.tokenizers)) {
    const file = files[name];
    if (!file) continue;
    describe(name, async () => {
      const tok = await loadTokenizer(join(vocab!, file), { variant: spec.cases_encoded_with });

      for (const [variant, v] of Object.entries(spec.variants)) {
        it(`command tokens and vocab sizes of variant ${variant}`, async () => {
          const t = await loadTokenizer(join(vocab!, file), { variant: variant as CommandVariant });
          expect(t.commandTokens.map((c) => ({ ...c }))).toEqual(v.command_tokens);
          expect(t.vocabSize).toBe(v.num_tokens);
          expect(t.paddedVocabSize).toBe(v.padded_vocab_size);
        });
      }

      it("encodes, names and decodes every case exactly", () => {
        for (const c of expected.cases) {
          const e = c[name] as { ids: number[]; tokens: string[]; decoded: string };
          const ids = tok.encode(c.text);
          expect({ index: c.index, ids }).toEqual({ index: c.index, ids: e.ids });
          expect(ids.map((id) => tok.idToToken(id))).toEqual(e.tokens);
          expect({ index: c.index, decoded: tok.decode(e.ids) }).toEqual({ index: c.index, decoded: e.decoded });
        }
      });

      it("encodeWithOffsets gives the same ids and spans inside the input", () => {
        for (const c of expected.cases) {
          const { ids, offsets } = tok.encodeWithOffsets(c.text);
          expect(ids).toEqual((c[name] as { ids: number[] }).ids);
          expect(offsets).toHaveLength(ids.length);
          for (const [s, e] of offsets) {
            expect(s).toBeGreaterThanOrEqual(0);
            expect(e).toBeGreaterThanOrEqual(s);
            expect(e).toBeLessThanOrEqual(c.text.length);
          }
        }
      });

      it("encodeBatch equals encode per text", () => {
        const texts = expected.cases.slice(0, 10).map((c) => c.text);
        expect(tok.encodeBatch(texts)).toEqual(texts.map((t) => tok.encode(t)));
      });
    });
  }
});
