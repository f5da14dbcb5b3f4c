// BERT's basic tokenizer (the original's BasicTokenizer): drop NUL, U+FFFD and control
// characters, split on whitespace (Python `str.split()`, U+2028/2029 included), isolate CJK
// ideographs, lower-case and strip accents, split off punctuation. It hands its tokens to a sink
// (WordPiece, or the word counter of training) in three kinds, so that the common case, a run
// of ASCII letters and digits, needs no normalisation or string at all.
import { charFlags, CONTROL, PUNCT, SPACE_SEP } from "../text/unicode.js";
import { isCjkIdeograph } from "../text/cjk.js";
import { normalizeWord } from "./normalize-word.js";

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

/** Whether an ASCII character is punctuation to BERT (and so a token of its own). */
export function isAsciiPunct(c: number): boolean {
  return c < 128 && ASCII_CLASS[c] === ASCII_PUNCT;
}

export interface BasicTokenSink {
  /** text[s, e): ASCII letters and digits, as in the input (lower-case them when lower-casing). */
  asciiWord(text: string, s: number, e: number): void;
  /** The ASCII punctuation character at text[i]. */
  asciiPunct(text: string, i: number): void;
  /**
   * Any other word, text[s, e) (non-ASCII characters, or characters to drop): its tokens come from
   * `splitWord`, which a sink may cache by the word's text.
   */
  otherWord(text: string, s: number, e: number): void;
}

/**
 * One token of `splitWord`: `token` is the normalised text; unit k of it came from input
 * `[starts[at + k], ends[at + k])` (both arrays index the whole normalised word).
 */
export type WordTokenCallback = (token: string, at: number, starts: Int32Array, ends: Int32Array) => void;

export class BertBasicTokenizer {
  constructor(readonly lowerCase = true) {}

  /** Walks text[start, end) and reports its tokens to `sink`, left to right. */
  tokenize(text: string, start: number, end: number, sink: BasicTokenSink): void {
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
          sink.otherWord(text, i, i + len);
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
      if (simple) this.asciiRuns(text, i, j, sink);
      else sink.otherWord(text, i, j);
      i = j;
    }
  }

  /** An all-ASCII word without characters to drop: runs of letters/digits and punctuation marks. */
  private asciiRuns(text: string, start: number, end: number, sink: BasicTokenSink): void {
    let runStart = start;
    for (let i = start; i < end; i++) {
      if (ASCII_CLASS[text.charCodeAt(i)] === WORD) continue;
      if (i > runStart) sink.asciiWord(text, runStart, i);
      sink.asciiPunct(text, i);
      runStart = i + 1;
    }
    if (end > runStart) sink.asciiWord(text, runStart, end);
  }

  /** The tokens of one word of `otherWord`: cleaned, normalised, punctuation split off. */
  splitWord(text: string, start: number, end: number, emit: WordTokenCallback): void {
    const cps: number[] = [];
    const cpStarts: number[] = [];
    for (let i = start; i < end;) {
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
    for (let i = 0; i < t.length;) {
      const cp = codePoint(t, i, t.length);
      const len = cp > 0xffff ? 2 : 1;
      const punct = cp < 128 ? ASCII_CLASS[cp] === ASCII_PUNCT : (charFlags(cp) & PUNCT) !== 0;
      if (punct) {
        if (i > runStart) emit(t.slice(runStart, i), runStart, norm.starts, norm.ends);
        emit(t.slice(i, i + len), i, norm.starts, norm.ends);
        runStart = i + len;
      }
      i += len;
    }
    if (t.length > runStart) emit(t.slice(runStart), runStart, norm.starts, norm.ends);
  }

  /** The tokens of `text` as strings (lower-cased, accents stripped, punctuation apart). */
  words(text: string, onWord: (word: string) => void): void {
    const emit: WordTokenCallback = (token) => onWord(token);
    this.tokenize(text, 0, text.length, {
      asciiWord: (t, s, e) => onWord(this.lowerCase ? t.slice(s, e).toLowerCase() : t.slice(s, e)),
      asciiPunct: (t, i) => onWord(t[i]!),
      otherWord: (t, s, e) => this.splitWord(t, s, e, emit),
    });
  }
}

export function codePoint(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** Whitespace that separates words after cleaning: Zs (mapped to a space) and U+2028/2029 (`str.split()`). */
function isBoundary(cp: number, flags: number): boolean {
  return (flags & SPACE_SEP) !== 0 || cp === 0x2028 || cp === 0x2029;
}

/** Removed by `_clean_text`: U+FFFD and category C* (non-ASCII here; ASCII via the table). */
function isDropped(cp: number, flags: number): boolean {
  return cp === 0xfffd || (flags & CONTROL) !== 0;
}
