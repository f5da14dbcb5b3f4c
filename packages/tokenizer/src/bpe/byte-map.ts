// GPT-2's byte ↔ printable-character table: bytes `!`–`~`, `¡`–`¬`, `®`–`ÿ` stand for
// themselves, the other 68 bytes map to U+0100, U+0101, … in increasing byte order.

export const BYTE_TO_CHAR: readonly string[] = (() => {
  const out: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    out[b] = String.fromCharCode(printable ? b : next++);
  }
  return out;
})();

/** Byte of a stand-in character, or -1 for a character outside the table. */
export function charToByte(ch: number): number {
  return CHAR_TO_BYTE.get(ch) ?? -1;
}

const CHAR_TO_BYTE = new Map<number, number>(BYTE_TO_CHAR.map((c, b) => [c.charCodeAt(0), b]));

/** The byte-level form of a UTF-8 byte string (what vocab.json keys look like). */
export function bytesToSymbols(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += BYTE_TO_CHAR[b];
  return s;
}

/** UTF-8 bytes of a vocab token, or undefined when it has characters outside the table. */
export function symbolsToBytes(token: string): Uint8Array | undefined {
  const out = new Uint8Array(token.length);
  for (let i = 0; i < token.length; i++) {
    const b = charToByte(token.charCodeAt(i));
    if (b < 0) return undefined;
    out[i] = b;
  }
  return out;
}
