// SentencePiece encoding as the library does it for the algorithm the model file declares:
// BPE (bpe_model.cc: merge the adjacent pair whose merged piece has the highest score, leftmost
// first on ties) or unigram (Viterbi over the piece lattice). Unknown pieces become unk (or
// UTF-8 byte pieces when the model enables byte fallback).
import type { TextModel } from "../types.js";
import { ModelType, PieceType, type SentencePieceProto } from "./model-proto.js";
import { Normalizer } from "./normalizer.js";
import { BinaryHeap } from "../text/binary-heap.js";

interface Sym {
  start: number; // UTF-16 range in the normalised text
  end: number;
  prev: number;
  next: number;
  frozen: boolean;
}

export class SentencePieceModel implements TextModel {
  readonly kind = "sentencepiece" as const;
  readonly size: number;
  readonly proto: SentencePieceProto;
  /** The serialized ModelProto this model was read from (kept for saving). */
  readonly protoBytes: Uint8Array;
  private readonly normalizer: Normalizer;
  private readonly pieces = new Map<string, number>(); // NORMAL, USER_DEFINED, UNUSED
  private readonly reserved = new Map<string, number>(); // CONTROL, UNKNOWN, BYTE
  private readonly userDefined: string[] = [];
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly unkId: number;
  private readonly maxPieceLength: number;
  private readonly minScore: number;

  constructor(proto: SentencePieceProto, protoBytes: Uint8Array) {
    this.proto = proto;
    this.protoBytes = protoBytes;
    this.size = proto.pieces.length;
    let unk = -1;
    let maxLen = 1;
    let minScore = Infinity;
    proto.pieces.forEach((p, id) => {
      const normal = p.type === PieceType.NORMAL || p.type === PieceType.USER_DEFINED || p.type === PieceType.UNUSED;
      (normal ? this.pieces : this.reserved).set(p.piece, id);
      if (p.type === PieceType.USER_DEFINED) this.userDefined.push(p.piece);
      if (p.type === PieceType.UNKNOWN) unk = id;
      if (p.type === PieceType.BYTE) {
        const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(p.piece);
        if (m) this.byteIds[parseInt(m[1]!, 16)] = id;
      }
      if (p.type === PieceType.NORMAL) {
        maxLen = Math.max(maxLen, p.piece.length);
        minScore = Math.min(minScore, p.score);
      }
    });
    if (unk < 0) throw new Error("the SentencePiece model has no unknown piece (type UNKNOWN)");
    if (proto.modelType !== ModelType.BPE && proto.modelType !== ModelType.UNIGRAM)
      throw new Error(`SentencePiece model_type ${proto.modelType} is not supported (only UNIGRAM=1 and BPE=2)`);
    this.unkId = unk;
    this.maxPieceLength = maxLen;
    this.minScore = Number.isFinite(minScore) ? minScore : 0;
    this.normalizer = new Normalizer(proto.normalizer, this.userDefined);
  }

  tokenToId(token: string): number | undefined {
    return this.reserved.get(token) ?? this.pieces.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.proto.pieces[id]?.piece;
  }

  /** SentencePiece's PieceToId: reserved pieces, then normal ones, else unk. */
  private pieceToId(piece: string): number {
    return this.reserved.get(piece) ?? this.pieces.get(piece) ?? this.unkId;
  }

  encodeRange(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    const norm = this.normalizer.normalize(text, start, end);
    if (norm.text.length === 0) return;
    const segs = this.proto.modelType === ModelType.BPE ? this.bpe(norm.text) : this.viterbi(norm.text);
    for (const [s, e] of segs) {
      const piece = norm.text.slice(s, e);
      const id = this.pieceToId(piece);
      const span: [number, number] = [norm.starts[s]!, norm.ends[e - 1]!];
      if (id === this.unkId && this.proto.byteFallback && this.byteIds[0]! >= 0) {
        for (const b of new TextEncoder().encode(piece)) {
          ids.push(this.byteIds[b]!);
          if (offsets) offsets.push([span[0], span[1]]);
        }
        continue;
      }
      ids.push(id);
      if (offsets) offsets.push(span);
    }
  }

  /** Splits into characters (user-defined pieces whole and frozen) as bpe_model.cc does. */
  private initialSymbols(t: string): Sym[] {
    const syms: Sym[] = [];
    for (let i = 0; i < t.length; ) {
      let len = 0;
      for (const u of this.userDefined) if (u.length > len && t.startsWith(u, i)) len = u.length;
      const frozen = len > 0;
      if (!frozen) len = t.codePointAt(i)! > 0xffff ? 2 : 1;
      syms.push({ start: i, end: i + len, prev: syms.length - 1, next: -1, frozen });
      i += len;
    }
    for (let k = 0; k + 1 < syms.length; k++) syms[k]!.next = k + 1;
    return syms;
  }

  private bpe(t: string): [number, number][] {
    const syms = this.initialSymbols(t);
    // Max-heap on (score, -left).
    type Candidate = { l: number; r: number; score: number; size: number };
    const heap = new BinaryHeap<Candidate>((a, b) => a.score > b.score || (a.score === b.score && a.l < b.l));
    const push = (l: number, r: number): void => {
      if (l < 0 || r < 0) return;
      const L = syms[l]!;
      const R = syms[r]!;
      if (L.frozen || R.frozen) return;
      const id = this.pieces.get(t.slice(L.start, R.end));
      if (id === undefined) return;
      heap.push({ l, r, score: this.proto.pieces[id]!.score, size: R.end - L.start });
    };
    for (let k = 1; k < syms.length; k++) push(k - 1, k);
    while (heap.size > 0) {
      const top = heap.pop()!;
      const L = syms[top.l]!;
      const R = syms[top.r]!;
      if (L.end === L.start || R.end === R.start || L.next !== top.r || R.end - L.start !== top.size) continue;
      L.end = R.end;
      L.next = R.next;
      if (R.next >= 0) syms[R.next]!.prev = top.l;
      R.start = R.end;
      push(L.prev, top.l);
      push(top.l, L.next);
    }
    const out: [number, number][] = [];
    for (let k = 0; k >= 0 && k < syms.length; k = syms[k]!.next) out.push([syms[k]!.start, syms[k]!.end]);
    return out;
  }

  /** Unigram: best-scoring segmentation; an unknown character costs (min score − 10). */
  private viterbi(t: string): [number, number][] {
    const n = t.length;
    const best = new Float64Array(n + 1).fill(-Infinity);
    const from = new Int32Array(n + 1).fill(-1);
    best[0] = 0;
    const unkScore = this.minScore - 10;
    for (let i = 0; i < n; i++) {
      if (best[i] === -Infinity) continue;
      const w = t.codePointAt(i)! > 0xffff ? 2 : 1;
      let matchedSingle = false;
      for (let len = 1; len <= this.maxPieceLength && i + len <= n; len++) {
        const piece = t.slice(i, i + len);
        const id = this.pieces.get(piece);
        if (id === undefined) continue;
        const p = this.proto.pieces[id]!;
        if (p.type === PieceType.UNUSED) continue;
        if (len === w) matchedSingle = true;
        const score = best[i]! + (p.type === PieceType.USER_DEFINED ? 0 : p.score);
        if (score > best[i + len]!) {
          best[i + len] = score;
          from[i + len] = i;
        }
      }
      if (!matchedSingle && best[i]! + unkScore > best[i + w]!) {
        best[i + w] = best[i]! + unkScore;
        from[i + w] = i;
      }
    }
    const out: [number, number][] = [];
    for (let e = n; e > 0; e = from[e]!) out.push([from[e]!, e]);
    return out.reverse();
  }

  decodeText(ids: readonly number[]): string {
    const bytes: number[] = [];
    let out = "";
    const flush = (): void => {
      if (bytes.length) out += new TextDecoder("utf-8").decode(Uint8Array.from(bytes));
      bytes.length = 0;
    };
    ids.forEach((id) => {
      const p = this.proto.pieces[id];
      if (!p) throw new RangeError(`id ${id} is not in the SentencePiece model (${this.size} pieces)`);
      if (p.type === PieceType.BYTE) {
        bytes.push(parseInt(p.piece.slice(3, 5), 16));
        return;
      }
      flush();
      if (p.type === PieceType.CONTROL) return;
      if (p.type === PieceType.UNKNOWN) out += " \u2047 ";
      else out += p.piece;
    });
    flush();
    out = out.replaceAll("\u2581", " ");
    if (this.proto.normalizer.addDummyPrefix && out.startsWith(" ")) out = out.slice(1);
    return out;
  }
}
