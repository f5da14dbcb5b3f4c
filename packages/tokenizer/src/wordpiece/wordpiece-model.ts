// BERT WordPiece (the original's BasicTokenizer + WordpieceTokenizer), with offsets.
// Words made only of ASCII letters/digits/punctuation take a fast path (table lookups, a
// word cache); any other word goes through the exact Unicode rules in normalize-word.ts.
import type { TextModel } from "../types.js";
import { charFlags, CONTROL, PUNCT, SPACE_SEP } from "../text/unicode.js";
import { isCjkIdeograph } from "../text/cjk.js";
import { normalizeWord } from "./normalize-word.js";
import { WordCache } from "../text/word-cache.js";

const DROP = 0;
const SPACE = 1;
const ASCII_PUNCT = 2;
const WORD = 3;

/** Class of every ASCII character in BERT's basic tokenizer. */
const ASCII_CLASS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if (c === 9 || c === 10 || c === 13 || c === 32) t[c] = SPACE;
    else if (c < 32 || c === 127) t[c] = DROP;
    else if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) t[c] = ASCII_PUNCT;
    else t[c] = WORD;
  }
  return t;
})();

export interface WordPieceOptions {
  unkToken?: string;
  lowerCase?: boolean;
  maxInputCharsPerWord?: number;
  continuingSubwordPrefix?: string;
}

const CACHE_LIMIT = 200_000;

export class WordPieceModel implements TextModel {
  readonly kind = "wordpiece" as const;
  readonly size: number;
  readonly vocab: readonly string[];
  readonly unkToken: string;
  readonly lowerCase: boolean;
  readonly maxInputCharsPerWord: number;
  readonly prefix: string;
  private readonly whole = new Map<string, number>();
  private readonly cont = new Map<string, number>();
  private readonly unkId: number;
  private readonly asciiPunctId = new Int32Array(128).fill(-1);
  private readonly cache = new Map<string, Int32Array>();
  /** ASCII words by their text in the input (case folded when lower-casing). */
  private readonly asciiCache: WordCache;
  /** Raw non-ASCII word → [id, start, end, …] (offsets relative to the word's start). */
  private readonly generalCache = new Map<string, Int32Array>();
  /** When set, encodeRange reports the pre-tokenized words here instead of WordPiece ids (training). */
  private collector: ((word: string) => void) | null = null;

  constructor(vocab: readonly string[], options: WordPieceOptions = {}) {
    this.vocab = vocab;
    this.size = vocab.length;
    this.unkToken = options.unkToken ?? "[UNK]";
    this.lowerCase = options.lowerCase ?? true;
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.prefix = options.continuingSubwordPrefix ?? "##";
    this.asciiCache = new WordCache(1 << 18, this.lowerCase);
    // Later duplicates win, as in the original's dict built line by line.
    vocab.forEach((t, id) => {
      this.whole.set(t, id);
      if (t.startsWith(this.prefix)) this.cont.set(t.slice(this.prefix.length), id);
    });
    const unk = this.whole.get(this.unkToken);
    if (unk === undefined) throw new Error(`WordPiece vocabulary has no unknown token ${JSON.stringify(this.unkToken)}`);
    this.unkId = unk;
    for (let c = 0; c < 128; c++) if (ASCII_CLASS[c] === ASCII_PUNCT) this.asciiPunctId[c] = this.whole.get(String.fromCharCode(c)) ?? unk;
  }

  tokenToId(token: string): number | undefined {
    return this.whole.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocab[id];
  }

  encodeRange(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const cls = ASCII_CLASS[c]!;
        if (cls === SPACE || cls === DROP) {
          i++;
          continue;
        }
      } else {
        const cp = codePoint(text, i, end);
        const f = charFlags(cp);
        const len = cp > 0xffff ? 2 : 1;
        if (isBoundary(cp, f) || isDropped(cp, f)) {
          i += len;
          continue;
        }
        if (isCjkIdeograph(cp)) {
          this.generalWord(text, i, i + len, ids, offsets);
          i += len;
          continue;
        }
      }
      // A word: up to the next whitespace or CJK ideograph.
      let j = i;
      let simple = true;
      while (j < end) {
        const d = text.charCodeAt(j);
        if (d < 128) {
          const cls = ASCII_CLASS[d]!;
          if (cls === SPACE) break;
          if (cls === DROP) simple = false;
          j++;
          continue;
        }
        const cp = codePoint(text, j, end);
        const f = charFlags(cp);
        if (isBoundary(cp, f) || isCjkIdeograph(cp)) break;
        simple = false;
        j += cp > 0xffff ? 2 : 1;
      }
      if (simple) this.asciiWord(text, i, j, ids, offsets);
      else this.generalWord(text, i, j, ids, offsets);
      i = j;
    }
  }

  private asciiWord(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    let runStart = start;
    for (let i = start; i <= end; i++) {
      const c = i < end ? text.charCodeAt(i) : 32;
      if (i < end && ASCII_CLASS[c] === WORD) continue;
      if (i > runStart) {
        if (this.collector) {
          const w = text.slice(runStart, i);
          this.collector(this.lowerCase ? w.toLowerCase() : w);
        } else {
          const h = this.asciiCache.hash(text, runStart, i);
          let pieces = this.asciiCache.get(text, runStart, i, h);
          if (pieces === undefined) {
            let w = text.slice(runStart, i);
            if (this.lowerCase) w = w.toLowerCase();
            pieces = this.wordPiece(w);
            this.asciiCache.set(w, h, pieces);
          }
          let pos = runStart;
          for (let k = 0; k < pieces.length; k += 2) {
            ids.push(pieces[k]!);
            const len = pieces[k + 1]!;
            if (offsets) offsets.push([pos, pos + len]);
            pos += len;
          }
        }
      }
      if (i < end && this.collector) this.collector(text[i]!);
      else if (i < end) {
        ids.push(this.asciiPunctId[c]!);
        if (offsets) offsets.push([i, i + 1]);
      }
      runStart = i + 1;
    }
  }

  private generalWord(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    if (this.collector) {
      this.generalWordUncached(text, start, end, ids, offsets);
      return;
    }
    const key = text.slice(start, end);
    let hit = this.generalCache.get(key);
    if (hit === undefined) {
      const wIds: number[] = [];
      const wOffsets: [number, number][] = [];
      this.generalWordUncached(key, 0, key.length, wIds, wOffsets);
      hit = new Int32Array(wIds.length * 3);
      wIds.forEach((id, k) => {
        hit![3 * k] = id;
        hit![3 * k + 1] = wOffsets[k]![0];
        hit![3 * k + 2] = wOffsets[k]![1];
      });
      if (this.generalCache.size >= CACHE_LIMIT) this.generalCache.clear();
      this.generalCache.set(key, hit);
    }
    for (let k = 0; k < hit.length; k += 3) {
      ids.push(hit[k]!);
      if (offsets) offsets.push([start + hit[k + 1]!, start + hit[k + 2]!]);
    }
  }

  private generalWordUncached(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    const cps: number[] = [];
    const cpStarts: number[] = [];
    for (let i = start; i < end; ) {
      const cp = codePoint(text, i, end);
      const len = cp > 0xffff ? 2 : 1;
      if (cp >= 128 ? !isDropped(cp, charFlags(cp)) : ASCII_CLASS[cp] !== DROP) {
        cps.push(cp);
        cpStarts.push(i);
      }
      i += len;
    }
    if (cps.length === 0) return;
    const norm = normalizeWord(cps, cpStarts, this.lowerCase);
    const t = norm.text;
    let runStart = 0;
    for (let i = 0; i <= t.length; ) {
      const cp = i < t.length ? codePoint(t, i, t.length) : 32;
      const len = cp > 0xffff ? 2 : 1;
      const punct = i < t.length && (cp < 128 ? ASCII_CLASS[cp] === ASCII_PUNCT : (charFlags(cp) & PUNCT) !== 0);
      if (i < t.length && !punct) {
        i += len;
        continue;
      }
      if (i > runStart) this.emitPieces(t.slice(runStart, i), runStart, norm.starts, norm.ends, ids, offsets);
      if (i < t.length) this.emitPieces(t.slice(i, i + len), i, norm.starts, norm.ends, ids, offsets);
      i += len;
      runStart = i;
    }
  }

  /** Greedy longest-match WordPiece of one (normalised) token; offsets via the unit maps. */
  private emitPieces(
    w: string,
    at: number,
    starts: Int32Array | null,
    ends: Int32Array | null,
    ids: number[],
    offsets: [number, number][] | null,
  ): void {
    if (this.collector) {
      this.collector(w);
      return;
    }
    let pieces = this.cache.get(w);
    if (pieces === undefined) {
      pieces = this.wordPiece(w);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(w, pieces);
    }
    let pos = at;
    for (let k = 0; k < pieces.length; k += 2) {
      ids.push(pieces[k]!);
      const len = pieces[k + 1]!;
      if (offsets) {
        if (starts && ends) offsets.push([starts[pos]!, ends[pos + len - 1]!]);
        else offsets.push([pos, pos + len]);
      }
      pos += len;
    }
  }

  /** The words BERT's basic tokenizer splits `text` into (lower-cased, accents stripped, punctuation apart). */
  preTokenize(text: string, onWord: (word: string) => void): void {
    this.collector = onWord;
    try {
      this.encodeRange(text, 0, text.length, [], null);
    } finally {
      this.collector = null;
    }
  }

  /** [id, length, id, length, …] of one token. */
  wordPiece(w: string): Int32Array {
    const n = w.length;
    if (n > this.maxInputCharsPerWord && countCodePoints(w) > this.maxInputCharsPerWord) return Int32Array.of(this.unkId, n);
    const out: number[] = [];
    let start = 0;
    while (start < n) {
      let end = n;
      let found = -1;
      const map = start === 0 ? this.whole : this.cont;
      while (end > start) {
        const id = map.get(w.slice(start, end));
        if (id !== undefined) {
          found = id;
          break;
        }
        end--;
      }
      if (found < 0) return Int32Array.of(this.unkId, n);
      out.push(found, end - start);
      start = end;
    }
    return Int32Array.from(out);
  }

  decodeText(ids: readonly number[]): string {
    return joinWordPieces(ids.map((id) => this.vocab[id] ?? ""), this.prefix);
  }
}

/** The original DecodeIds: `##` pieces glued onto the previous piece, the rest joined by spaces. */
export function joinWordPieces(tokens: readonly string[], prefix = "##"): string {
  const out: string[] = [];
  for (const t of tokens) {
    if (t.startsWith(prefix) && out.length > 0) out[out.length - 1] += t.slice(prefix.length);
    else out.push(t);
  }
  return out.join(" ");
}

function codePoint(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

/** Whitespace that separates words after cleaning: Zs (mapped to a space) and U+2028/2029 (`str.split()`). */
function isBoundary(cp: number, flags: number): boolean {
  return (flags & SPACE_SEP) !== 0 || cp === 0x2028 || cp === 0x2029;
}

/** Removed by `_clean_text`: U+FFFD and category C* (non-ASCII here; ASCII via the table). */
function isDropped(cp: number, flags: number): boolean {
  return cp === 0xfffd || (flags & CONTROL) !== 0;
}
