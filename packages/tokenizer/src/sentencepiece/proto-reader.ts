// A minimal protobuf wire-format reader: enough to walk a SentencePiece ModelProto.
import { GlmjsError } from "@glmjs/common";

export class ProtoReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    readonly what = "message",
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new GlmjsError("TOKENIZER_FILE_INVALID", `truncated varint in ${this.what} at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new GlmjsError("TOKENIZER_FILE_INVALID", `malformed varint in ${this.what} at byte ${this.pos}`);
  }

  /** Next field: [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.end)
      throw new GlmjsError("TOKENIZER_FILE_INVALID", `length-delimited field of ${len} bytes runs past the end of ${this.what} (byte ${this.pos})`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** A nested message's reader (the bytes are consumed from this one). */
  message(what: string): ProtoReader {
    const b = this.bytes();
    return new ProtoReader(b, 0, b.length, what);
  }

  string(): string {
    return UTF8.decode(this.bytes());
  }

  float(): number {
    if (this.pos + 4 > this.end) throw new GlmjsError("TOKENIZER_FILE_INVALID", `truncated float in ${this.what}`);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new GlmjsError("TOKENIZER_FILE_INVALID", `unsupported wire type ${wireType} in ${this.what} at byte ${this.pos}`);
    }
    if (this.pos > this.end) throw new GlmjsError("TOKENIZER_FILE_INVALID", `truncated field in ${this.what}`);
  }
}

/** Keeps a leading U+FEFF (a piece may be exactly that character). */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });
