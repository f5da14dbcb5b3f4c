// SentencePiece's normaliser (normalizer.cc), step for step: at each position a user-defined
// piece is kept as it is, else the longest rule of the precompiled character map replaces the
// characters it covers, else the character stays; then the whitespace rules (drop leading,
// trailing and repeated spaces, add the dummy `▁`, escape spaces as `▁`).
// Works in UTF-16 and records, like the library's norm_to_orig, the input offset every
// normalised unit came from: the start of the input span whose replacement produced it.

import { PrecompiledCharsmap } from "./precompiled-charsmap.js";
import type { PrefixMatcher } from "./prefix-matcher.js";

export const SPACE_SYMBOL = "\u2581";
const SPACE_UNIT = 0x2581;

export interface NormalizerSpec {
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface Normalized {
  /** The normalised text. */
  text: string;
  /**
   * `origin[k]`: input UTF-16 offset that normalised unit k comes from; `origin[text.length]`
   * is where the consumed input ends. A piece `[a, b)` of `text` covers input `[origin[a], origin[b])`.
   * A view of the normaliser's buffer, valid until its next call.
   */
  origin: Int32Array;
}

export class Normalizer {
  private readonly charsmap: PrecompiledCharsmap;
  private out = new Uint16Array(256);
  private origin = new Int32Array(257);
  private n = 0;
  private tracking = true;
  private chunk: string | null = null;
  private unit = 0;
  // ignoreBOM: a normalised text may start with U+FEFF, which must stay.
  private readonly utf16 = new TextDecoder("utf-16le", { ignoreBOM: true });

  constructor(
    private readonly spec: NormalizerSpec,
    /** User-defined pieces: matched before the character map and never normalised. */
    private readonly userDefined: PrefixMatcher | null = null,
    /** The dummy `▁` goes after the text instead of before it (trainer_spec.treat_whitespace_as_suffix). */
    private readonly whitespaceAsSuffix = false,
  ) {
    this.charsmap = new PrecompiledCharsmap(spec.precompiledCharsmap);
  }

  /** Normalises `text[start, end)`; without `withOrigin` the returned origin is empty. */
  normalize(text: string, start: number, end: number, withOrigin = true): Normalized {
    const spec = this.spec;
    this.tracking = withOrigin;
    const space = spec.escapeWhitespaces ? SPACE_UNIT : 0x20;
    this.n = 0;
    this.reserve(Math.ceil((end - start) * 1.25) + 8);
    if (withOrigin) this.reserveOrigin();
    let pos = start;
    // Leading input whose normalised form is exactly one space is dropped.
    if (spec.removeExtraWhitespaces) {
      while (pos < end) {
        const len = this.prefix(text, pos, end);
        if (this.chunk === null ? this.unit !== 0x20 : this.chunk !== " ") break;
        pos += len;
      }
    }
    if (pos >= end) return { text: "", origin: withOrigin ? Int32Array.of(pos) : new Int32Array(0) };

    if (!this.whitespaceAsSuffix && spec.addDummyPrefix) this.push(space, pos);
    let prevSpace = spec.removeExtraWhitespaces;
    const collapse = spec.removeExtraWhitespaces;
    while (pos < end) {
      const len = this.prefix(text, pos, end);
      const s = this.chunk;
      if (s === null) {
        // One unit, unchanged (the common case).
        const c = this.unit;
        if (c === 0x20) {
          if (!prevSpace) this.push(space, pos);
          prevSpace = collapse;
        } else {
          this.push(c, pos);
          prevSpace = false;
        }
        pos += len;
        continue;
      }
      let k = 0;
      // Spaces right after a space are dropped.
      if (prevSpace) while (k < s.length && s.charCodeAt(k) === 0x20) k++;
      if (k < s.length) {
        this.reserve(this.n + s.length - k);
        for (; k < s.length; k++) {
          const c = s.charCodeAt(k);
          this.push(c === 0x20 ? space : c, pos);
        }
        prevSpace = collapse && s.charCodeAt(s.length - 1) === 0x20;
      }
      pos += len;
    }
    let consumed = pos;
    if (spec.removeExtraWhitespaces) {
      while (this.n > 0 && this.out[this.n - 1] === space) {
        this.n--;
        if (withOrigin) consumed = this.origin[this.n]!;
      }
    }
    if (this.whitespaceAsSuffix && spec.addDummyPrefix) this.push(space, consumed);
    const normalized = this.utf16.decode(this.out.subarray(0, this.n));
    let origin = new Int32Array(0);
    if (withOrigin) {
      this.origin[this.n] = consumed;
      origin = this.origin.subarray(0, this.n + 1);
    }
    // Do not keep buffers sized for one huge input (the caller still holds this origin view).
    if (this.out.length > 1 << 20) this.out = new Uint16Array(256);
    if (this.origin.length > 1 << 20) this.origin = new Int32Array(257);
    return { text: normalized, origin };
  }

  /**
   * Normalised form of the input at `pos`: a string in `chunk`, or (`chunk` null) the single
   * unchanged unit in `unit`. Returns the number of input units it covers.
   */
  private prefix(text: string, pos: number, end: number): number {
    if (this.userDefined !== null) {
      const len = this.userDefined.match(text, pos, end);
      if (len > 0) {
        this.chunk = text.slice(pos, pos + len);
        return len;
      }
    }
    const len = this.charsmap.match(text, pos, end);
    if (len > 0) {
      this.chunk = this.charsmap.matched;
      return len;
    }
    const c = text.charCodeAt(pos);
    if (c < 0xd800 || c > 0xdfff) {
      this.chunk = null;
      this.unit = c;
      return 1;
    }
    const d = pos + 1 < end ? text.charCodeAt(pos + 1) : 0;
    if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
      this.chunk = text.slice(pos, pos + 2);
      return 2;
    }
    this.chunk = "\ufffd"; // a lone surrogate: what UTF-8 encoding makes of it
    return 1;
  }

  private push(unit: number, from: number): void {
    if (this.n === this.out.length) this.reserve(this.n + 1);
    this.out[this.n] = unit;
    if (this.tracking) this.origin[this.n] = from;
    this.n++;
  }

  private reserve(units: number): void {
    if (units <= this.out.length) return;
    const cap = Math.max(units, this.out.length * 2);
    const out = new Uint16Array(cap);
    out.set(this.out.subarray(0, this.n));
    this.out = out;
    if (this.tracking) this.reserveOrigin();
  }

  /** When tracking, origin has a slot for every unit of `out` and one more. */
  private reserveOrigin(): void {
    if (this.origin.length > this.out.length) return;
    const origin = new Int32Array(this.out.length + 1);
    origin.set(this.origin.subarray(0, this.n));
    this.origin = origin;
  }
}
