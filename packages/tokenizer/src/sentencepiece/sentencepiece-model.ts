// A SentencePiece model, encoding and decoding as the `sentencepiece` library does
// (sentencepiece_processor.cc): normalise, segment with the algorithm the model file declares
// (BPE or unigram), then report the pieces — a run of unknown pieces becomes one unk, or, when
// the model enables byte fallback, each unknown piece becomes its UTF-8 byte pieces. Offsets are
// the library's: a piece covers the input from where its first normalised character came from to
// where the next piece's did.
import { GlmjsError } from "@glmjs/common";
import type { TextModel } from "../types.js";
import { BpeEncoder } from "./bpe-encoder.js";
import { ModelType, PieceType, type SentencePieceProto } from "./model-proto.js";
import { Normalizer, SPACE_SYMBOL } from "./normalizer.js";
import { PieceList, type PieceEncoder } from "./piece-list.js";
import { PrefixMatcher } from "./prefix-matcher.js";
import { UnigramEncoder } from "./unigram-encoder.js";
import { decodeBytePieces } from "./decode-byte-pieces.js";

/** What the library decodes an unk piece to unless the model sets trainer_spec.unk_surface. */
const DEFAULT_UNK_SURFACE = " \u2047 ";

export class SentencePieceModel implements TextModel {
  readonly kind = "sentencepiece" as const;
  readonly size: number;
  readonly proto: SentencePieceProto;
  /** The serialized ModelProto this model was read from (kept for saving). */
  readonly protoBytes: Uint8Array;
  private readonly normalizer: Normalizer;
  private readonly denormalizer: Normalizer | null;
  private readonly encoder: PieceEncoder;
  private readonly pieces = new Map<string, number>(); // NORMAL, USER_DEFINED, UNUSED
  private readonly reserved = new Map<string, number>(); // CONTROL, UNKNOWN, BYTE
  private readonly types: Uint8Array;
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly byteOf: Int16Array;
  private readonly unkId: number;
  private readonly byteFallback: boolean;
  private readonly list = new PieceList();

  constructor(proto: SentencePieceProto, protoBytes: Uint8Array) {
    this.proto = proto;
    this.protoBytes = protoBytes;
    this.size = proto.pieces.length;
    const n = proto.pieces.length;
    this.types = new Uint8Array(n);
    this.byteOf = new Int16Array(n).fill(-1);
    const scores = new Float64Array(n);
    const userDefined: string[] = [];
    let unk = -1;
    proto.pieces.forEach((p, id) => {
      if (p.piece.length === 0) throw new GlmjsError("TOKENIZER_FILE_INVALID", `piece ${id} is empty`);
      const normal = p.type === PieceType.NORMAL || p.type === PieceType.USER_DEFINED || p.type === PieceType.UNUSED;
      const map = normal ? this.pieces : this.reserved;
      if (map.has(p.piece)) throw new GlmjsError("TOKENIZER_FILE_INVALID", `piece ${id} ${JSON.stringify(p.piece)} is defined twice`);
      map.set(p.piece, id);
      this.types[id] = p.type;
      scores[id] = p.score;
      if (p.type === PieceType.USER_DEFINED) userDefined.push(p.piece);
      if (p.type === PieceType.UNKNOWN) {
        if (unk >= 0) throw new GlmjsError("TOKENIZER_FILE_INVALID", `pieces ${unk} and ${id} are both the unknown piece`);
        unk = id;
      }
      if (p.type === PieceType.BYTE) {
        const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(p.piece);
        if (!m) throw new GlmjsError("TOKENIZER_FILE_INVALID", `byte piece ${id} ${JSON.stringify(p.piece)} is not of the form <0xHH>`);
        this.byteIds[parseInt(m[1]!, 16)] = id;
        this.byteOf[id] = parseInt(m[1]!, 16);
      }
    });
    if (unk < 0) throw new GlmjsError("TOKENIZER_FILE_INVALID", "the SentencePiece model has no unknown piece (type UNKNOWN)");
    this.unkId = unk;
    this.byteFallback = proto.byteFallback;
    if (this.byteFallback && this.byteIds.includes(-1))
      throw new GlmjsError("TOKENIZER_FILE_INVALID", "byte_fallback is set but the model does not have all 256 byte pieces");

    const matcher = userDefined.length > 0 ? new PrefixMatcher(userDefined) : null;
    this.normalizer = new Normalizer(proto.normalizer, matcher, proto.treatWhitespaceAsSuffix);
    this.denormalizer = proto.denormalizer && proto.denormalizer.precompiledCharsmap.length > 0 ? new Normalizer(proto.denormalizer) : null;
    const texts = proto.pieces.map((p) => p.piece);
    if (proto.modelType === ModelType.BPE) {
      const idOf = Int32Array.from(texts, (s, id) => this.reserved.get(s) ?? id);
      const unused = Uint8Array.from(proto.pieces, (p) => (p.type === PieceType.UNUSED ? 1 : 0));
      this.encoder = new BpeEncoder({
        texts,
        scores,
        mergeable: this.pieces,
        unused,
        userDefined: matcher,
        idOf,
        unknownId: (s) => this.reserved.get(s) ?? unk,
      });
    } else if (proto.modelType === ModelType.UNIGRAM) {
      this.encoder = new UnigramEncoder({ texts, scores, mergeable: this.pieces, types: this.types, unkId: unk });
    } else throw new GlmjsError("TOKENIZER_FILE_INVALID", `SentencePiece model_type ${proto.modelType} is not supported (only UNIGRAM=1 and BPE=2)`);
  }

  tokenToId(token: string): number | undefined {
    return this.reserved.get(token) ?? this.pieces.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.proto.pieces[id]?.piece;
  }

  encodeRange(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    const norm = this.normalizer.normalize(text, start, end, offsets !== null);
    if (norm.text.length === 0) return;
    const list = this.list;
    list.clear();
    this.encoder.encode(norm.text, list);
    const origin = norm.origin;
    const unk = this.unkId;
    let pos = 0;
    let prevUnk = false;
    for (let k = 0; k < list.size; k++) {
      const id = list.ids[k]!;
      const len = list.lengths[k]!;
      const isUnk = id === unk;
      if (isUnk && this.byteFallback) {
        // The unknown piece's UTF-8 bytes; the last byte piece carries the characters' span.
        const bytes = new TextEncoder().encode(norm.text.slice(pos, pos + len));
        for (let i = 0; i < bytes.length; i++) {
          ids.push(this.byteIds[bytes[i]!]!);
          if (offsets) offsets.push([origin[pos]!, i === bytes.length - 1 ? origin[pos + len]! : origin[pos]!]);
        }
      } else if (isUnk && prevUnk) {
        // A run of unknown pieces is one unk.
        if (offsets) offsets[offsets.length - 1]![1] = origin[pos + len]!;
      } else {
        ids.push(id);
        if (offsets) offsets.push([origin[pos]!, origin[pos + len]!]);
      }
      prevUnk = isUnk;
      pos += len;
    }
    list.clear();
  }

  decodeText(ids: readonly number[]): string {
    const unkSurface = this.proto.unkSurface ?? DEFAULT_UNK_SURFACE;
    const stripLeading = this.proto.normalizer.addDummyPrefix || this.proto.normalizer.removeExtraWhitespaces;
    let text = "";
    let bosSpaceSeen = false;
    const bytes: number[] = [];
    for (const id of ids) {
      const p = this.proto.pieces[id];
      if (!p) throw new GlmjsError("INPUT_INVALID", `id ${id} is not in the SentencePiece model (${this.size} pieces)`);
      const byte = this.byteOf[id]!;
      if (byte >= 0) {
        bytes.push(byte);
        continue;
      }
      if (bytes.length > 0) {
        text += decodeBytePieces(bytes);
        bytes.length = 0;
      }
      // The first visible piece drops the `▁` the dummy prefix added (with whitespace removal,
      // every piece does until something visible has been written).
      const atStart = !bosSpaceSeen && text.length === 0;
      const type = this.types[id];
      if (type === PieceType.CONTROL) continue;
      if (type === PieceType.UNKNOWN) {
        text += unkSurface;
        continue;
      }
      let piece = p.piece;
      if (atStart && stripLeading && piece.startsWith(SPACE_SYMBOL)) {
        piece = piece.slice(1);
        if (!this.proto.normalizer.removeExtraWhitespaces) bosSpaceSeen = true;
      }
      text += piece.replaceAll(SPACE_SYMBOL, " ");
    }
    if (bytes.length > 0) text += decodeBytePieces(bytes);
    return this.denormalizer ? this.denormalizer.normalize(text, 0, text.length).text : text;
  }
}
