// WordPiece (the original's WordpieceTokenizer) on the tokens of BERT's basic tokenizer
// (basic-tokenizer.ts): greedy longest match with `##` continuations; a token that cannot be
// matched or is over 100 characters becomes [UNK]. With offsets. ASCII words are cached by their
// input text and other words by their raw text, so a repeated word costs one hash lookup.
import { GlmjsError } from "@glmjs/common";
import type { TextModel } from "../types.js";
import { WordCache } from "../text/word-cache.js";
import { BertBasicTokenizer, isAsciiPunct, type BasicTokenSink } from "./basic-tokenizer.js";

export interface WordPieceOptions {
  unkToken?: string;
  lowerCase?: boolean;
  maxInputCharsPerWord?: number;
  continuingSubwordPrefix?: string;
}

const CACHE_LIMIT = 200_000;
const NO_IDS: number[] = [];

export class WordPieceModel implements TextModel {
  readonly kind = "wordpiece" as const;
  readonly size: number;
  readonly vocab: readonly string[];
  readonly unkToken: string;
  readonly lowerCase: boolean;
  readonly maxInputCharsPerWord: number;
  readonly prefix: string;
  private readonly basic: BertBasicTokenizer;
  private readonly whole = new Map<string, number>();
  private readonly cont = new Map<string, number>();
  private readonly unkId: number;
  private readonly asciiPunctId = new Int32Array(128).fill(-1);
  /** Normalised token → [id, length, …]. */
  private readonly cache = new Map<string, Int32Array>();
  /** ASCII words by their text in the input (case folded when lower-casing). */
  private readonly asciiCache: WordCache;
  /** Raw non-ASCII word → [id, start, end, …] (offsets relative to the word's start). */
  private readonly generalCache = new Map<string, Int32Array>();
  /** Where the current encodeRange call puts its ids and offsets. */
  private ids: number[] = NO_IDS;
  private offsets: [number, number][] | null = null;
  private readonly sink: BasicTokenSink = {
    asciiWord: (text, s, e) => this.asciiWord(text, s, e),
    asciiPunct: (text, i) => this.asciiPunct(text, i),
    otherWord: (text, s, e) => this.otherWord(text, s, e),
  };

  constructor(vocab: readonly string[], options: WordPieceOptions = {}) {
    this.vocab = vocab;
    this.size = vocab.length;
    this.unkToken = options.unkToken ?? "[UNK]";
    this.lowerCase = options.lowerCase ?? true;
    this.maxInputCharsPerWord = options.maxInputCharsPerWord ?? 100;
    this.prefix = options.continuingSubwordPrefix ?? "##";
    this.basic = new BertBasicTokenizer(this.lowerCase);
    this.asciiCache = new WordCache(1 << 18, this.lowerCase);
    // Later duplicates win, as in the original's dict built line by line.
    vocab.forEach((t, id) => {
      this.whole.set(t, id);
      if (t.startsWith(this.prefix)) this.cont.set(t.slice(this.prefix.length), id);
    });
    const unk = this.whole.get(this.unkToken);
    if (unk === undefined) throw new GlmjsError("TOKENIZER_FILE_INVALID", `WordPiece vocabulary has no unknown token ${JSON.stringify(this.unkToken)}`);
    this.unkId = unk;
    for (let c = 0; c < 128; c++) if (isAsciiPunct(c)) this.asciiPunctId[c] = this.whole.get(String.fromCharCode(c)) ?? unk;
  }

  tokenToId(token: string): number | undefined {
    return this.whole.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.vocab[id];
  }

  encodeRange(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    this.ids = ids;
    this.offsets = offsets;
    try {
      this.basic.tokenize(text, start, end, this.sink);
    } finally {
      this.ids = NO_IDS;
      this.offsets = null;
    }
  }

  private asciiWord(text: string, s: number, e: number): void {
    const h = this.asciiCache.hash(text, s, e);
    let pieces = this.asciiCache.get(text, s, e, h);
    if (pieces === undefined) {
      let w = text.slice(s, e);
      if (this.lowerCase) w = w.toLowerCase();
      pieces = this.wordPiece(w);
      this.asciiCache.set(w, h, pieces);
    }
    let pos = s;
    for (let k = 0; k < pieces.length; k += 2) {
      this.ids.push(pieces[k]!);
      const len = pieces[k + 1]!;
      if (this.offsets) this.offsets.push([pos, pos + len]);
      pos += len;
    }
  }

  private asciiPunct(text: string, i: number): void {
    this.ids.push(this.asciiPunctId[text.charCodeAt(i)]!);
    if (this.offsets) this.offsets.push([i, i + 1]);
  }

  private otherWord(text: string, start: number, end: number): void {
    const key = text.slice(start, end);
    let hit = this.generalCache.get(key);
    if (hit === undefined) {
      const out: number[] = [];
      this.basic.splitWord(key, 0, key.length, (token, at, starts, ends) => {
        const pieces = this.piecesOf(token);
        let pos = at;
        for (let k = 0; k < pieces.length; k += 2) {
          const len = pieces[k + 1]!;
          out.push(pieces[k]!, starts[pos]!, ends[pos + len - 1]!);
          pos += len;
        }
      });
      hit = Int32Array.from(out);
      if (this.generalCache.size >= CACHE_LIMIT) this.generalCache.clear();
      this.generalCache.set(key, hit);
    }
    for (let k = 0; k < hit.length; k += 3) {
      this.ids.push(hit[k]!);
      if (this.offsets) this.offsets.push([start + hit[k + 1]!, start + hit[k + 2]!]);
    }
  }

  /** [id, length, …] of one normalised token, cached. */
  private piecesOf(w: string): Int32Array {
    let pieces = this.cache.get(w);
    if (pieces === undefined) {
      pieces = this.wordPiece(w);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(w, pieces);
    }
    return pieces;
  }

  /** The words BERT's basic tokenizer splits `text` into (lower-cased, accents stripped, punctuation apart). */
  preTokenize(text: string, onWord: (word: string) => void): void {
    this.basic.words(text, onWord);
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
    return joinWordPieces(
      ids.map((id) => this.vocab[id] ?? ""),
      this.prefix,
    );
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

function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}
