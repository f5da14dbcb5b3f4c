// `glm tokenizer train` on a small corpus written to a temp folder; the result loads back.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadTokenizer } from "@glmjs/tokenizer";
import { buildProgram } from "../program.js";

afterEach(() => vi.restoreAllMocks());

const corpus = Array.from({ length: 200 }, (_, i) => `the quick brown fox ${i % 7} jumps over the lazy dog number ${i}`).join("\n");

describe("glm tokenizer train", () => {
  for (const type of ["bpe", "wordpiece"] as const) {
    it(`trains ${type} to the requested size and writes loadable files`, async () => {
      vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      const dir = mkdtempSync(join(tmpdir(), "glm-tok-train-"));
      const file = join(dir, "corpus.txt");
      writeFileSync(file, corpus);
      const out = join(dir, "out");
      const size = type === "bpe" ? 300 : 80;
      await buildProgram().parseAsync(["tokenizer", "train", "--corpus", file, "--type", type, "--vocab-size", String(size), "--out", out], { from: "user" });
      const fromJson = await loadTokenizer(join(out, "tokenizer.json"));
      const fromVocab = await loadTokenizer(join(out, type === "bpe" ? "vocab.json" : "vocab.txt"));
      expect(fromJson.vocabSize).toBeLessThanOrEqual(size);
      const ids = fromJson.encode("the quick brown fox [MASK] jumps");
      expect(ids).toEqual(fromVocab.encode("the quick brown fox [MASK] jumps"));
      expect(ids).toContain(fromJson.special.mask);
      expect(JSON.parse(readFileSync(join(out, "tokenizer.json"), "utf8")).glmjs.family).toBe(type === "bpe" ? "gpt2" : "bert");
    });
  }

  it("rejects an unknown --type", async () => {
    await expect(
      buildProgram().parseAsync(["tokenizer", "train", "--corpus", "x", "--type", "unigram", "--vocab-size", "10", "--out", "y"], { from: "user" }),
    ).rejects.toThrow(/--type must be wordpiece or bpe/);
  });
});
