// GPT-2's pre-tokenization pattern
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// (Python `regex` semantics, `\s` = Unicode White_Space) as a hand-written scanner: one pass,
// no backtracking, linear in the input whatever it holds.
import { bmpFlags, charFlags, LETTER, NUMBER, REGEX_SPACE } from "../text/unicode.js";

const L = 1;
const N = 2;
const S = 3;
const O = 4;

function classOf(flags: number): number {
  if (flags & LETTER) return L;
  if (flags & NUMBER) return N;
  if (flags & REGEX_SPACE) return S;
  return O;
}

/** Calls `piece(start, end)` for each pre-token of `text.slice(start, end)`, in order. */
export function forEachPreToken(text: string, start: number, end: number, piece: (s: number, e: number) => void): void {
  const table = bmpFlags();
  // Class and width of the code point at position p.
  let cls = 0;
  let width = 1;
  const look = (p: number): void => {
    const c = text.charCodeAt(p);
    if (c >= 0xd800 && c <= 0xdbff && p + 1 < end) {
      const d = text.charCodeAt(p + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cls = classOf(charFlags(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000));
        width = 2;
        return;
      }
    }
    cls = classOf(table[c]!);
    width = 1;
  };
  // Extends a run of class k from p; returns its end.
  const run = (p: number, k: number): number => {
    while (p < end) {
      look(p);
      if (cls !== k) break;
      p += width;
    }
    return p;
  };

  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 39 /* ' */ && i + 1 < end) {
      const len = contraction(text, i, end);
      if (len > 0) {
        piece(i, i + len);
        i += len;
        continue;
      }
    }
    look(i);
    const k = cls;
    const w = width;
    if (c === 32 && i + 1 < end) {
      look(i + 1);
      if (cls !== S) {
        const e = run(i + 1, cls);
        piece(i, e);
        i = e;
        continue;
      }
    }
    if (k !== S) {
      const e = run(i + w, k);
      piece(i, e);
      i = e;
      continue;
    }
    // Whitespace run [i, e): `\s+(?!\S)` leaves its last character to the next piece when
    // text follows; a lone whitespace character before text is matched by `\s+` alone.
    const e = run(i + w, S);
    if (e >= end) {
      piece(i, e);
      i = e;
      continue;
    }
    const lastStart = lastCharStart(text, i, e);
    if (lastStart > i) {
      piece(i, lastStart);
      i = lastStart;
    } else {
      piece(i, e);
      i = e;
    }
  }
}

function lastCharStart(text: string, start: number, end: number): number {
  const c = text.charCodeAt(end - 1);
  if (c >= 0xdc00 && c <= 0xdfff && end - 2 >= start) {
    const h = text.charCodeAt(end - 2);
    if (h >= 0xd800 && h <= 0xdbff) return end - 2;
  }
  return end - 1;
}

/** Length of the contraction (`'s 't 're 've 'm 'll 'd`) at i, or 0. */
function contraction(text: string, i: number, end: number): number {
  const a = text.charCodeAt(i + 1);
  if (a === 115 || a === 116 || a === 109 || a === 100) return 2; // s t m d
  if (i + 2 < end) {
    const b = text.charCodeAt(i + 2);
    if ((a === 114 && b === 101) || (a === 118 && b === 101) || (a === 108 && b === 108)) return 3; // re ve ll
  }
  return 0;
}
