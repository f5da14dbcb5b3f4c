// SentencePiece unigram encoding (unigram_model.cc, the optimised Viterbi): for every position
// the best-scoring segmentation that ends there, one pass left to right over a trie of the
// pieces. Scores are accumulated in float32 and compared as the library does (in double for
// pieces, float for unknown characters), so ties fall the same way. A character no piece
// starts with costs (lowest piece score − 10) and becomes unk; user-defined pieces score
// (UTF-8 length × highest score − 0.1), so they always win. Linear in the text length.

import { PairTable } from "../bpe/pair-table.js";
import type { PieceEncoder, PieceList } from "./piece-list.js";

const UNK_PENALTY = 10;
const FLT_MAX = 3.4028234663852886e38;
const FLT_MIN = 1.1754943508222875e-38;

export interface UnigramPieces {
  texts: readonly string[];
  scores: Float64Array;
  /** NORMAL, USER_DEFINED and UNUSED pieces, text → index. */
  mergeable: ReadonlyMap<string, number>;
  types: Uint8Array;
  unkId: number;
}

const NORMAL = 1;
const USER_DEFINED = 4;
const UNUSED = 5;

export class UnigramEncoder implements PieceEncoder {
  private readonly p: UnigramPieces;
  /** Trie over UTF-16 units: (node, unit) → child node; piece index per node (-1: none). */
  private readonly children: PairTable;
  private readonly value: Int32Array;
  private readonly pieceScore: Float64Array;
  private readonly unkScore: number;

  constructor(pieces: UnigramPieces) {
    this.p = pieces;
    let minScore = FLT_MAX;
    let maxScore = FLT_MIN;
    pieces.texts.forEach((_, id) => {
      if (pieces.types[id] === NORMAL) {
        minScore = Math.min(minScore, pieces.scores[id]!);
        maxScore = Math.max(maxScore, pieces.scores[id]!);
      }
    });
    this.unkScore = Math.fround(minScore - UNK_PENALTY);
    let units = 1;
    for (const s of pieces.mergeable.keys()) units += s.length;
    this.children = new PairTable(units);
    const value: number[] = [-1];
    for (const [s, id] of pieces.mergeable) {
      let node = 0;
      for (let i = 0; i < s.length; i++) {
        const slot = this.children.find(node, s.charCodeAt(i));
        if (slot >= 0) node = this.children.mergedAt(slot);
        else {
          const child = value.length;
          value.push(-1);
          this.children.add(node, s.charCodeAt(i), 0, child);
          node = child;
        }
      }
      value[node] = id;
    }
    this.value = Int32Array.from(value);
    // A user-defined piece's score is computed in float (length × max) and then in double (− 0.1).
    this.pieceScore = Float64Array.from(pieces.texts, (s, id) =>
      pieces.types[id] === USER_DEFINED ? Math.fround(new TextEncoder().encode(s).length * maxScore) - 0.1 : pieces.scores[id]!,
    );
  }

  encode(t: string, out: PieceList): void {
    const n = t.length;
    const best = new Float32Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const ids = new Int32Array(n + 1);
    const value = this.value;
    const types = this.p.types;
    for (let i = 0; i < n;) {
      const here = best[i]!;
      const c = t.charCodeAt(i);
      const w = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (t.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      let single = false;
      let node = 0;
      for (let j = i; j < n; j++) {
        const slot = this.children.find(node, t.charCodeAt(j));
        if (slot < 0) break;
        node = this.children.mergedAt(slot);
        const id = value[node]!;
        if (id < 0 || types[id] === UNUSED) continue;
        const candidate = this.pieceScore[id]! + here;
        if (from[j + 1] === -1 || candidate > best[j + 1]!) {
          best[j + 1] = candidate;
          from[j + 1] = i;
          ids[j + 1] = id;
        }
        if (j + 1 - i === w) single = true;
      }
      if (!single) {
        const candidate = Math.fround(this.unkScore + here);
        if (from[i + w] === -1 || candidate > best[i + w]!) {
          best[i + w] = candidate;
          from[i + w] = i;
          ids[i + w] = -1;
        }
      }
      i += w;
    }
    // Backtrack, then emit left to right.
    let count = 0;
    for (let e = n; e > 0; e = from[e]!) count++;
    const ends = new Int32Array(count);
    for (let e = n, k = count - 1; e > 0; e = from[e]!, k--) ends[k] = e;
    let start = 0;
    for (let k = 0; k < count; k++) {
      const e = ends[k]!;
      const id = ids[e]!;
      out.push(id >= 0 ? id : this.p.unkId, e - start);
      start = e;
    }
  }
}
