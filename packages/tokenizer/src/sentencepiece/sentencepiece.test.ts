// The Chinese SentencePiece tokenizer (cog-pretrain.model): the ids of GLM.md §3.4 (the
// reference's worked example) and FlagAI's published test of the same model, and behaviour of the
// sentencepiece library (the golden cases of shared/fixtures/tokenizer run in
// glm/fixture-parity.test.ts, seeded library comparisons in library-parity.test.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sharedPath } from "@glmjs/test-utils";
import { loadTokenizer } from "../io/load-tokenizer.js";
import { parseModelProto, ModelType } from "./model-proto.js";

const model = sharedPath("vocab", "cog-pretrain.model");

describe.skipIf(!model)("cog-pretrain.model", async () => {
  const tok = await loadTokenizer(model!);
  const proto = parseModelProto(new Uint8Array(readFileSync(model!)));

  it("is read as the BPE model with the nmt_nfkc normaliser it declares", () => {
    expect(proto.modelType).toBe(ModelType.BPE);
    expect(proto.normalizer.name).toBe("nmt_nfkc");
    expect(tok.vocabSize).toBe(proto.pieces.length + 10);
    expect(tok.paddedVocabSize % 128).toBe(0);
  });

  it("encodes the reference examples", () => {
    expect(tok.encode("Hello World! 你好，世界。")).toEqual([712, 25708, 20613, 43460, 2416, 43359, 91, 43361]);
    expect(tok.encode("凯旋门位于意大利米兰市古城堡旁。").map((id) => tok.idToToken(id))).toEqual([
      "▁凯",
      "旋",
      "门",
      "位于",
      "意大利",
      "米兰",
      "市",
      "古城",
      "堡",
      "旁",
      "。",
    ]);
    expect(tok.encode("今天吃饭吃了肯德基")).toEqual([3378, 1567, 2613, 20282]);
    expect(tok.tokenToId("人")).toBe(43371);
  });

  it("has the command ids of glm-large-chinese / the HF repos, and 10B's original on request", async () => {
    expect(tok.special).toMatchObject({
      pad: 50000,
      eos: 50000,
      sep: 50001,
      cls: 50002,
      mask: 50003,
      unk: 50004,
      sop: 50006,
      eop: 50007,
      sMask: 50008,
      gMask: 50009,
    });
    const original10b = await loadTokenizer(model!, { fixCommandToken: false });
    expect(original10b.special.gMask).toBe(50007);
    expect(tok.encode("回答：[gMASK]").at(-1)).toBe(50009);
  });

  it("normalises full-width punctuation and whitespace", () => {
    expect(tok.decode(tok.encode("你好，世界"))).toBe("你好,世界");
    expect(tok.encode("a\n\n  b")).toEqual(tok.encode("a b"));
  });

  it("a run of unknown characters is one <unk>, as in the sentencepiece library", () => {
    const space = tok.tokenToId("▁")!;
    expect(tok.encode("😀")).toEqual([space, proto.unkId]);
    expect(tok.encode("😀👍")).toEqual([space, proto.unkId]);
    expect(tok.encode("😀 👍")).toEqual([space, proto.unkId, space, proto.unkId]);
    // The unk covers the whole run in the input.
    const e = tok.encodeWithOffsets("a😀👍b");
    expect(e.ids.map((id) => tok.idToToken(id))).toEqual(["▁a", "<unk>", "b"]);
    expect(e.offsets).toEqual([
      [0, 1],
      [1, 5],
      [5, 6],
    ]);
  });

  it("long inputs finish (speed and memory: bench/tokenizer.mjs)", () => {
    const space = tok.tokenToId("▁")!;
    expect(tok.encode("😀".repeat(100_000))).toEqual([space, proto.unkId]);
    // ~1 MB of one sentence repeated: every repetition starts with "▁" (the dummy prefix, then
    // the space), so the ids are the sentence's ids repeated.
    const sentence = "凯旋门位于意大利米兰市古城堡旁。Hello World!";
    const once = tok.encode(sentence);
    const ids = tok.encode(`${sentence} `.repeat(25_000));
    expect(ids.length).toBe(once.length * 25_000);
    for (let k = 0; k < ids.length; k += once.length) expect(ids.slice(k, k + once.length)).toEqual(once);
  });

  it("a single piece whose text is in the vocabulary and has no better split encodes to itself", () => {
    // "▁1" is a NORMAL piece with a high score: " 1" must become exactly that piece.
    const id = tok.tokenToId("▁1")!;
    expect(tok.encode("1")).toEqual([id]);
  });
});
