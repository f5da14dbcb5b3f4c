// loadTokenizer by hub id against a local hub (HF_ENDPOINT) serving repositories laid out as the
// released GLM repos are, with the real vocabularies of ../shared/vocab: tokenizer_config.json
// picks the GLM tokenizer class, and the command-token ids are those each released model was
// trained with (GLM.md §3).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedPath, startHubServer, type HubServer } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTokenizer } from "./load-tokenizer.js";

const vocab = sharedPath("vocab");

describe.skipIf(!vocab)("loadTokenizer(hub id) against a local hub", { timeout: 120_000 }, () => {
  let server: HubServer;
  let cacheDir: string;
  const saved: Record<string, string | undefined> = {};
  const text = (name: string) => readFileSync(join(vocab!, name), "utf8");
  const bytes = (name: string) => new Uint8Array(readFileSync(join(vocab!, name)));
  // The hub repos' tokenizer_config.json: a class name, directly or through auto_map.
  const classConfig = (cls: string, viaAutoMap = false) =>
    JSON.stringify(viaAutoMap ? { auto_map: { AutoTokenizer: [`tokenization_glm.${cls}`, null] }, eos_token: "<|endoftext|>" } : { tokenizer_class: cls });

  beforeAll(async () => {
    server = await startHubServer({
      "THUDM/glm-large": { files: { "tokenizer_config.json": classConfig("GLMBertTokenizer", true), "vocab.txt": text("bert-base-uncased-vocab.txt") } },
      "THUDM/glm-roberta-large": {
        files: { "tokenizer_config.json": classConfig("GLMRobertaTokenizer"), "vocab.json": text("roberta-vocab.json"), "merges.txt": text("gpt2-merges.txt") },
      },
      "THUDM/glm-10b": {
        files: { "tokenizer_config.json": classConfig("GLMGPT2Tokenizer", true), "vocab.json": text("gpt2-vocab.json"), "merges.txt": text("gpt2-merges.txt") },
      },
      "THUDM/glm-large-chinese": {
        files: { "tokenizer_config.json": classConfig("GLMChineseTokenizer"), "cog-pretrain.model": bytes("cog-pretrain.model"), "config.json": "{}" },
      },
      "THUDM/glm-10b-chinese": {
        files: {
          "tokenizer_config.json": classConfig("GLMChineseTokenizer", true),
          "cog-pretrain.model": bytes("cog-pretrain.model"),
          "config.json": JSON.stringify({ bad_words_id: [50009] }),
        },
      },
      "someone/plain-bert": { files: { "vocab.txt": text("bert-base-uncased-vocab.txt") } },
    });
    cacheDir = mkdtempSync(join(tmpdir(), "glmjs-tok-hub-"));
    for (const k of ["HF_ENDPOINT", "HF_HUB_CACHE", "HF_HUB_OFFLINE", "HF_TOKEN_PATH"]) saved[k] = process.env[k];
    process.env.HF_ENDPOINT = server.url;
    process.env.HF_HUB_CACHE = cacheDir;
    process.env.HF_TOKEN_PATH = join(cacheDir, "no-token-file");
    delete process.env.HF_HUB_OFFLINE;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("each released family: tokenizer_config.json picks the class, the command ids are the trained ones (GLM.md §3)", async () => {
    const expected = {
      "THUDM/glm-large": { kind: "wordpiece", padded: 30592, special: { pad: 0, eos: 0, cls: 101, sep: 102, mask: 103, unk: 100, sop: 30522, eop: 30523 } },
      "THUDM/glm-roberta-large": {
        kind: "bpe",
        padded: 50304,
        special: { pad: 2, eos: 2, sep: 2, cls: 0, mask: 50264, unk: 3, sop: 50265, eop: 50266, gMask: 50267, sMask: 50268 },
      },
      "THUDM/glm-10b": {
        kind: "bpe",
        padded: 50304,
        special: { pad: 50256, eos: 50256, sop: 50257, eop: 50258, cls: 50259, mask: 50260, sep: 50261, unk: 50262, gMask: 50263, sMask: 50264 },
      },
      "THUDM/glm-large-chinese": {
        kind: "sentencepiece",
        padded: 50048,
        special: { eos: 50000, sep: 50001, cls: 50002, mask: 50003, unk: 50004, sop: 50006, eop: 50007, sMask: 50008, gMask: 50009 },
      },
      // Trained without --fix-command-token: gMASK = eop; its config.json lists 50009 as a bad word.
      "THUDM/glm-10b-chinese": { kind: "sentencepiece", padded: 50048, special: { eos: 50000, sop: 50006, eop: 50007, gMask: 50007, sMask: 50008 } },
    } as const;
    for (const [id, want] of Object.entries(expected)) {
      const tok = await loadTokenizer(id);
      expect(tok.kind, id).toBe(want.kind);
      expect(tok.paddedVocabSize, id).toBe(want.padded);
      expect(tok.special, id).toMatchObject(want.special);
    }
    // And they tokenize as the originals do (GLM.md §3.2, §3.4).
    expect((await loadTokenizer("THUDM/glm-10b")).encode("Hello world")).toEqual([15496, 995]);
    expect((await loadTokenizer("THUDM/glm-large-chinese")).encode("Hello World! 你好，世界。")).toEqual([712, 25708, 20613, 43460, 2416, 43359, 91, 43361]);
    expect((await loadTokenizer("THUDM/glm-large")).encode("The [MASK] sat.")).toEqual([1996, 103, 2938, 1012]);
  });

  it("only the class's files are fetched; a second load asks nothing; offline it loads from the cache", async () => {
    await loadTokenizer("THUDM/glm-roberta-large");
    await loadTokenizer("THUDM/glm-10b");
    server.requests.length = 0;
    await loadTokenizer("THUDM/glm-roberta-large@main");
    expect(server.requests).toEqual([]);
    const fetched = (await import("node:fs"))
      .readdirSync(join(cacheDir, "models--THUDM--glm-roberta-large", "snapshots", server.commits["THUDM/glm-roberta-large"]!))
      .sort();
    expect(fetched).toEqual(["merges.txt", "tokenizer_config.json", "vocab.json"]);
    process.env.HF_HUB_OFFLINE = "1";
    try {
      expect((await loadTokenizer("THUDM/glm-10b")).special.gMask).toBe(50263);
      await expect(loadTokenizer("THUDM/unseen")).rejects.toMatchObject({ code: "HUB_OFFLINE" });
    } finally {
      delete process.env.HF_HUB_OFFLINE;
    }
    expect(server.requests).toEqual([]);
  });

  it("a mistyped local path that looks like an id says that no such path exists either", async () => {
    await expect(loadTokenizer("vocab/bert-vocab.txt")).rejects.toThrow(
      /vocab\/bert-vocab\.txt: tokenizer_config\.json: no such repository at .* \(and there is no local file or folder named vocab\/bert-vocab\.txt\)/,
    );
  });

  it("a repository without tokenizer_config.json: the vocabulary files decide", async () => {
    const tok = await loadTokenizer("someone/plain-bert");
    expect(tok.kind).toBe("wordpiece");
    expect(tok.special.sop).toBe(30522);
  });
});
