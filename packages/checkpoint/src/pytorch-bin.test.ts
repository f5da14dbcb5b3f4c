import { describe, expect, it } from "vitest";
import { readCheckpointBytes, sniffCheckpointFormat } from "./read-bytes.js";
import { openPytorchCheckpoint, readPytorchBin } from "./pytorch-bin.js";
import { bytesRangeSource } from "./range-source.js";
import { CheckpointError } from "./types.js";

// ---- builders for synthetic torch.save files (stored zip + protocol-2 pickle) ----

const enc = new TextEncoder();

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/**
 * A zip archive of the given entries, stored (method 0) unless `method` says otherwise; with
 * `zip64`, sizes and offsets go to zip64 records as torch writes them for files over 4 GiB.
 */
function zip(entries: { name: string; data: Uint8Array; method?: number }[], zip64 = false): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, e.method ?? 0, true);
    lv.setUint32(14, crc32(e.data), true);
    lv.setUint32(18, e.data.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const extraLength = zip64 ? 28 : 0;
    const cd = new Uint8Array(46 + name.length + extraLength);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, e.method ?? 0, true);
    cv.setUint32(16, crc32(e.data), true);
    cv.setUint32(20, zip64 ? 0xffffffff : e.data.length, true);
    cv.setUint32(24, zip64 ? 0xffffffff : e.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extraLength, true);
    cv.setUint32(42, zip64 ? 0xffffffff : offset, true);
    cd.set(name, 46);
    if (zip64) {
      const x = 46 + name.length;
      cv.setUint16(x, 0x0001, true);
      cv.setUint16(x + 2, 24, true);
      cv.setBigUint64(x + 4, BigInt(e.data.length), true); // uncompressed
      cv.setBigUint64(x + 12, BigInt(e.data.length), true); // compressed
      cv.setBigUint64(x + 20, BigInt(offset), true); // local header offset
    }
    central.push(cd);
    parts.push(local, e.data);
    offset += local.length + e.data.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const tail: Uint8Array[] = [];
  if (zip64) {
    const record = new Uint8Array(56 + 20); // zip64 end of central directory + its locator
    const rv = new DataView(record.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setBigUint64(24, BigInt(entries.length), true);
    rv.setBigUint64(32, BigInt(entries.length), true);
    rv.setBigUint64(40, BigInt(cdSize), true);
    rv.setBigUint64(48, BigInt(offset), true);
    rv.setUint32(56, 0x07064b50, true);
    rv.setBigUint64(56 + 8, BigInt(offset + cdSize), true);
    rv.setUint32(56 + 16, 1, true);
    tail.push(record);
  }
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, zip64 ? 0xffff : entries.length, true);
  ev.setUint16(10, zip64 ? 0xffff : entries.length, true);
  ev.setUint32(12, zip64 ? 0xffffffff : cdSize, true);
  ev.setUint32(16, zip64 ? 0xffffffff : offset, true);
  const all = [...parts, ...central, ...tail, eocd];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of all) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Pickle opcodes, written the way torch.save (protocol 2) writes a state dict. */
class PickleWriter {
  private readonly bytes: number[] = [0x80, 0x02];
  op(...b: number[]) {
    this.bytes.push(...b);
    return this;
  }
  global(module: string, name: string) {
    return this.op(0x63, ...enc.encode(`${module}\n${name}\n`));
  }
  str(s: string) {
    const b = enc.encode(s);
    return this.op(0x58, b.length & 0xff, (b.length >> 8) & 0xff, 0, 0, ...b);
  }
  int(n: number) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n, true);
    return this.op(0x4a, ...b);
  }
  ints(values: number[]) {
    this.op(0x28);
    for (const v of values) this.int(v);
    return this.op(0x74); // TUPLE
  }
  done() {
    return Uint8Array.from([...this.bytes, 0x2e]);
  }
}

interface TensorSpec {
  name: string;
  storageType: string; // e.g. "FloatStorage"
  key: string;
  numel: number;
  offset: number;
  size: number[];
  stride: number[];
  parameter?: boolean;
}

function statePickle(tensors: TensorSpec[]): Uint8Array {
  const w = new PickleWriter().global("collections", "OrderedDict").op(0x29, 0x52).op(0x28);
  for (const t of tensors) {
    w.str(t.name);
    if (t.parameter) w.global("torch._utils", "_rebuild_parameter").op(0x28);
    w.global("torch._utils", "_rebuild_tensor_v2").op(0x28);
    w.op(0x28).str("storage").global("torch", t.storageType).str(t.key).str("cpu").int(t.numel).op(0x74, 0x51); // pid, BINPERSID
    w.int(t.offset).ints(t.size).ints(t.stride).op(0x89); // requires_grad False
    w.global("collections", "OrderedDict").op(0x29, 0x52); // backward hooks
    w.op(0x74, 0x52); // TUPLE, REDUCE
    if (t.parameter) w.op(0x89).global("collections", "OrderedDict").op(0x29, 0x52).op(0x74, 0x52);
  }
  return w.op(0x75).done(); // SETITEMS
}

function torchFile(tensors: TensorSpec[], storages: Record<string, Uint8Array>, options: { method?: number; zip64?: boolean } = {}): Uint8Array {
  return zip(
    [
      { name: "archive/data.pkl", data: statePickle(tensors) },
      ...Object.entries(storages).map(([key, data]) => ({ name: `archive/data/${key}`, data, method: options.method })),
      { name: "archive/version", data: enc.encode("3\n") },
    ],
    options.zip64,
  );
}

const bytesOf = (a: Float32Array | Uint16Array | BigInt64Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const error = (f: () => unknown): CheckpointError => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    return err as CheckpointError;
  }
  throw new Error("expected an error");
};

// ---- tests ----

describe("readPytorchBin", () => {
  const six = bytesOf(new Float32Array([0, 1, 2, 3, 4, 5]));

  it("honours storage offset, size and stride, and shares storages", () => {
    const file = torchFile(
      [
        { name: "full", storageType: "FloatStorage", key: "0", numel: 6, offset: 0, size: [2, 3], stride: [3, 1] },
        { name: "transposed", storageType: "FloatStorage", key: "0", numel: 6, offset: 0, size: [3, 2], stride: [1, 3] },
        { name: "tail", storageType: "FloatStorage", key: "0", numel: 6, offset: 3, size: [2], stride: [1] },
        { name: "column", storageType: "FloatStorage", key: "0", numel: 6, offset: 1, size: [2, 1], stride: [3, 1] },
        { name: "param", storageType: "FloatStorage", key: "0", numel: 6, offset: 4, size: [2], stride: [1], parameter: true },
      ],
      { "0": six },
    );
    const t = readPytorchBin(file, "strided.bin");
    const values = (name: string) => Array.from(t.get(name)!.data as Float32Array);
    expect([...t.keys()]).toEqual(["full", "transposed", "tail", "column", "param"]);
    expect(values("full")).toEqual([0, 1, 2, 3, 4, 5]);
    expect(values("transposed")).toEqual([0, 3, 1, 4, 2, 5]);
    expect(t.get("transposed")!.shape).toEqual([3, 2]);
    expect(values("tail")).toEqual([3, 4]);
    expect(values("column")).toEqual([1, 4]);
    expect(values("param")).toEqual([4, 5]);
    expect(t.get("tail")!.data.buffer).toBe(t.get("full")!.data.buffer); // one storage, contiguous views of it
  });

  it("converts half and bfloat16 storages to float32 and reads int64", () => {
    const file = torchFile(
      [
        { name: "h", storageType: "HalfStorage", key: "a", numel: 3, offset: 0, size: [3], stride: [1] },
        { name: "b", storageType: "BFloat16Storage", key: "b", numel: 2, offset: 0, size: [2], stride: [1] },
        { name: "i", storageType: "LongStorage", key: "c", numel: 2, offset: 0, size: [2], stride: [1] },
        { name: "h-tail", storageType: "HalfStorage", key: "a", numel: 3, offset: 1, size: [2], stride: [1] },
      ],
      {
        a: bytesOf(new Uint16Array([0x3c00, 0x0001, 0xfc00])),
        b: bytesOf(new Uint16Array([0xc0a0, 0x3eab])),
        c: bytesOf(new BigInt64Array([-7n, 1n << 50n])),
      },
    );
    const t = readPytorchBin(file, "mixed.bin");
    expect(t.get("h")!.dtype).toBe("F16");
    expect(Array.from(t.get("h")!.data as Float32Array)).toEqual([1, 2 ** -24, -Infinity]);
    expect(Array.from(t.get("h-tail")!.data as Float32Array)).toEqual([2 ** -24, -Infinity]);
    // the shared half storage is converted once and both tensors view the converted copy
    expect(t.get("h-tail")!.data.buffer).toBe(t.get("h")!.data.buffer);
    expect(t.get("h")!.data.buffer).not.toBe(file.buffer);
    expect(Array.from(t.get("b")!.data as Float32Array)).toEqual([-5, 0.333984375]);
    expect(Array.from(t.get("i")!.data as BigInt64Array)).toEqual([-7n, 1n << 50n]);
    expect(readCheckpointBytes(file, "mixed.bin").format).toBe("pytorch");
  });

  it("reads zip64 archives (what torch writes past 4 GiB)", () => {
    const spec: TensorSpec = { name: "w", storageType: "FloatStorage", key: "0", numel: 6, offset: 1, size: [5], stride: [1] };
    const t = readPytorchBin(torchFile([spec], { "0": six }, { zip64: true }), "big.bin");
    expect(Array.from(t.get("w")!.data as Float32Array)).toEqual([1, 2, 3, 4, 5]);
  });

  it("reports strides that run past the storage, naming the tensor", () => {
    const file = torchFile([{ name: "w", storageType: "FloatStorage", key: "0", numel: 6, offset: 2, size: [2, 3], stride: [3, 1] }], { "0": six });
    const e = error(() => readPytorchBin(file, "oob.bin"));
    expect(e.message).toBe('oob.bin: tensor "w": size [2, 3], stride [3, 1] at offset 2 reach element 7, beyond its storage of 6');
  });

  it("reports a missing or short storage, naming the tensor", () => {
    const spec: TensorSpec = { name: "w", storageType: "FloatStorage", key: "7", numel: 6, offset: 0, size: [6], stride: [1] };
    expect(error(() => readPytorchBin(torchFile([spec], {}), "m.bin")).message).toMatch(/m\.bin: tensor "w": storage "archive\/data\/7" is missing/);
    expect(error(() => readPytorchBin(torchFile([spec], { "7": six.subarray(0, 20) }), "s.bin")).message).toMatch(
      /s\.bin: tensor "w": storage "7" has 20 bytes, fewer than its 6 F32 elements need \(24\)/,
    );
  });

  it("explains compressed entries and the legacy format", () => {
    const spec: TensorSpec = { name: "w", storageType: "FloatStorage", key: "0", numel: 6, offset: 0, size: [6], stride: [1] };
    expect(error(() => readPytorchBin(torchFile([spec], { "0": six }, { method: 8 }), "z.bin")).message).toMatch(
      /z\.bin: zip entry "archive\/data\/0" is deflate-compressed; glmjs reads only stored/,
    );
    const legacy = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
    expect(sniffCheckpointFormat(legacy)).toBe("pytorch-legacy");
    expect(error(() => readCheckpointBytes(legacy, "old.pt")).message).toMatch(
      /old\.pt: this is a Python pickle, not a PyTorch zip checkpoint: a legacy \(pre-1\.6\) torch\.save file or a plain pickle.*torch >= 1\.6/,
    );
    // A plain pickle (pickle.dump of a dict, protocol 4) is not called a torch file.
    const plain = Uint8Array.from([0x80, 0x04, 0x95, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0x7d, 0x94, 0x8c, 0x01, 0x61, 0x94, 0x4b, 0x01, 0x73, 0x2e]);
    const message = error(() => readCheckpointBytes(plain, "data.pkl")).message;
    expect(message).toMatch(/data\.pkl: this is a Python pickle, not a PyTorch zip checkpoint/);
    expect(message).not.toMatch(/this is the legacy/);
  });

  it("refuses a malicious pickle inside a checkpoint without running it", () => {
    const evil = new PickleWriter().global("os", "system").str("touch /tmp/glmjs-pwned").op(0x85, 0x52).done();
    const file = zip([{ name: "archive/data.pkl", data: evil }]);
    expect(error(() => readPytorchBin(file, "evil.bin")).message).toMatch(/evil\.bin: pickle: refusing global "os\.system": glmjs never runs code/);
  });

  it("refuses a state dict holding something other than tensors", () => {
    const nested = new PickleWriter().op(0x7d).str("model").op(0x7d).op(0x73).done(); // {"model": {}}
    expect(error(() => readPytorchBin(zip([{ name: "archive/data.pkl", data: nested }]), "ds.pt")).message).toMatch(
      /ds\.pt: tensor "model": value is not a tensor/,
    );
    // A training checkpoint's "module" entry must be a state dict too.
    const bad = new PickleWriter().op(0x7d).str("module").op(0x7d).str("w").int(1).op(0x73).op(0x73).done(); // {"module": {"w": 1}}
    expect(error(() => readPytorchBin(zip([{ name: "archive/data.pkl", data: bad }]), "mp.pt")).message).toMatch(
      /mp\.pt: tensor "module\.w": value is not a tensor/,
    );
  });

  it("refuses files that are neither format", () => {
    expect(error(() => readCheckpointBytes(enc.encode("hello world, not weights"), "x.bin")).message).toMatch(/x\.bin: not a recognised checkpoint/);
    expect(error(() => readPytorchBin(zip([{ name: "a.txt", data: enc.encode("x") }]), "a.zip")).message).toMatch(
      /a\.zip: zip archive has no <archive>\/data\.pkl/,
    );
  });
});

describe("readPytorchBin byte order", () => {
  it("refuses storages a big-endian machine wrote", () => {
    const file = zip([
      { name: "archive/data.pkl", data: statePickle([]) },
      { name: "archive/byteorder", data: enc.encode("big") },
    ]);
    expect(() => readPytorchBin(file, "be.bin")).toThrow(/be\.bin: storages are big-endian/);
    const little = zip([
      { name: "archive/data.pkl", data: statePickle([]) },
      { name: "archive/byteorder", data: enc.encode("little") },
    ]);
    expect(readPytorchBin(little, "le.bin").size).toBe(0);
  });
});

describe("openPytorchCheckpoint (by ranges)", () => {
  const six = bytesOf(new Float32Array([0, 1, 2, 3, 4, 5]));
  const lazyValues = async (file: Uint8Array, name: string) => {
    const lazy = await openPytorchCheckpoint(bytesRangeSource(file, name));
    const out = new Map<string, number[]>();
    for (const [key, info] of lazy.tensors) {
      const t = await lazy.read(key);
      expect(t.shape).toEqual(info.shape);
      out.set(key, Array.from(t.data as Float32Array, Number));
    }
    return out;
  };

  it("strided views, offsets, half storages and zip64 read as the eager reader reads them", async () => {
    const strided = torchFile(
      [
        { name: "transposed", storageType: "FloatStorage", key: "0", numel: 6, offset: 0, size: [3, 2], stride: [1, 3] },
        { name: "column", storageType: "FloatStorage", key: "0", numel: 6, offset: 1, size: [2, 1], stride: [3, 1] },
        { name: "tail", storageType: "FloatStorage", key: "0", numel: 6, offset: 3, size: [2], stride: [1], parameter: true },
        { name: "h-tail", storageType: "HalfStorage", key: "a", numel: 3, offset: 1, size: [2], stride: [1] },
      ],
      { "0": six, a: bytesOf(new Uint16Array([0x3c00, 0x0001, 0xfc00])) },
      { zip64: true },
    );
    const values = await lazyValues(strided, "strided.bin");
    expect(values).toEqual(
      new Map([
        ["transposed", [0, 3, 1, 4, 2, 5]],
        ["column", [1, 4]],
        ["tail", [3, 4]],
        ["h-tail", [2 ** -24, -Infinity]],
      ]),
    );
  });

  it("reports strides past the storage and missing storages when the tensor is read", async () => {
    const oob = torchFile([{ name: "w", storageType: "FloatStorage", key: "0", numel: 6, offset: 2, size: [2, 3], stride: [3, 1] }], { "0": six });
    const lazy = await openPytorchCheckpoint(bytesRangeSource(oob, "oob.bin"));
    await expect(lazy.read("w")).rejects.toThrow('oob.bin: tensor "w": size [2, 3], stride [3, 1] at offset 2 reach element 7, beyond its storage of 6');
    const missing = torchFile([{ name: "w", storageType: "FloatStorage", key: "7", numel: 6, offset: 0, size: [6], stride: [1] }], { "0": six });
    await expect((await openPytorchCheckpoint(bytesRangeSource(missing, "m.bin"))).read("w")).rejects.toThrow(
      /m\.bin: tensor "w": storage "archive\/data\/7" is missing/,
    );
  });
});
