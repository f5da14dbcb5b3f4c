// Loading from paths and from file contents, saving to tokenizer.json, and errors for bad files.
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { BYTE_TO_CHAR } from "../bpe/byte-map.js";
import { loadTokenizer } from "./load-tokenizer.js";
import { GlmjsError } from "@glmjs/common";
import { TokenizerFileError } from "../errors.js";

const vocab = sharedPath("vocab");
const sample = "The [MASK] sat on the mat. Café 中文 <|endoftext|> [gMASK]";

describe.skipIf(!vocab)("loading and saving", () => {
  const read = (f: string): string => readFileSync(join(vocab!, f), "utf8");

  it("loads from file contents (browser style) exactly as from a path", async () => {
    for (const [path, files] of [
      ["bert-base-uncased-vocab.txt", { "vocab.txt": read("bert-base-uncased-vocab.txt") }],
      ["gpt2-vocab.json", { "vocab.json": read("gpt2-vocab.json"), "merges.txt": read("gpt2-merges.txt") }],
    ] as const) {
      const a = await loadTokenizer(join(vocab!, path));
      const b = await loadTokenizer(files);
      expect(b.encode(sample)).toEqual(a.encode(sample));
      expect(b.special).toEqual(a.special);
    }
  });

  it("save → tokenizer.json → load round-trips ids and command tokens (WordPiece, BPE, SentencePiece)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glm-tok-"));
    for (const f of ["bert-base-uncased-vocab.txt", "gpt2-vocab.json", "cog-pretrain.model"]) {
      const t = await loadTokenizer(join(vocab!, f));
      const out = join(dir, f.replace(/\W/g, "_"));
      await t.save(out);
      const back = await loadTokenizer(join(out, "tokenizer.json"));
      expect(back.encode(sample)).toEqual(t.encode(sample));
      expect(back.commandTokens).toEqual(t.commandTokens);
      expect(back.paddedVocabSize).toBe(t.paddedVocabSize);
    }
  });

  it("RoBERTa ids: the GLM-RoBERTa command tokens on roberta-vocab.json", async () => {
    const t = await loadTokenizer({ "roberta-vocab.json": read("roberta-vocab.json"), "gpt2-merges.txt": read("gpt2-merges.txt") });
    expect(t.special).toMatchObject({ pad: 2, eos: 2, cls: 0, mask: 50264, unk: 3, sop: 50265, eop: 50266, gMask: 50267, sMask: 50268 });
    expect(t.paddedVocabSize).toBe(50304);
    const gpt2 = await loadTokenizer(join(vocab!, "gpt2-vocab.json"));
    const text = "Hello world, again.";
    expect(t.encode(text).map((id) => t.idToToken(id))).toEqual(gpt2.encode(text).map((id) => gpt2.idToToken(id)));
  });

  it("a Hugging Face GLM model folder: tokenizer_config.json names the class", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glm-hf-"));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ tokenizer_class: "GLMGPT2Tokenizer" }));
    writeFileSync(join(dir, "vocab.json"), read("gpt2-vocab.json"));
    writeFileSync(join(dir, "merges.txt"), read("gpt2-merges.txt"));
    const t = await loadTokenizer(dir);
    expect(t.kind).toBe("bpe");
    expect(t.special.gMask).toBe(50263);
  });

  it("an ambiguous folder asks for one file", async () => {
    await expect(loadTokenizer(vocab!)).rejects.toThrow(/several tokenizers/);
  });
});

describe("malformed files fail with the file name and the problem", () => {
  it("vocab.json", async () => {
    await expect(loadTokenizer({ "vocab.json": "{not json", "merges.txt": "a b\n" })).rejects.toThrow(/^vocab\.json: is not valid JSON/);
    await expect(loadTokenizer({ "vocab.json": '{"a": "x"}', "merges.txt": "a b\n" })).rejects.toThrow(/vocab\.json: token "a" has id "x"/);
    await expect(loadTokenizer({ "vocab.json": '{"a": 0}', "merges.txt": "a b\n" })).rejects.toThrow(/vocab\.json: has no entry for byte/);
  });
  it("merges.txt", async () => {
    const bytes: Record<string, number> = {};
    BYTE_TO_CHAR.forEach((c, b) => (bytes[c] = b));
    await expect(loadTokenizer({ "vocab.json": JSON.stringify(bytes), "merges.txt": "#version: 0.2\nab\n" })).rejects.toThrow(
      /merges\.txt: line 2 "ab" is not a merge rule/,
    );
    await expect(loadTokenizer({ "vocab.json": JSON.stringify(bytes), "merges.txt": "#version: 0.2\n? ?\n" })).rejects.toThrow(
      /merges\.txt: merge 1 "\? \?": "\?\?" is not in vocab\.json/,
    );
  });
  it("vocab.txt without the BERT specials", async () => {
    await expect(loadTokenizer({ "vocab.txt": "hello\nworld\n" })).rejects.toThrow(/vocab\.txt: .*unknown token "\[UNK\]"/);
    await expect(loadTokenizer({ "vocab.txt": "hello\nworld\n" })).rejects.toSatisfy((e) => GlmjsError.is(e, "TOKENIZER_FILE_INVALID"));
    await expect(loadTokenizer({ "vocab.txt": "" })).rejects.toThrow(/vocab\.txt: is empty/);
  });
  it("a .model that is not a SentencePiece model", async () => {
    await expect(loadTokenizer({ "x.model": new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]) })).rejects.toThrow(
      /^x\.model: is not a usable SentencePiece model/,
    );
    const e = await loadTokenizer({ "x.model": new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TokenizerFileError);
    expect(GlmjsError.is(e, "TOKENIZER_FILE_INVALID")).toBe(true);
    // The parser's own error, with the same code, is the cause.
    expect(GlmjsError.is((e as Error).cause, "TOKENIZER_FILE_INVALID")).toBe(true);
  });
  it("tokenizer.json", async () => {
    await expect(loadTokenizer({ "tokenizer.json": "[" })).rejects.toThrow(/^tokenizer\.json: is not valid JSON/);
    await expect(loadTokenizer({ "tokenizer.json": '{"model": {"type": "Unigram"}}' })).rejects.toThrow(
      /tokenizer\.json: model\.type "Unigram" is not supported/,
    );
    await expect(loadTokenizer({ "tokenizer.json": '{"model": {"type": "BPE", "vocab": {}, "merges": 3}}' })).rejects.toThrow(/tokenizer\.json/);
  });
  it("a missing path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glm-none-"));
    mkdirSync(join(dir, "empty"));
    await expect(loadTokenizer(join(dir, "nope"))).rejects.toThrow(/nope: no such file or folder/);
    await expect(loadTokenizer(join(dir, "empty"))).rejects.toThrow(
      expect.objectContaining({ code: "TOKENIZER_FILE_INVALID", message: expect.stringMatching(/no tokenizer files found/) }),
    );
  });
});
