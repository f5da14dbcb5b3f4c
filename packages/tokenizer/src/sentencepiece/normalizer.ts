// SentencePiece's normaliser: the model's precompiled character map (a darts-clone double-array
// trie over UTF-8 bytes whose values point into a table of replacement strings), longest match
// first, then the whitespace rules (drop leading/trailing/repeated spaces, dummy prefix, `▁`).
// Produces the normalised string and, for every UTF-16 unit of it, the input span it came from.

const SPACE_SYMBOL = "\u2581";

export interface NormalizerSpec {
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

export interface Normalized {
  text: string;
  starts: number[];
  ends: number[];
}

export class Normalizer {
  private readonly units: Uint32Array;
  private readonly strings: Uint8Array;
  private readonly replacement = new Map<number, string>();
  private readonly decoder = new TextDecoder("utf-8");

  constructor(
    private readonly spec: NormalizerSpec,
    /** User-defined pieces: matched before the character map and never normalised. */
    private readonly userDefined: readonly string[] = [],
  ) {
    const map = spec.precompiledCharsmap;
    if (map.length === 0) {
      this.units = new Uint32Array(0);
      this.strings = new Uint8Array(0);
    } else {
      if (map.length < 4) throw new Error("precompiled_charsmap is shorter than its 4-byte header");
      const dv = new DataView(map.buffer, map.byteOffset, map.byteLength);
      const trieSize = dv.getUint32(0, true);
      if (trieSize % 4 !== 0 || 4 + trieSize > map.length) throw new Error(`precompiled_charsmap: trie size ${trieSize} does not fit the ${map.length}-byte map`);
      this.units = new Uint32Array(trieSize / 4);
      for (let i = 0; i < this.units.length; i++) this.units[i] = dv.getUint32(4 + i * 4, true);
      this.strings = map.subarray(4 + trieSize);
    }
  }

  /** Longest trie match of the UTF-8 bytes at `pos`: [value, length] or undefined. */
  private longestMatch(bytes: Uint8Array, pos: number, end: number): [number, number] | undefined {
    const u = this.units;
    if (u.length === 0) return undefined;
    let node = 0;
    let unit = u[0]!;
    node ^= offsetOf(unit);
    let best: [number, number] | undefined;
    for (let i = pos; i < end; i++) {
      const c = bytes[i]!;
      if (c === 0) break;
      node ^= c;
      unit = u[node]!;
      if (unit === undefined || (unit & 0x800000ff) !== c) break;
      node ^= offsetOf(unit);
      if ((unit >>> 8) & 1) best = [u[node]! & 0x7fffffff, i + 1 - pos];
    }
    return best;
  }

  private replacementAt(value: number): string {
    let s = this.replacement.get(value);
    if (s === undefined) {
      let e = value;
      while (e < this.strings.length && this.strings[e] !== 0) e++;
      s = this.decoder.decode(this.strings.subarray(value, e));
      this.replacement.set(value, s);
    }
    return s;
  }

  /** Normalises `text[start, end)`; offsets are input UTF-16 offsets. */
  normalize(text: string, start: number, end: number): Normalized {
    // UTF-8 of the input, with the input offset of every byte's character.
    const bytes: number[] = [];
    const byteChar: number[] = [];
    for (let i = start; i < end; ) {
      const cp = text.codePointAt(i)!;
      const w = cp > 0xffff ? 2 : 1;
      const ch = cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : String.fromCodePoint(cp);
      for (const b of new TextEncoder().encode(ch)) {
        bytes.push(b);
        byteChar.push(i);
      }
      i += w;
    }
    byteChar.push(end);
    const buf = Uint8Array.from(bytes);
    const charEnd = (bytePos: number): number => {
      // End offset of the input character that holds byte bytePos - 1.
      const s = byteChar[bytePos - 1]!;
      const cp = text.codePointAt(s)!;
      return s + (cp > 0xffff ? 2 : 1);
    };

    // Pieces: [normalised string, input start, input end].
    const pieces: [string, number, number][] = [];
    let pos = 0;
    while (pos < buf.length) {
      const s = byteChar[pos]!;
      const user = this.userDefinedAt(text, s, end);
      if (user > 0) {
        pieces.push([text.slice(s, s + user), s, s + user]);
        pos += new TextEncoder().encode(text.slice(s, s + user)).length;
        continue;
      }
      const m = this.longestMatch(buf, pos, buf.length);
      if (m) {
        pieces.push([this.replacementAt(m[0]), s, charEnd(pos + m[1])]);
        pos += m[1];
      } else {
        const cp = text.codePointAt(s)!;
        const w = cp > 0xffff ? 2 : 1;
        const ch = cp >= 0xd800 && cp <= 0xdfff ? "\ufffd" : text.slice(s, s + w);
        pieces.push([ch, s, s + w]);
        pos += new TextEncoder().encode(ch).length;
      }
    }

    const spec = this.spec;
    const out: string[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const emit = (s: string, a: number, b: number): void => {
      for (let k = 0; k < s.length; k++) {
        out.push(s[k]!);
        starts.push(a);
        ends.push(b);
      }
    };
    let k = 0;
    if (spec.removeExtraWhitespaces) while (k < pieces.length && pieces[k]![0] === " ") k++;
    if (k >= pieces.length) return { text: "", starts: [], ends: [] };
    const space = spec.escapeWhitespaces ? SPACE_SYMBOL : " ";
    if (spec.addDummyPrefix) emit(space, pieces[k]![1], pieces[k]![1]);
    let prevSpace = spec.removeExtraWhitespaces;
    for (; k < pieces.length; k++) {
      const [raw, a, b] = pieces[k]!;
      let sp = raw;
      if (prevSpace) while (sp.startsWith(" ")) sp = sp.slice(1);
      if (sp.length > 0) {
        emit(spec.escapeWhitespaces ? sp.replaceAll(" ", SPACE_SYMBOL) : sp, a, b);
        prevSpace = sp.endsWith(" ");
      }
      if (!spec.removeExtraWhitespaces) prevSpace = false;
    }
    if (spec.removeExtraWhitespaces) {
      while (out.length > 0 && out[out.length - 1] === space) {
        out.pop();
        starts.pop();
        ends.pop();
      }
    }
    return { text: out.join(""), starts, ends };
  }

  private userDefinedAt(text: string, s: number, end: number): number {
    let best = 0;
    for (const u of this.userDefined) if (u.length > best && s + u.length <= end && text.startsWith(u, s)) best = u.length;
    return best;
  }
}

function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}
