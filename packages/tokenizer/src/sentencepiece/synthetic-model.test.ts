// SentencePiece paths cog-pretrain.model does not exercise (unigram Viterbi, byte fallback),
// on small models written here in protobuf form.
import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { loadTokenizer } from "../io/load-tokenizer.js";
import { parseModelProto } from "./model-proto.js";
import { SentencePieceModel } from "./sentencepiece-model.js";

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 128) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const field = (num: number, wire: number, body: number[]): number[] => [...varint(num * 8 + wire), ...body];
const bytesField = (num: number, b: number[]): number[] => field(num, 2, [...varint(b.length), ...b]);
const str = (s: string): number[] => Array.from(new TextEncoder().encode(s));
const float = (x: number): number[] => Array.from(new Uint8Array(Float32Array.of(x).buffer));

function modelBytes(modelType: number, byteFallback: boolean, pieces: [string, number, number][]): Uint8Array {
  const out: number[] = [];
  for (const [p, score, type] of pieces) out.push(...bytesField(1, [...bytesField(1, str(p)), ...field(2, 5, float(score)), ...field(3, 0, varint(type))]));
  out.push(...bytesField(2, [...field(3, 0, varint(modelType)), ...field(35, 0, varint(byteFallback ? 1 : 0))]));
  out.push(...bytesField(3, [...bytesField(1, str("identity")), ...field(3, 0, [1]), ...field(4, 0, [1]), ...field(5, 0, [1])]));
  return Uint8Array.from(out);
}

/** The code of the GlmjsError `f` throws (or what happened instead). */
function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

const base: [string, number, number][] = [
  ["<unk>", 0, 2],
  ["<s>", 0, 3],
  ["</s>", 0, 3],
  ["▁ab", -1, 1],
  ["▁a", -2, 1],
  ["b", -2, 1],
  ["a", -3, 1],
  ["▁", -4, 1],
  ["c", -5, 1],
];
const bytePieces: [string, number, number][] = Array.from({ length: 256 }, (_, b) => [`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, 0, 6]);

describe("SentencePiece models written in the test", () => {
  it("unigram: Viterbi picks the best-scoring segmentation; unknown characters become <unk>", () => {
    const bytes = modelBytes(1, false, base);
    const m = new SentencePieceModel(parseModelProto(bytes), bytes);
    const enc = (s: string): string[] => {
      const ids: number[] = [];
      m.encodeRange(s, 0, s.length, ids, null);
      return ids.map((id) => m.idToToken(id)!);
    };
    expect(enc("ab")).toEqual(["▁ab"]);
    expect(enc("  abc   ab ")).toEqual(["▁ab", "c", "▁ab"]);
    expect(enc("abz")).toEqual(["▁ab", "<unk>"]);
    expect(m.decodeText([3, 8, 3])).toBe("abc ab");
  });

  it("a run of unknown characters is one <unk> spanning the run (no byte fallback)", () => {
    const bytes = modelBytes(1, false, base);
    const m = new SentencePieceModel(parseModelProto(bytes), bytes);
    const ids: number[] = [];
    const offsets: [number, number][] = [];
    m.encodeRange("abxyzc", 0, 6, ids, offsets);
    expect(ids.map((id) => m.idToToken(id))).toEqual(["▁ab", "<unk>", "c"]);
    expect(offsets).toEqual([
      [0, 2],
      [2, 5],
      [5, 6],
    ]);
    expect(m.decodeText(ids)).toBe("ab \u2047 c");
  });

  it("a piece that is exactly U+FEFF survives reading (no byte-order-mark stripping)", () => {
    const bytes = modelBytes(1, false, [...base, ["\ufeff", -1, 1]]);
    const m = new SentencePieceModel(parseModelProto(bytes), bytes);
    expect(m.idToToken(base.length)).toBe("\ufeff");
    expect(m.tokenToId("\ufeff")).toBe(base.length);
  });

  it("byte fallback turns an unknown character into its UTF-8 byte pieces, which decode back", () => {
    const bytes = modelBytes(1, true, [...base, ...bytePieces]);
    const m = new SentencePieceModel(parseModelProto(bytes), bytes);
    const ids: number[] = [];
    m.encodeRange("abé", 0, 3, ids, null);
    expect(ids.map((id) => m.idToToken(id))).toEqual(["▁ab", "<0xC3>", "<0xA9>"]);
    expect(m.decodeText(ids)).toBe("abé");
    // As the library: byte pieces that do not form a character decode to one U+FFFD each.
    expect(m.decodeText([ids[1]!, ids[1]!, ids[2]!])).toBe("\ufffdé");
  });

  it("BPE: merges by piece score, highest first", async () => {
    const tok = await loadTokenizer({ "tiny.model": modelBytes(2, false, base) }, { variant: "plain" });
    expect(tok.encode("ab").map((id) => tok.idToToken(id))).toEqual(["▁ab"]);
    expect(tok.encode("ba").map((id) => tok.idToToken(id))).toEqual(["▁", "b", "a"]);
    expect(tok.vocabSize).toBe(base.length + 5);
  });
});

describe("malformed SentencePiece models", () => {
  it("the parser and the model refuse them with code TOKENIZER_FILE_INVALID", () => {
    // A varint that never ends, a length-delimited field running past the end, a model without pieces.
    expect(thrownCode(() => parseModelProto(Uint8Array.of(0x0a, 0xff, 0xff)))).toBe("TOKENIZER_FILE_INVALID");
    expect(thrownCode(() => parseModelProto(Uint8Array.of(0x0a, 0x10, 0x01)))).toBe("TOKENIZER_FILE_INVALID");
    expect(thrownCode(() => parseModelProto(new Uint8Array(0)))).toBe("TOKENIZER_FILE_INVALID");
    // No unknown piece; a piece defined twice.
    const noUnk = modelBytes(2, false, base.slice(1));
    expect(thrownCode(() => new SentencePieceModel(parseModelProto(noUnk), noUnk))).toBe("TOKENIZER_FILE_INVALID");
    const twice = modelBytes(2, false, [...base, ["c", -6, 1]]);
    expect(thrownCode(() => new SentencePieceModel(parseModelProto(twice), twice))).toBe("TOKENIZER_FILE_INVALID");
  });
});
