// `glm tokenizer train` on a small corpus written to a temp folder; the result loads back.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadTokenizer } from "@glmjs/tokenizer";
import { buildProgram } from "../program.js";
import { GlmjsError } from "@glmjs/common";
import { rejectedCode } from "@glmjs/test-utils/error-codes";

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
      expect(fromJson.vocabSize).toBe(size);
      expect(fromVocab.vocabSize).toBe(size);
      const ids = fromJson.encode("the quick brown fox [MASK] jumps");
      expect(ids).toEqual(fromVocab.encode("the quick brown fox [MASK] jumps"));
      expect(ids).toContain(fromJson.special.mask);
      expect(JSON.parse(readFileSync(join(out, "tokenizer.json"), "utf8")).glmjs.family).toBe(type === "bpe" ? "gpt2" : "bert");
    });
  }

  it("an empty corpus fails, naming what it yields, and writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glm-tok-train-"));
    const file = join(dir, "empty.txt");
    writeFileSync(file, "");
    const out = join(dir, "out");
    const run = buildProgram().parseAsync(["tokenizer", "train", "--corpus", file, "--type", "wordpiece", "--vocab-size", "500", "--out", out], {
      from: "user",
    });
    await expect(run).rejects.toThrow(
      `--vocab-size 500 is more than --corpus ${file} yields (9 ids): it holds no text. Give more text, or --vocab-size 9 or less.`,
    );
    // The flag-terms message keeps the library's code and has its error (with the numbers) as the cause.
    const e = await run.catch((x: unknown) => x);
    expect(GlmjsError.is(e, "TOKENIZER_TRAINING_SHORT")).toBe(true);
    expect(e).toHaveProperty("cause.yielded", 9);
    expect(existsSync(out)).toBe(false);
  });

  it("a corpus too small for the size names --min-frequency when that is what limits it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glm-tok-train-"));
    const file = join(dir, "corpus.txt");
    writeFileSync(file, corpus);
    await expect(
      buildProgram().parseAsync(
        ["tokenizer", "train", "--corpus", file, "--type", "bpe", "--vocab-size", "300", "--min-frequency", "1000", "--out", join(dir, "o")],
        { from: "user" },
      ),
    ).rejects.toThrow(
      /yields \(\d+ ids\): after \d+ new tokens, no adjacent pair occurs 1000 or more times\. Give more text or a lower --min-frequency \(now 1000\)/,
    );
    await expect(
      buildProgram().parseAsync(
        ["tokenizer", "train", "--corpus", file, "--type", "bpe", "--vocab-size", "300", "--min-frequency", "x", "--out", join(dir, "o")],
        { from: "user" },
      ),
    ).rejects.toThrow("--min-frequency must be a positive integer, got x");
    expect(
      await rejectedCode(
        buildProgram().parseAsync(
          ["tokenizer", "train", "--corpus", file, "--type", "bpe", "--vocab-size", "300", "--min-frequency", "x", "--out", join(dir, "o")],
          { from: "user" },
        ),
      ),
    ).toBe("OPTION_INVALID");
    expect(
      await rejectedCode(
        buildProgram().parseAsync(
          ["tokenizer", "train", "--corpus", join(dir, "absent.txt"), "--type", "bpe", "--vocab-size", "300", "--out", join(dir, "o")],
          {
            from: "user",
          },
        ),
      ),
    ).toBe("FILE_NOT_FOUND");
  });

  it("a lone \\r in the corpus is text, not a line end (as \\n and \\r\\n are)", async () => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const dir = mkdtempSync(join(tmpdir(), "glm-tok-train-"));
    const file = join(dir, "corpus.txt");
    // Inside a line, GPT-2's pre-tokenizer makes "\r\r" of "a\r\r\rb" one word, whose pair of
    // "\r" bytes (č č) is the only merge to learn; split at every \r there would be none.
    writeFileSync(file, "a\r\r\rb\r\n".repeat(50));
    const out = join(dir, "out");
    await buildProgram().parseAsync(["tokenizer", "train", "--corpus", file, "--type", "bpe", "--vocab-size", "266", "--out", out], { from: "user" });
    const merges = readFileSync(join(out, "merges.txt"), "utf8").split("\n").slice(1).filter(Boolean);
    expect(merges).toEqual(["č č"]);
  });

  it("rejects an unknown --type", async () => {
    await expect(
      buildProgram().parseAsync(["tokenizer", "train", "--corpus", "x", "--type", "unigram", "--vocab-size", "10", "--out", "y"], { from: "user" }),
    ).rejects.toThrow(/--type must be wordpiece or bpe/);
    expect(
      await rejectedCode(
        buildProgram().parseAsync(["tokenizer", "train", "--corpus", "x", "--type", "unigram", "--vocab-size", "10", "--out", "y"], { from: "user" }),
      ),
    ).toBe("OPTION_INVALID");
  });
});
