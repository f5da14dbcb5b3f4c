// Reads the parts of a SentencePiece `.model` (ModelProto) that encoding and decoding need.
import { GlmjsError } from "@glmjs/common";
import { ProtoReader } from "./proto-reader.js";

export const PieceType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;
export const ModelType = { UNIGRAM: 1, BPE: 2, WORD: 3, CHAR: 4 } as const;

export interface NormalizerProto {
  name: string;
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface SentencePieceProto {
  pieces: { piece: string; score: number; type: number }[];
  modelType: number;
  byteFallback: boolean;
  unkId: number;
  treatWhitespaceAsSuffix: boolean;
  /** What decoding writes for an unk piece (trainer_spec.unk_surface), when the model sets it. */
  unkSurface?: string;
  normalizer: NormalizerProto;
  /** Applied to decoded text, when the model has one (denormalizer_spec). */
  denormalizer?: NormalizerProto;
}

export function parseModelProto(buf: Uint8Array): SentencePieceProto {
  const r = new ProtoReader(buf, 0, buf.length, "ModelProto");
  const out: SentencePieceProto = {
    pieces: [],
    modelType: ModelType.UNIGRAM,
    byteFallback: false,
    unkId: 0,
    treatWhitespaceAsSuffix: false,
    normalizer: defaultNormalizer(),
  };
  while (!r.done()) {
    const [field, wt] = r.tag();
    if (field === 1 && wt === 2) {
      const p = r.message(`piece ${out.pieces.length}`);
      const piece = { piece: "", score: 0, type: PieceType.NORMAL as number };
      while (!p.done()) {
        const [f, w] = p.tag();
        if (f === 1 && w === 2) piece.piece = p.string();
        else if (f === 2 && w === 5) piece.score = p.float();
        else if (f === 3 && w === 0) piece.type = p.varint();
        else p.skip(w);
      }
      out.pieces.push(piece);
    } else if (field === 2 && wt === 2) {
      const t = r.message("trainer_spec");
      while (!t.done()) {
        const [f, w] = t.tag();
        if (f === 3 && w === 0) out.modelType = t.varint();
        else if (f === 35 && w === 0) out.byteFallback = t.varint() !== 0;
        else if (f === 40 && w === 0) out.unkId = t.varint();
        else if (f === 24 && w === 0) out.treatWhitespaceAsSuffix = t.varint() !== 0;
        else if (f === 44 && w === 2) out.unkSurface = t.string();
        else t.skip(w);
      }
    } else if (field === 3 && wt === 2) out.normalizer = parseNormalizer(r.message("normalizer_spec"));
    else if (field === 5 && wt === 2) out.denormalizer = parseNormalizer(r.message("denormalizer_spec"));
    else r.skip(wt);
  }
  if (out.pieces.length === 0) throw new GlmjsError("TOKENIZER_FILE_INVALID", "ModelProto has no pieces (not a SentencePiece model?)");
  return out;
}

function defaultNormalizer(): NormalizerProto {
  return { name: "", precompiledCharsmap: new Uint8Array(0), addDummyPrefix: true, removeExtraWhitespaces: true, escapeWhitespaces: true };
}

function parseNormalizer(n: ProtoReader): NormalizerProto {
  const out = defaultNormalizer();
  while (!n.done()) {
    const [f, w] = n.tag();
    if (f === 1 && w === 2) out.name = n.string();
    else if (f === 2 && w === 2) out.precompiledCharsmap = n.bytes();
    else if (f === 3 && w === 0) out.addDummyPrefix = n.varint() !== 0;
    else if (f === 4 && w === 0) out.removeExtraWhitespaces = n.varint() !== 0;
    else if (f === 5 && w === 0) out.escapeWhitespaces = n.varint() !== 0;
    else n.skip(w);
  }
  return out;
}
