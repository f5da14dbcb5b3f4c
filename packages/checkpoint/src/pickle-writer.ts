// A pickle protocol-2 emitter: the opcodes Python's own pickler uses for the values a PyTorch
// state dict holds (ints, str, bool, tuples, globals, REDUCE, persistent ids, dict items), and
// nothing else. It writes opcodes; the caller arranges them (see pytorch-bin-writer.ts), the way
// a Python object's __reduce__ would. Protocol 2 is what torch.save uses by default, and every
// opcode here is accepted by torch.load(weights_only=True) and by glmjs's restricted unpickler.

import { GlmjsError } from "@glmjs/common";
import { OP } from "./pickle-opcodes.js";

/** Python pickles dict items in batches of this many per SETITEMS (pickle._BATCHSIZE). */
export const PICKLE_BATCH_SIZE = 1000;

export class PickleWriter {
  private buf = new Uint8Array(4096);
  private length = 0;
  private readonly memo = new Map<string, number>();
  private readonly encoder = new TextEncoder();

  constructor() {
    this.byte(OP.PROTO, 2);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  private byte(...values: number[]): this {
    this.reserve(values.length);
    for (const v of values) this.buf[this.length++] = v;
    return this;
  }

  private u32(v: number): void {
    this.reserve(4);
    new DataView(this.buf.buffer).setUint32(this.length, v, true);
    this.length += 4;
  }

  private bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Emits a value once and fetches it from the memo afterwards (as Python does for repeated objects). */
  private memoized(key: string, emit: () => void): this {
    const slot = this.memo.get(key);
    if (slot !== undefined) {
      if (slot < 256) this.byte(OP.BINGET, slot);
      else {
        this.byte(OP.LONG_BINGET);
        this.u32(slot);
      }
      return this;
    }
    emit();
    const index = this.memo.size;
    this.memo.set(key, index);
    if (index < 256) this.byte(OP.BINPUT, index);
    else {
      this.byte(OP.LONG_BINPUT);
      this.u32(index);
    }
    return this;
  }

  /** `module.name` (GLOBAL), memoized. */
  global(module: string, name: string): this {
    if (/[\n]/.test(module + name)) throw new GlmjsError("INTERNAL", `pickle: global name ${module}.${name} contains a newline`);
    return this.memoized(`g:${module}\n${name}`, () => {
      this.byte(OP.GLOBAL);
      this.bytes(this.encoder.encode(`${module}\n${name}\n`));
    });
  }

  /** A str (BINUNICODE). */
  str(s: string): this {
    const b = this.encoder.encode(s);
    this.byte(OP.BINUNICODE);
    this.u32(b.length);
    this.bytes(b);
    return this;
  }

  /** A str that recurs (e.g. 'storage', 'cpu'), memoized. */
  sharedStr(s: string): this {
    return this.memoized(`s:${s}`, () => this.str(s));
  }

  /** An int with the smallest opcode Python's pickler would choose. */
  int(value: number | bigint): this {
    if (typeof value === "bigint" && value >= -0x80000000n && value <= 0x7fffffffn) value = Number(value);
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value)) throw new GlmjsError("INPUT_INVALID", `pickle: ${value} is not a safe integer`);
      if (value >= 0 && value < 256) return this.byte(OP.BININT1, value);
      if (value >= 0 && value < 65536) return this.byte(OP.BININT2, value & 0xff, value >>> 8);
      if (value >= -0x80000000 && value <= 0x7fffffff) {
        this.byte(OP.BININT);
        this.u32(value >>> 0);
        return this;
      }
      value = BigInt(value);
    }
    // LONG1: little-endian two's complement, as few bytes as keep the sign
    const out: number[] = [];
    let v = value;
    for (;;) {
      const b = Number(v & 0xffn);
      out.push(b);
      v >>= 8n;
      if ((v === 0n && (b & 0x80) === 0) || (v === -1n && (b & 0x80) !== 0)) break;
    }
    if (out.length > 255) throw new GlmjsError("INPUT_INVALID", `pickle: integer ${value} is too large`);
    return this.byte(OP.LONG1, out.length, ...out);
  }

  bool(value: boolean): this {
    return this.byte(value ? OP.NEWTRUE : OP.NEWFALSE);
  }

  none(): this {
    return this.byte(OP.NONE);
  }

  mark(): this {
    return this.byte(OP.MARK);
  }

  /** Closes a tuple opened with {@link mark}. */
  tupleFromMark(): this {
    return this.byte(OP.TUPLE);
  }

  /** A tuple of ints, encoded as Python does (EMPTY_TUPLE, TUPLE1-3, or MARK ... TUPLE). */
  intTuple(values: readonly (number | bigint)[]): this {
    if (values.length === 0) return this.byte(OP.EMPTY_TUPLE);
    if (values.length > 3) this.mark();
    for (const v of values) this.int(v);
    return this.byte(values.length === 1 ? OP.TUPLE1 : values.length === 2 ? OP.TUPLE2 : values.length === 3 ? OP.TUPLE3 : OP.TUPLE);
  }

  emptyTuple(): this {
    return this.byte(OP.EMPTY_TUPLE);
  }

  emptyDict(): this {
    return this.byte(OP.EMPTY_DICT);
  }

  emptyList(): this {
    return this.byte(OP.EMPTY_LIST);
  }

  /** Appends the value on the stack to the list below it. */
  append(): this {
    return this.byte(OP.APPEND);
  }

  /** Calls the callable below the argument tuple on the stack. */
  reduce(): this {
    return this.byte(OP.REDUCE);
  }

  /** Replaces the value on the stack by the object its persistent id names. */
  persistentId(): this {
    return this.byte(OP.BINPERSID);
  }

  /** Sets one key/value pair (the two values on the stack) on the dict below them. */
  setItem(): this {
    return this.byte(OP.SETITEM);
  }

  /** Sets the key/value pairs pushed since the last {@link mark}. */
  setItems(): this {
    return this.byte(OP.SETITEMS);
  }

  /** Ends the pickle and returns its bytes. */
  finish(): Uint8Array {
    this.byte(OP.STOP);
    return this.buf.slice(0, this.length);
  }
}
