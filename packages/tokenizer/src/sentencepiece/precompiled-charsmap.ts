// The normaliser's precompiled character map of a SentencePiece model: a 4-byte trie size, a
// darts-clone double-array trie over UTF-8 bytes, then NUL-terminated replacement strings the
// trie's values point into. Walked here straight from UTF-16 text (each character's UTF-8 bytes
// are produced on the fly), so no UTF-8 copy of the input is ever made.
import { GlmjsError } from "@glmjs/common";

export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  private readonly strings: Uint8Array;
  private readonly replacements = new Map<number, string>();
  private readonly decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  /** Replacement string of the last successful `match`. */
  matched = "";

  constructor(map: Uint8Array) {
    if (map.length === 0) {
      this.units = new Uint32Array(0);
      this.strings = new Uint8Array(0);
      return;
    }
    if (map.length < 4) throw new GlmjsError("TOKENIZER_FILE_INVALID", "precompiled_charsmap is shorter than its 4-byte header");
    const dv = new DataView(map.buffer, map.byteOffset, map.byteLength);
    const trieSize = dv.getUint32(0, true);
    if (trieSize % 4 !== 0 || 4 + trieSize > map.length)
      throw new GlmjsError("TOKENIZER_FILE_INVALID", `precompiled_charsmap: trie size ${trieSize} does not fit the ${map.length}-byte map`);
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = dv.getUint32(4 + i * 4, true);
    this.strings = map.subarray(4 + trieSize);
  }

  get empty(): boolean {
    return this.units.length === 0;
  }

  /**
   * Longest rule matching `text` at `i` (not past `end`): the number of UTF-16 units it covers
   * (its replacement is then in `matched`), or 0. Lone surrogates are walked as U+FFFD.
   */
  match(text: string, i: number, end: number): number {
    const u = this.units;
    if (u.length === 0) return 0;
    let node = offsetOf(u[0]!);
    let bestUnits = 0;
    let bestValue = -1;
    let j = i;
    walk: while (j < end) {
      let cp = text.charCodeAt(j);
      let w = 1;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        const d = j + 1 < end ? text.charCodeAt(j + 1) : 0;
        if (cp <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          w = 2;
        } else cp = 0xfffd;
      }
      // The character's UTF-8 bytes, one trie transition each.
      let n: number;
      let b0: number;
      if (cp < 0x80) {
        n = 1;
        b0 = cp;
      } else if (cp < 0x800) {
        n = 2;
        b0 = 0xc0 | (cp >> 6);
      } else if (cp < 0x10000) {
        n = 3;
        b0 = 0xe0 | (cp >> 12);
      } else {
        n = 4;
        b0 = 0xf0 | (cp >> 18);
      }
      let unit = 0;
      for (let k = 0; k < n; k++) {
        const byte = k === 0 ? b0 : 0x80 | ((cp >> (6 * (n - 1 - k))) & 63);
        node ^= byte;
        const next = u[node];
        // A unit whose label is not this byte: the trie has no such path.
        if (next === undefined || (next & 0x800000ff) !== byte) break walk;
        unit = next;
        node ^= offsetOf(unit);
      }
      j += w;
      if ((unit >>> 8) & 1) {
        bestUnits = j - i;
        bestValue = u[node]! & 0x7fffffff;
      }
    }
    if (bestUnits > 0) this.matched = this.replacementAt(bestValue);
    return bestUnits;
  }

  private replacementAt(value: number): string {
    let s = this.replacements.get(value);
    if (s === undefined) {
      let e = value;
      while (e < this.strings.length && this.strings[e] !== 0) e++;
      s = this.decoder.decode(this.strings.subarray(value, e));
      this.replacements.set(value, s);
    }
    return s;
  }
}

/** darts-clone: the offset field of a unit (10 bits shifted, or 8 more when bit 9 is set). */
function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}
