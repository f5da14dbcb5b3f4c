// BERT's per-word normalisation for words with non-ASCII characters: Python `str.lower()`,
// NFD, delete category Mn; plus a map from every normalised UTF-16 unit back to the span of
// the input character it came from (for offsets).
import { charFlags, NONSPACING_MARK } from "../text/unicode.js";

const perChar = new Map<number, string>();

function lowerStrip(s: string): string {
  const nfd = s.toLowerCase().normalize("NFD");
  let out = "";
  for (const ch of nfd) if ((charFlags(ch.codePointAt(0)!) & NONSPACING_MARK) === 0) out += ch;
  return out;
}

function lowerStripChar(cp: number): string {
  let r = perChar.get(cp);
  if (r === undefined) {
    r = lowerStrip(String.fromCodePoint(cp));
    if (perChar.size > 100_000) perChar.clear();
    perChar.set(cp, r);
  }
  return r;
}

export interface NormalizedWord {
  text: string;
  /** Input start offset of each UTF-16 unit of `text`. */
  starts: Int32Array;
  /** Input end offset of each UTF-16 unit of `text`. */
  ends: Int32Array;
}

/**
 * Normalises the kept characters of one word. `cps`/`cpStarts` are the word's code points and
 * their input offsets (dropped control characters already removed).
 */
export function normalizeWord(cps: readonly number[], cpStarts: readonly number[], lowerCase: boolean): NormalizedWord {
  let perCharText = "";
  const starts: number[] = [];
  const ends: number[] = [];
  let whole = "";
  for (let k = 0; k < cps.length; k++) {
    const cp = cps[k]!;
    const ch = String.fromCodePoint(cp);
    whole += ch;
    const n = lowerCase ? lowerStripChar(cp) : ch;
    perCharText += n;
    const s = cpStarts[k]!;
    const e = s + ch.length;
    for (let u = 0; u < n.length; u++) {
      starts.push(s);
      ends.push(e);
    }
  }
  // Lower-casing has context rules (final sigma): the whole-word result is authoritative.
  const text = lowerCase ? lowerStrip(whole) : whole;
  if (text.length !== perCharText.length) {
    const s0 = cpStarts[0] ?? 0;
    const eLast = cps.length ? cpStarts[cps.length - 1]! + String.fromCodePoint(cps[cps.length - 1]!).length : s0;
    return { text, starts: new Int32Array(text.length).fill(s0), ends: new Int32Array(text.length).fill(eLast) };
  }
  return { text, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}
