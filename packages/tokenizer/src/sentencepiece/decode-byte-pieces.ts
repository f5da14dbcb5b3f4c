// Decoding a run of byte pieces as the library does: each well-formed UTF-8 character becomes that
// character, each byte that does not start one becomes U+FFFD on its own (TextDecoder would merge
// the bytes of a truncated sequence into a single U+FFFD).

export function decodeBytePieces(bytes: readonly number[]): string {
  let out = "";
  for (let i = 0; i < bytes.length;) {
    const b0 = bytes[i]!;
    const left = bytes.length - i;
    const trail = (k: number): boolean => (bytes[i + k]! & 0xc0) === 0x80;
    let cp = -1;
    let n = 1;
    if (b0 < 0x80) cp = b0;
    else if (left >= 2 && (b0 & 0xe0) === 0xc0 && trail(1)) {
      cp = ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      n = 2;
      if (cp < 0x80) cp = -1;
    } else if (left >= 3 && (b0 & 0xf0) === 0xe0 && trail(1) && trail(2)) {
      cp = ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      n = 3;
      if (cp < 0x800) cp = -1;
    } else if (left >= 4 && (b0 & 0xf8) === 0xf0 && trail(1) && trail(2) && trail(3)) {
      cp = ((b0 & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
      n = 4;
      if (cp < 0x10000) cp = -1;
    }
    if (cp < 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      out += "\ufffd";
      i += 1;
    } else {
      out += String.fromCodePoint(cp);
      i += n;
    }
  }
  return out;
}
