// GPT-2 byte-level BPE: pre-tokenize, map UTF-8 bytes to symbols, merge by rank, cache words.
import { GlmjsError } from "@glmjs/common";
import type { TextModel } from "../types.js";
import { TokenizerFileError } from "../errors.js";
import { BYTE_TO_CHAR, symbolsToBytes } from "./byte-map.js";
import { mergeWord } from "./merge-word.js";
import { PairTable } from "./pair-table.js";
import { forEachPreToken } from "./for-each-pre-token.js";
import { encodeUtf8, utf8Width } from "./utf8.js";
import { WordCache } from "../text/word-cache.js";

const CACHE_MAX_WORD = 64;

export interface BpeSources {
  /** File names used in error messages. */
  vocabFile?: string;
  mergesFile?: string;
}

export class ByteLevelBpeModel implements TextModel {
  readonly kind = "bpe" as const;
  readonly size: number;
  /** Token string of every id (holes where the vocab skips ids). */
  readonly tokens: readonly string[];
  readonly merges: readonly (readonly [string, string])[];
  private readonly vocab: Map<string, number>;
  private readonly pairs: PairTable;
  private readonly byteSym = new Int32Array(256);
  private readonly byteLen: Int32Array;
  private readonly cache = new WordCache();
  private tokenBytes: (Uint8Array | undefined)[] = [];
  private buf: Uint8Array = new Uint8Array(1024);
  private syms: Int32Array = new Int32Array(1024);
  private readonly decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

  constructor(vocab: Map<string, number>, merges: readonly (readonly [string, string])[], sources: BpeSources = {}) {
    const vocabFile = sources.vocabFile ?? "vocab.json";
    const mergesFile = sources.mergesFile ?? "merges.txt";
    this.vocab = vocab;
    this.merges = merges;
    let maxId = -1;
    for (const id of vocab.values()) if (id > maxId) maxId = id;
    const tokens: string[] = [];
    tokens.length = maxId + 1;
    for (const [t, id] of vocab) tokens[id] = t;
    this.tokens = tokens;
    this.size = vocab.size;
    this.byteLen = new Int32Array(maxId + 1);
    for (const [t, id] of vocab) this.byteLen[id] = symbolsToBytes(t)?.length ?? t.length;
    for (let b = 0; b < 256; b++) {
      const id = vocab.get(BYTE_TO_CHAR[b]!);
      if (id === undefined)
        throw new TokenizerFileError(
          vocabFile,
          `has no entry for byte 0x${b.toString(16)} (${JSON.stringify(BYTE_TO_CHAR[b])}); a byte-level BPE vocabulary needs all 256`,
        );
      this.byteSym[b] = id;
    }
    this.pairs = new PairTable(merges.length);
    merges.forEach(([a, b], rank) => {
      const ia = vocab.get(a);
      const ib = vocab.get(b);
      const im = vocab.get(a + b);
      if (ia === undefined || ib === undefined || im === undefined) {
        const missing = ia === undefined ? a : ib === undefined ? b : a + b;
        throw new TokenizerFileError(mergesFile, `merge ${rank + 1} "${a} ${b}": ${JSON.stringify(missing)} is not in ${vocabFile}`);
      }
      this.pairs.add(ia, ib, rank, im);
    });
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  encodeRange(text: string, start: number, end: number, ids: number[], offsets: [number, number][] | null): void {
    forEachPreToken(text, start, end, (s, e) => {
      let word: Int32Array | undefined;
      if (e - s <= CACHE_MAX_WORD) {
        const h = this.cache.hash(text, s, e);
        word = this.cache.get(text, s, e, h);
        if (word === undefined) {
          word = this.bpe(text, s, e);
          this.cache.set(text.slice(s, e), h, word);
        }
      } else word = this.bpe(text, s, e);
      for (let k = 0; k < word.length; k++) ids.push(word[k]!);
      if (offsets) this.pushOffsets(text, s, e, word, offsets);
    });
  }

  /** Token ids of one pre-token. */
  private bpe(text: string, s: number, e: number): Int32Array {
    const [buf, n] = encodeUtf8(text, s, e, this.buf);
    this.buf = buf;
    if (this.syms.length < n) this.syms = new Int32Array(n * 2);
    const syms = this.syms;
    for (let i = 0; i < n; i++) syms[i] = this.byteSym[buf[i]!]!;
    const m = mergeWord(syms, n, this.pairs);
    return syms.slice(0, m);
  }

  /**
   * Character span of every token of the pre-token [s, e): the characters whose last UTF-8 byte
   * the token holds. A character split across tokens belongs to the token that completes it; a
   * token holding only part of a character gets an empty span where that character starts.
   */
  private pushOffsets(text: string, s: number, e: number, word: Int32Array, offsets: [number, number][]): void {
    let unit = s; // first character not yet complete
    let have = 0; // bytes of it already in earlier tokens
    for (let k = 0; k < word.length; k++) {
      let bytes = this.byteLen[word[k]!]!;
      const start = unit;
      while (bytes > 0 && unit < e) {
        const w = utf8Width(text, unit, e);
        const need = w - have;
        if (bytes >= need) {
          bytes -= need;
          have = 0;
          unit += w === 4 ? 2 : 1;
        } else {
          have += bytes;
          bytes = 0;
        }
      }
      offsets.push([start, unit]);
    }
  }

  private bytesOf(id: number): Uint8Array {
    let b = this.tokenBytes[id];
    if (b === undefined) {
      const t = this.tokens[id];
      if (t === undefined) throw new GlmjsError("INPUT_INVALID", `id ${id} is not in the BPE vocabulary (0..${this.tokens.length - 1})`);
      b = symbolsToBytes(t) ?? new TextEncoder().encode(t);
      this.tokenBytes[id] = b;
    }
    return b;
  }

  decodeText(ids: readonly number[]): string {
    let n = 0;
    const parts = ids.map((id) => {
      const b = this.bytesOf(id);
      n += b.length;
      return b;
    });
    const all = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    return this.decoder.decode(all);
  }
}
