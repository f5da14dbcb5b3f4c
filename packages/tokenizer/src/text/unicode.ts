// Character classes the tokenizers need (Unicode general categories and whitespace sets),
// as bit flags in a lazily built table for the BMP plus a small cache for astral code points.
// Built from the JS engine's Unicode data with `\p{…}` regexes once, so the hot loops only do
// an array lookup.

export const LETTER = 1; // \p{L}
export const NUMBER = 2; // \p{N}
/** The `regex` module's `\s` (Unicode White_Space), which GPT-2's pre-tokenizer uses. */
export const REGEX_SPACE = 4;
export const PUNCT = 8; // \p{P}
export const CONTROL = 16; // \p{C}: Cc Cf Cs Co Cn
export const SPACE_SEP = 32; // \p{Zs}
export const NONSPACING_MARK = 64; // \p{Mn}
/** Python's `str.isspace()`, used by `str.split()` / `str.strip()`. */
export const PY_SPACE = 128;

let bmp: Uint8Array | undefined;
const astral = new Map<number, number>();

const reL = /^\p{L}$/u;
const reN = /^\p{N}$/u;
const reP = /^\p{P}$/u;
const reC = /^\p{C}$/u;
const reZs = /^\p{Zs}$/u;
const reMn = /^\p{Mn}$/u;

function isRegexSpace(cp: number): boolean {
  return (
    (cp >= 9 && cp <= 13) ||
    cp === 0x20 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

function isPySpace(cp: number): boolean {
  return isRegexSpace(cp) || (cp >= 0x1c && cp <= 0x1f);
}

function compute(cp: number): number {
  const s = String.fromCodePoint(cp);
  let f = 0;
  if (reL.test(s)) f |= LETTER;
  else if (reN.test(s)) f |= NUMBER;
  else if (reP.test(s)) f |= PUNCT;
  else if (reC.test(s)) f |= CONTROL;
  else if (reZs.test(s)) f |= SPACE_SEP;
  else if (reMn.test(s)) f |= NONSPACING_MARK;
  if (isRegexSpace(cp)) f |= REGEX_SPACE;
  if (isPySpace(cp)) f |= PY_SPACE;
  return f;
}

function buildBmp(): Uint8Array {
  const t = new Uint8Array(0x10000);
  for (let cp = 0; cp < 0x10000; cp++) t[cp] = compute(cp);
  return t;
}

/** Flags of a code point (any value 0..0x10FFFF, lone surrogates included). */
export function charFlags(cp: number): number {
  if (cp < 0x10000) return (bmp ??= buildBmp())[cp]!;
  let f = astral.get(cp);
  if (f === undefined) {
    f = compute(cp);
    if (astral.size > 65536) astral.clear();
    astral.set(cp, f);
  }
  return f;
}

/** The BMP flag table (built on first use). */
export function bmpFlags(): Uint8Array {
  return (bmp ??= buildBmp());
}

/** Code point at `i` of `s` (a lone surrogate is returned as itself). */
export function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** True when `s.slice(start, end)` holds only Python whitespace (or nothing). */
export function isPyBlank(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isPySpace(s.charCodeAt(i))) return false;
  return true;
}

/** Python's `str.rstrip()` end index for `s.slice(start, end)`. */
export function pyRstripEnd(s: string, start: number, end: number): number {
  while (end > start && isPySpace(s.charCodeAt(end - 1))) end--;
  return end;
}

/** Python's `str.lstrip()` start index for `s.slice(start, end)`. */
export function pyLstripStart(s: string, start: number, end: number): number {
  while (start < end && isPySpace(s.charCodeAt(start))) start++;
  return start;
}
