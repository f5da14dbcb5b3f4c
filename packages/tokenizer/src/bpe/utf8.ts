// UTF-8 encoding into a reusable buffer (lone surrogates become U+FFFD, as TextEncoder does).

/** Encodes s[start, end) into buf (grown as needed); returns [buf, byteLength]. */
export function encodeUtf8(s: string, start: number, end: number, buf: Uint8Array): [Uint8Array, number] {
  if (buf.length < (end - start) * 3) buf = new Uint8Array((end - start) * 3 + 16);
  let n = 0;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[n++] = c;
      continue;
    }
    if (c < 0x800) {
      buf[n++] = 0xc0 | (c >> 6);
      buf[n++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < end ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        buf[n++] = 0xf0 | (c >> 18);
        buf[n++] = 0x80 | ((c >> 12) & 63);
        buf[n++] = 0x80 | ((c >> 6) & 63);
        buf[n++] = 0x80 | (c & 63);
        continue;
      }
      c = 0xfffd;
    }
    buf[n++] = 0xe0 | (c >> 12);
    buf[n++] = 0x80 | ((c >> 6) & 63);
    buf[n++] = 0x80 | (c & 63);
  }
  return [buf, n];
}

/** Number of UTF-8 bytes of the UTF-16 unit at i (a surrogate pair counts 4 on its first unit, 0 on its second). */
export function utf8Width(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 4;
  }
  if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
    const h = s.charCodeAt(i - 1);
    if (h >= 0xd800 && h <= 0xdbff) return 0;
  }
  return 3;
}
