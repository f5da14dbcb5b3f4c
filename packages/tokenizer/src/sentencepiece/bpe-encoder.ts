// SentencePiece BPE encoding (bpe_model.cc): split the normalised text into characters (a
// user-defined piece stays whole and frozen), then repeatedly merge the adjacent pair whose
// concatenation is a piece of highest score, leftmost first on ties; an UNUSED piece that came
// out of the merges is split back into the two symbols it was merged from.
//
// The library runs that loop over the whole text with a heap. Here the text is first cut where no
// piece can ever span the cut (between two characters that no piece holds side by side, e.g.
// before every `▁` when no piece has `▁` after its start): the merges on each part are the ones
// the whole-text loop makes there, so the result is identical, while each part is small enough
// for a plain scan or a cache hit, and memory stays bounded by the longest part.
// Symbols are integer keys and merges a pair-table lookup (bpe-tables.ts).

import { WordCache } from "../text/word-cache.js";
import { BpeTables } from "./bpe-tables.js";
import { PairHeap } from "./pair-heap.js";
import { PieceList, type PieceEncoder } from "./piece-list.js";
import type { PrefixMatcher } from "./prefix-matcher.js";

/** Parts up to this many units are cached (words repeat); longer ones are merged directly. */
const CACHE_MAX = 64;
/** Parts up to this many symbols use a quadratic scan, which beats the heap on short words. */
const SCAN_MAX = 24;

export interface BpePieces {
  /** Text of every piece, by index. */
  texts: readonly string[];
  scores: Float64Array;
  /** NORMAL, USER_DEFINED and UNUSED pieces (the ones merges can produce), text → index. */
  mergeable: ReadonlyMap<string, number>;
  /** Whether the piece at an index is UNUSED (merged, then split again). */
  unused: Uint8Array;
  userDefined: PrefixMatcher | null;
  /** The id the library reports for a piece index (a CONTROL/UNKNOWN/BYTE piece of the same text wins). */
  idOf: Int32Array;
  /** The id of a symbol whose text is not a mergeable piece (usually unk). */
  unknownId: (text: string) => number;
}

export class BpeEncoder implements PieceEncoder {
  private readonly p: BpePieces;
  private readonly tables: BpeTables;
  /** For an UNUSED piece: the left key, left length and right key it was last merged from. */
  private readonly split = new Map<number, [number, number, number]>();
  private readonly cache = new WordCache(1 << 16);
  /**
   * With UNUSED pieces the library splits each one back the way it was last pushed as a merge
   * candidate anywhere in the text: only one heap loop over the whole text reproduces that.
   */
  private readonly wholeText: boolean;
  private readonly part = new PieceList();

  // Scratch for the merge loops, grown as needed.
  private key = new Int32Array(256);
  private len = new Int32Array(256);
  private prev = new Int32Array(256);
  private next = new Int32Array(256);
  private frozen = new Uint8Array(256);
  private pairPiece = new Int32Array(256);

  constructor(pieces: BpePieces) {
    this.p = pieces;
    this.tables = new BpeTables(pieces.mergeable, pieces.texts.length);
    this.wholeText = pieces.unused.includes(1);
  }

  encode(t: string, out: PieceList): void {
    const n = t.length;
    if (this.wholeText) {
      this.merge(t, 0, n, out, true);
      return;
    }
    let partStart = 0;
    let prevCp = -1;
    for (let i = 0; i < n;) {
      let cp = t.charCodeAt(i);
      let w = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const d = t.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          w = 2;
        }
      }
      if (i > partStart && this.tables.canCut(prevCp, cp)) {
        this.encodePart(t, partStart, i, out);
        partStart = i;
      }
      prevCp = cp;
      i += w;
    }
    if (n > partStart) this.encodePart(t, partStart, n, out);
  }

  private encodePart(t: string, s: number, e: number, out: PieceList): void {
    if (e - s > CACHE_MAX) {
      this.merge(t, s, e, out);
      return;
    }
    const h = this.cache.hash(t, s, e);
    let hit = this.cache.get(t, s, e, h);
    if (hit === undefined) {
      const part = this.part;
      part.clear();
      this.merge(t, s, e, part);
      hit = new Int32Array(part.size * 2);
      for (let k = 0; k < part.size; k++) {
        hit[2 * k] = part.ids[k]!;
        hit[2 * k + 1] = part.lengths[k]!;
      }
      this.cache.set(t.slice(s, e), h, hit);
    }
    for (let k = 0; k < hit.length; k += 2) out.push(hit[k]!, hit[k + 1]!);
  }

  /** BPE over t[s, e) from scratch; appends the final pieces to `out`. */
  private merge(t: string, s: number, e: number, out: PieceList, heapOnly = false): void {
    const cap = e - s;
    if (this.key.length < cap) this.grow(cap);
    const key = this.key;
    const len = this.len;
    const frozen = this.frozen;
    const ud = this.p.userDefined;
    let m = 0;
    for (let i = s; i < e;) {
      const u = ud === null ? 0 : ud.match(t, i, e);
      if (u > 0) {
        key[m] = this.p.mergeable.get(t.slice(i, i + u)) ?? -1;
        len[m] = u;
        frozen[m] = 1;
      } else {
        let cp = t.charCodeAt(i);
        let w = 1;
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < e) {
          const d = t.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
            w = 2;
          }
        }
        key[m] = this.tables.keyOfChar(cp);
        len[m] = w;
        frozen[m] = 0;
      }
      i += len[m]!;
      m++;
    }
    if (this.wholeText) this.split.clear();
    if (m <= SCAN_MAX && !heapOnly) this.mergeByScan(m);
    else this.mergeByHeap(m);
    let pos = s;
    for (let k = 0; k >= 0 && k < m; k = this.next[k]!) {
      this.emit(t, pos, key[k]!, len[k]!, out);
      pos += len[k]!;
    }
    // Do not keep scratch sized for one huge part.
    if (this.key.length > 1 << 20) this.grow(256, true);
  }

  /** Appends the id of a final symbol, splitting UNUSED pieces back into what they were merged from. */
  private emit(t: string, pos: number, k: number, length: number, out: PieceList): void {
    if (k >= 0 && k < this.p.texts.length) {
      if (this.p.unused[k] === 1) {
        const from = this.split.get(k);
        if (from !== undefined) {
          this.emit(t, pos, from[0], from[1], out);
          this.emit(t, pos + from[1], from[2], length - from[1], out);
          return;
        }
      }
      out.push(this.p.idOf[k]!, length);
    } else out.push(this.p.unknownId(t.slice(pos, pos + length)), length);
  }

  /** The merged piece of symbols l and r (both live, adjacent), or -1. */
  private mergedOf(l: number, r: number): number {
    if (this.frozen[l] === 1 || this.frozen[r] === 1) return -1;
    const a = this.key[l]!;
    const b = this.key[r]!;
    if (a < 0 || b < 0) return -1;
    const merged = this.tables.merged(a, b);
    if (merged < 0) return -1;
    if (this.p.unused[merged] === 1) this.split.set(merged, [a, this.len[l]!, b]);
    return merged;
  }

  /** Merges symbols l and r (r is l's next) into `merged`. */
  private join(l: number, r: number, merged: number): void {
    this.key[l] = merged;
    this.len[l] = this.len[l]! + this.len[r]!;
    this.len[r] = 0;
    const after = this.next[r]!;
    this.next[l] = after;
    if (after >= 0) this.prev[after] = l;
  }

  /**
   * Short parts: keep the merged piece of every adjacent pair (`pairPiece[l]` for l and its next,
   * -1 when none) and scan them for the best, as long as there is one.
   */
  private mergeByScan(m: number): void {
    const next = this.next;
    const prev = this.prev;
    const pairPiece = this.pairPiece;
    const scores = this.p.scores;
    for (let k = 0; k < m; k++) {
      next[k] = k + 1 < m ? k + 1 : -1;
      prev[k] = k - 1;
    }
    for (let k = 0; k < m; k++) pairPiece[k] = k + 1 < m ? this.mergedOf(k, k + 1) : -1;
    for (;;) {
      let bestLeft = -1;
      let bestScore = -Infinity;
      for (let l = 0; l >= 0; l = next[l]!) {
        const merged = pairPiece[l]!;
        if (merged >= 0 && (bestLeft < 0 || scores[merged]! > bestScore)) {
          bestLeft = l;
          bestScore = scores[merged]!;
        }
      }
      if (bestLeft < 0) return;
      this.join(bestLeft, next[bestLeft]!, pairPiece[bestLeft]!);
      const after = next[bestLeft]!;
      pairPiece[bestLeft] = after >= 0 ? this.mergedOf(bestLeft, after) : -1;
      const before = prev[bestLeft]!;
      if (before >= 0) pairPiece[before] = this.mergedOf(before, bestLeft);
    }
  }

  /** Long parts: the library's agenda, a heap of candidate pairs checked when popped. */
  private mergeByHeap(m: number): void {
    const next = this.next;
    const prev = this.prev;
    const len = this.len;
    const scores = this.p.scores;
    for (let k = 0; k < m; k++) {
      next[k] = k + 1 < m ? k + 1 : -1;
      prev[k] = k - 1;
    }
    const heap = new PairHeap(m);
    const consider = (l: number, r: number): void => {
      if (l < 0 || r < 0) return;
      const merged = this.mergedOf(l, r);
      if (merged >= 0) heap.push(scores[merged]!, l, r, len[l]! + len[r]!, merged);
    };
    for (let k = 1; k < m; k++) consider(k - 1, k);
    while (heap.size > 0) {
      heap.pop();
      const l = heap.left;
      const r = heap.right;
      // Stale: one side was merged away or grew since the pair was pushed.
      if (len[l] === 0 || len[r] === 0 || len[l]! + len[r]! !== heap.length) continue;
      this.join(l, r, heap.piece);
      consider(prev[l]!, l);
      consider(l, next[l]!);
    }
  }

  private grow(n: number, shrink = false): void {
    const cap = shrink ? n : Math.max(n, this.key.length * 2);
    this.key = new Int32Array(cap);
    this.len = new Int32Array(cap);
    this.prev = new Int32Array(cap);
    this.next = new Int32Array(cap);
    this.frozen = new Uint8Array(cap);
    this.pairPiece = new Int32Array(cap);
  }
}
