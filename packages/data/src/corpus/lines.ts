// Streaming a file line by line as bytes with bounded memory: a line longer than `maxLineBytes`
// is not buffered; it is reported as giant (with its line number) and its bytes are skipped.
import { createReadStream } from "node:fs";

export interface RawLine {
  /** The line's bytes without the newline (and without a trailing \r); empty when giant. */
  bytes: Uint8Array;
  /** 1-based. */
  line: number;
  giant: boolean;
}

export async function* readLines(file: string, maxLineBytes: number): AsyncGenerator<RawLine> {
  let parts: Uint8Array[] = [];
  let length = 0;
  let giant = false;
  let line = 1;
  const finish = (): RawLine => {
    let bytes: Uint8Array;
    if (giant) bytes = new Uint8Array(0);
    else if (parts.length === 1) bytes = parts[0]!;
    else {
      bytes = new Uint8Array(length);
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
    }
    if (bytes.length > 0 && bytes[bytes.length - 1] === 13) bytes = bytes.subarray(0, bytes.length - 1);
    const out = { bytes, line, giant };
    parts = [];
    length = 0;
    giant = false;
    line++;
    return out;
  };
  const append = (chunk: Uint8Array): void => {
    if (giant) return;
    if (length + chunk.length > maxLineBytes) {
      giant = true;
      parts = [];
      length = 0;
      return;
    }
    parts.push(chunk);
    length += chunk.length;
  };
  for await (const data of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const chunk = data as Buffer;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      append(new Uint8Array(chunk.buffer, chunk.byteOffset + start, nl - start).slice());
      yield finish();
      start = nl + 1;
    }
    if (start < chunk.length) append(new Uint8Array(chunk.buffer, chunk.byteOffset + start, chunk.length - start).slice());
  }
  if (length > 0 || giant) yield finish();
}
