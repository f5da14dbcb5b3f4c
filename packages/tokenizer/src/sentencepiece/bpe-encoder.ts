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
// Symbols are integer keys: a piece's index, or for a character that is not itself a piece but
// occurs inside one, an extra key past the last piece; a pair table maps two keys to the piece
// their concatenation is.

import { PairTable } from "../bpe/pair-table.js";
import { WordCache } from "../text/word-cache.js";
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
  private readonly pairs: PairTable;
  /** BMP character → its symbol key (-1: occurs in no piece). */
  private readonly bmpKey = new Int32Array(0x10000).fill(-1);
  private readonly astralKey = new Map<number, number>();
  /** Characters that some piece holds before / after another character. */
  private readonly bmpLeads = new Uint8Array(0x10000);
  private readonly bmpTrails = new Uint8Array(0x10000);
  private readonly astralLeads = new Set<number>();
  private readonly astralTrails = new Set<number>();
  /** Every adjacent character pair inside a piece. */
  private readonly bigrams: PairTable;
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
    let extra = pieces.texts.length;
    const keyOf = (s: string): number => {
      const id = pieces.mergeable.get(s);
      if (id !== undefined) return id;
      const cp = s.codePointAt(0)!;
      if (s.length !== (cp > 0xffff ? 2 : 1)) return -1; // longer than a character and not a piece
      const known = cp > 0xffff ? this.astralKey.get(cp) : this.bmpKey[cp]!;
      if (known !== undefined && known >= 0) return known;
      this.setKey(cp, extra);
      return extra++;
    };
    // Single characters first, so that a character piece gets its own index as key.
    for (const [s, id] of pieces.mergeable) {
      const cp = s.codePointAt(0)!;
      if (s.length === (cp > 0xffff ? 2 : 1)) this.setKey(cp, id);
    }
    const splits: number[] = [];
    const bigrams: number[] = [];
    for (const [s, id] of pieces.mergeable) {
      let prevCp = -1;
      for (let i = 0; i < s.length; ) {
        const cp = s.codePointAt(i)!;
        const w = cp > 0xffff ? 2 : 1;
        if (prevCp >= 0) {
          bigrams.push(prevCp, cp);
          this.markLead(prevCp);
          this.markTrail(cp);
          const left = keyOf(s.slice(0, i));
          const right = keyOf(s.slice(i));
          if (left >= 0 && right >= 0) splits.push(left, right, id);
        }
        prevCp = cp;
        i += w;
      }
    }
    this.pairs = new PairTable(splits.length / 3 + 1);
    for (let k = 0; k < splits.length; k += 3) this.pairs.add(splits[k]!, splits[k + 1]!, 0, splits[k + 2]!);
    this.bigrams = new PairTable(bigrams.length / 2 + 1);
    for (let k = 0; k < bigrams.length; k += 2) this.bigrams.add(bigrams[k]!, bigrams[k + 1]!, 0, 0);
    this.wholeText = pieces.unused.includes(1);
  }

  private setKey(cp: number, key: number): void {
    if (cp > 0xffff) this.astralKey.set(cp, key);
    else this.bmpKey[cp] = key;
  }

  private markLead(cp: number): void {
    if (cp > 0xffff) this.astralLeads.add(cp);
    else this.bmpLeads[cp] = 1;
  }

  private markTrail(cp: number): void {
    if (cp > 0xffff) this.astralTrails.add(cp);
    else this.bmpTrails[cp] = 1;
  }

  encode(t: string, out: PieceList): void {
    const n = t.length;
    if (this.wholeText) {
      this.merge(t, 0, n, out, true);
      return;
    }
    let partStart = 0;
    let prevCp = -1;
    for (let i = 0; i < n; ) {
      let cp = t.charCodeAt(i);
      let w = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const d = t.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          w = 2;
        }
      }
      if (i > partStart && this.canCut(prevCp, cp)) {
        this.encodePart(t, partStart, i, out);
        partStart = i;
      }
      prevCp = cp;
      i += w;
    }
    if (n > partStart) this.encodePart(t, partStart, n, out);
  }

  /** Whether no piece can span the boundary between characters a and b. */
  private canCut(a: number, b: number): boolean {
    const lead = a > 0xffff ? this.astralLeads.has(a) : this.bmpLeads[a] === 1;
    if (!lead) return true;
    const trail = b > 0xffff ? this.astralTrails.has(b) : this.bmpTrails[b] === 1;
    return !trail || this.bigrams.find(a, b) < 0;
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
    for (let i = s; i < e; ) {
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
        key[m] = cp > 0xffff ? (this.astralKey.get(cp) ?? -1) : this.bmpKey[cp]!;
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
    const slot = this.pairs.find(a, b);
    if (slot < 0) return -1;
    const merged = this.pairs.mergedAt(slot);
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

  private grow(n: number): void {
    const cap = Math.max(n, this.key.length * 2);
    this.key = new Int32Array(cap);
    this.len = new Int32Array(cap);
    this.prev = new Int32Array(cap);
    this.next = new Int32Array(cap);
    this.frozen = new Uint8Array(cap);
    this.pairPiece = new Int32Array(cap);
  }
}

/** Max-heap of merge candidates by (score, then leftmost), on parallel typed arrays. */
class PairHeap {
  private score: Float64Array;
  private l: Int32Array;
  private r: Int32Array;
  private n: Int32Array;
  private m: Int32Array;
  size = 0;
  /** The last popped candidate. */
  left = 0;
  right = 0;
  length = 0;
  piece = 0;

  constructor(capacity: number) {
    const cap = Math.max(16, capacity);
    this.score = new Float64Array(cap);
    this.l = new Int32Array(cap);
    this.r = new Int32Array(cap);
    this.n = new Int32Array(cap);
    this.m = new Int32Array(cap);
  }

  private before(i: number, j: number): boolean {
    const a = this.score[i]!;
    const b = this.score[j]!;
    return a > b || (a === b && this.l[i]! < this.l[j]!);
  }

  private swap(i: number, j: number): void {
    const s = this.score[i]!;
    this.score[i] = this.score[j]!;
    this.score[j] = s;
    let t = this.l[i]!;
    this.l[i] = this.l[j]!;
    this.l[j] = t;
    t = this.r[i]!;
    this.r[i] = this.r[j]!;
    this.r[j] = t;
    t = this.n[i]!;
    this.n[i] = this.n[j]!;
    this.n[j] = t;
    t = this.m[i]!;
    this.m[i] = this.m[j]!;
    this.m[j] = t;
  }

  push(score: number, l: number, r: number, length: number, piece: number): void {
    if (this.size === this.score.length) this.grow();
    let i = this.size++;
    this.score[i] = score;
    this.l[i] = l;
    this.r[i] = r;
    this.n[i] = length;
    this.m[i] = piece;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Removes the best candidate into left/right/length/piece. */
  pop(): void {
    this.left = this.l[0]!;
    this.right = this.r[0]!;
    this.length = this.n[0]!;
    this.piece = this.m[0]!;
    const last = --this.size;
    if (last === 0) return;
    this.swap(0, last);
    let i = 0;
    for (;;) {
      const a = 2 * i + 1;
      const b = a + 1;
      let best = i;
      if (a < last && this.before(a, best)) best = a;
      if (b < last && this.before(b, best)) best = b;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private grow(): void {
    const cap = this.score.length * 2;
    const f = new Float64Array(cap);
    f.set(this.score);
    this.score = f;
    const g = (a: Int32Array): Int32Array => {
      const x = new Int32Array(cap);
      x.set(a);
      return x;
    };
    this.l = g(this.l);
    this.r = g(this.r);
    this.n = g(this.n);
    this.m = g(this.m);
  }
}
