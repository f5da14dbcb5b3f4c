// A restricted unpickler: it understands the data opcodes of pickle protocols 2-5 that
// torch.save emits for state dicts, and resolves a global only through the caller's allowlist.
// A global outside the list is refused before anything else happens, and allowed globals are
// plain TypeScript functions, so reading a pickle never runs code from the file. Python's own
// Unpickler imports whatever the file names (os.system, builtins.eval, ...), which is why
// this is hand-written instead of using a generic pickle port.

import { OP } from "./pickle-opcodes.js";
import { CheckpointError } from "./types.js";

/** A Python callable the file may name (allowlisted); `call` receives REDUCE's argument tuple. */
export interface PickleCallable {
  readonly kind: "callable";
  readonly qualifiedName: string;
  call(args: unknown[]): unknown;
}

/** A Python object the file may name but not call (e.g. a storage type), passed through as a value. */
export interface PickleMarker {
  readonly kind: "marker";
  readonly qualifiedName: string;
}

export type PickleGlobal = PickleCallable | PickleMarker;

/**
 * What a global outside the allowlist becomes when `opaqueGlobals` is set: a name and nothing
 * else. Calling it, instantiating it or setting its state yields more inert values; no code runs.
 */
export interface PickleOpaque {
  readonly kind: "opaque";
  readonly qualifiedName: string;
}

/** Whether an unpickled value is (or was built from) a global outside the allowlist. */
export function isPickleOpaque(value: unknown): value is PickleOpaque {
  return typeof value === "object" && value !== null && (value as PickleOpaque).kind === "opaque";
}

export interface UnpickleOptions {
  fileName: string;
  /** Allowed globals by "module.name". Everything else is refused. */
  globals: ReadonlyMap<string, PickleGlobal>;
  /** Resolves BINPERSID ids (PyTorch storages); absent → persistent ids are an error. */
  persistentLoad?: (pid: unknown) => unknown;
  /**
   * Read globals outside the allowlist (and NEWOBJ / BUILD / set opcodes on them) as inert
   * {@link PickleOpaque} values instead of refusing the file. For training checkpoints, whose
   * bookkeeping entries (numpy RNG state, argparse namespaces, sets) a model loader skips; the
   * caller must still refuse an opaque value wherever it needs real data. Default false.
   */
  opaqueGlobals?: boolean;
}

/** A Python dict (and OrderedDict) comes back as a Map; tuples and lists as arrays; ints as numbers or bigints. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): unknown {
  return new Unpickler(bytes, options).run();
}

const MARK = Symbol("mark");

class Unpickler {
  private pos = 0;
  private stack: unknown[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private readonly view: DataView;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(
    private readonly bytes: Uint8Array,
    private readonly options: UnpickleOptions,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(message: string): never {
    throw new CheckpointError(this.options.fileName, `pickle: ${message}`);
  }

  private need(n: number): number {
    if (this.pos + n > this.bytes.byteLength) this.fail(`truncated at byte ${this.pos} (needs ${n} more bytes)`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  private u8(): number {
    return this.bytes[this.need(1)]!;
  }
  private u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  private u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  private u64(): number {
    const v = this.view.getBigUint64(this.need(8), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`length ${v} is too large`);
    return Number(v);
  }
  private raw(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }
  private utf8(n: number): string {
    try {
      return this.decoder.decode(this.raw(n));
    } catch {
      return this.fail(`string at byte ${this.pos - n} is not valid UTF-8`);
    }
  }
  private line(): string {
    const start = this.pos;
    const end = this.bytes.indexOf(0x0a, start);
    if (end < 0) this.fail(`unterminated text line at byte ${start}`);
    this.pos = end + 1;
    return new TextDecoder().decode(this.bytes.subarray(start, end));
  }

  private pop(): unknown {
    if (this.stack.length === 0) this.fail(`stack underflow at byte ${this.pos - 1}`);
    const v = this.stack.pop();
    if (v === MARK) this.fail(`unexpected MARK at byte ${this.pos - 1}`);
    return v;
  }
  private top(): unknown {
    if (this.stack.length === 0) this.fail(`stack underflow at byte ${this.pos - 1}`);
    return this.stack[this.stack.length - 1];
  }
  private popMark(): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail(`no MARK before byte ${this.pos - 1}`);
    const items = this.stack.slice(m + 1);
    this.stack.length = m;
    return items;
  }
  private memoGet(i: number): unknown {
    if (!this.memo.has(i)) this.fail(`memo entry ${i} used before it was stored`);
    return this.memo.get(i);
  }

  private resolveGlobal(module: string, name: string): PickleGlobal {
    const qualifiedName = `${module}.${name}`;
    const g = this.options.globals.get(qualifiedName);
    if (!g && this.options.opaqueGlobals) return { kind: "opaque", qualifiedName } as PickleOpaque as unknown as PickleGlobal;
    if (!g) {
      this.fail(
        `refusing global "${qualifiedName}": glmjs never runs code while loading a checkpoint and accepts only the ` +
          `globals of a tensor state dict (${[...this.options.globals.keys()].join(", ")}). ` +
          "The file is not a plain state dict or is malicious; if you trust it, convert it to safetensors in Python",
      );
    }
    return g;
  }

  private setItems(target: unknown, items: unknown[]): void {
    if (this.options.opaqueGlobals && isPickleOpaque(target)) return; // e.g. a dict subclass: its items are not needed
    if (!(target instanceof Map)) this.fail(`SETITEM(S) on something that is not a dict`);
    if (items.length % 2 !== 0) this.fail(`SETITEMS with an odd number of items`);
    for (let i = 0; i < items.length; i += 2) (target as Map<unknown, unknown>).set(items[i], items[i + 1]);
  }

  run(): unknown {
    const s = this.stack;
    for (;;) {
      const at = this.pos;
      const op = this.u8();
      switch (op) {
        case OP.PROTO:
          if (this.u8() > 5) this.fail(`pickle protocol above 5 is not supported`);
          break;
        case OP.FRAME: // a length hint only
          this.u64();
          break;
        case OP.STOP:
          if (s.length !== 1) this.fail(`STOP with ${s.length} items on the stack (expected 1)`);
          return this.pop();
        case OP.MARK:
          this.marks.push(s.length);
          s.push(MARK);
          break;
        case OP.EMPTY_DICT:
          s.push(new Map());
          break;
        case OP.EMPTY_LIST:
          s.push([]);
          break;
        case OP.EMPTY_TUPLE:
          s.push([]);
          break;
        case OP.TUPLE:
        case OP.LIST:
          s.push(this.popMark());
          break;
        case OP.DICT: {
          const d = new Map();
          this.setItems(d, this.popMark());
          s.push(d);
          break;
        }
        case OP.TUPLE1:
          s.push([this.pop()]);
          break;
        case OP.TUPLE2: {
          const b = this.pop();
          s.push([this.pop(), b]);
          break;
        }
        case OP.TUPLE3: {
          const c = this.pop();
          const b = this.pop();
          s.push([this.pop(), b, c]);
          break;
        }
        case OP.BINPUT:
          this.memo.set(this.u8(), this.top());
          break;
        case OP.LONG_BINPUT:
          this.memo.set(this.u32(), this.top());
          break;
        case OP.MEMOIZE:
          this.memo.set(this.memo.size, this.top());
          break;
        case OP.BINGET:
          s.push(this.memoGet(this.u8()));
          break;
        case OP.LONG_BINGET:
          s.push(this.memoGet(this.u32()));
          break;
        case OP.BININT:
          s.push(this.view.getInt32(this.need(4), true));
          break;
        case OP.BININT1:
          s.push(this.u8());
          break;
        case OP.BININT2:
          s.push(this.u16());
          break;
        case OP.LONG1:
          s.push(this.long(this.u8()));
          break;
        case OP.LONG4:
          s.push(this.long(this.u32()));
          break;
        case OP.BINFLOAT: // big-endian double
          s.push(this.view.getFloat64(this.need(8), false));
          break;
        case OP.BINUNICODE:
          s.push(this.utf8(this.u32()));
          break;
        case OP.SHORT_BINUNICODE:
          s.push(this.utf8(this.u8()));
          break;
        case OP.BINUNICODE8:
          s.push(this.utf8(this.u64()));
          break;
        case OP.BINSTRING: // Python 2 str
          s.push(this.latin1(this.u32()));
          break;
        case OP.SHORT_BINSTRING:
          s.push(this.latin1(this.u8()));
          break;
        case OP.BINBYTES:
          s.push(this.raw(this.u32()).slice());
          break;
        case OP.SHORT_BINBYTES:
          s.push(this.raw(this.u8()).slice());
          break;
        case OP.BINBYTES8:
          s.push(this.raw(this.u64()).slice());
          break;
        case OP.NEWTRUE:
          s.push(true);
          break;
        case OP.NEWFALSE:
          s.push(false);
          break;
        case OP.NONE:
          s.push(null);
          break;
        case OP.POP:
          if (s[s.length - 1] === MARK) this.popMark();
          else this.pop();
          break;
        case OP.POP_MARK:
          this.popMark();
          break;
        case OP.DUP:
          s.push(this.top());
          break;
        case OP.GLOBAL: {
          // "module\nname\n"
          const module = this.line();
          const name = this.line();
          s.push(this.resolveGlobal(module, name));
          break;
        }
        case OP.STACK_GLOBAL: {
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== "string" || typeof name !== "string") this.fail(`STACK_GLOBAL needs two strings`);
          s.push(this.resolveGlobal(module as string, name as string));
          break;
        }
        case OP.REDUCE: {
          const args = this.pop();
          const fn = this.pop() as PickleGlobal | undefined;
          if (this.options.opaqueGlobals && isPickleOpaque(fn)) {
            s.push({ kind: "opaque", qualifiedName: (fn as PickleOpaque).qualifiedName } satisfies PickleOpaque);
            break;
          }
          if (!Array.isArray(args)) this.fail(`REDUCE arguments at byte ${at} are not a tuple`);
          if (!fn || typeof fn !== "object" || (fn as PickleGlobal).kind !== "callable") {
            this.fail(`REDUCE at byte ${at} calls something that is not an allowed callable`);
          }
          s.push((fn as PickleCallable).call(args as unknown[]));
          break;
        }
        case OP.BUILD: {
          // sets object state. Only dicts (OrderedDict._metadata of a state dict) take one; it is dropped.
          this.pop();
          const target = this.top();
          if (this.options.opaqueGlobals && isPickleOpaque(target)) break;
          if (!(target instanceof Map)) this.fail(`BUILD at byte ${at} on something that is not a dict`);
          break;
        }
        case OP.NEWOBJ:
        case OP.NEWOBJ_EX: {
          if (!this.options.opaqueGlobals) this.unsupported(op, at);
          if (op === OP.NEWOBJ_EX) this.pop(); // kwargs
          this.pop(); // args
          const cls = this.pop();
          s.push({ kind: "opaque", qualifiedName: isPickleOpaque(cls) ? cls.qualifiedName : "object" } satisfies PickleOpaque);
          break;
        }
        case OP.EMPTY_SET:
          if (!this.options.opaqueGlobals) this.unsupported(op, at);
          s.push({ kind: "opaque", qualifiedName: "builtins.set" } satisfies PickleOpaque);
          break;
        case OP.ADDITEMS:
          if (!this.options.opaqueGlobals) this.unsupported(op, at);
          this.popMark();
          break;
        case OP.FROZENSET:
          if (!this.options.opaqueGlobals) this.unsupported(op, at);
          this.popMark();
          s.push({ kind: "opaque", qualifiedName: "builtins.frozenset" } satisfies PickleOpaque);
          break;
        case OP.SETITEM: {
          const v = this.pop();
          const k = this.pop();
          this.setItems(this.top(), [k, v]);
          break;
        }
        case OP.SETITEMS: {
          const items = this.popMark();
          this.setItems(this.top(), items);
          break;
        }
        case OP.APPEND: {
          const v = this.pop();
          const list = this.top();
          if (this.options.opaqueGlobals && isPickleOpaque(list)) break;
          if (!Array.isArray(list)) this.fail(`APPEND on something that is not a list`);
          (list as unknown[]).push(v);
          break;
        }
        case OP.APPENDS: {
          const items = this.popMark();
          const list = this.top();
          if (this.options.opaqueGlobals && isPickleOpaque(list)) break;
          if (!Array.isArray(list)) this.fail(`APPENDS on something that is not a list`);
          (list as unknown[]).push(...items);
          break;
        }
        case OP.BINPERSID: {
          const pid = this.pop();
          if (!this.options.persistentLoad) this.fail(`persistent id at byte ${at} but no storage resolver`);
          s.push(this.options.persistentLoad!(pid));
          break;
        }
        default:
          this.unsupported(op, at);
      }
    }
  }

  private unsupported(op: number, at: number): never {
    return this.fail(
      `opcode 0x${op.toString(16).padStart(2, "0")} at byte ${at} is not supported ` +
        "(glmjs reads the binary opcodes torch.save uses for state dicts; object-building opcodes are refused)",
    );
  }

  private latin1(n: number): string {
    let out = "";
    for (const b of this.raw(n)) out += String.fromCharCode(b);
    return out;
  }

  /** Little-endian two's-complement integer; a number when safe, else a bigint. */
  private long(n: number): number | bigint {
    if (n === 0) return 0;
    // State dicts hold small integers; a huge LONG would only cost quadratic time to decode.
    if (n > 64) this.fail(`integer of ${n} bytes at byte ${this.pos} is implausibly large for a state dict`);
    const b = this.raw(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
}
