import { describe, expect, it } from "vitest";
import { readSafetensors, writeSafetensors } from "./safetensors.js";
import { CheckpointError, type CheckpointTensor } from "./types.js";

const FILE = "broken.safetensors";

/** A safetensors file from a header (object or raw text) and `dataLength` bytes of data. */
function makeFile(header: object | string | Uint8Array, dataLength: number, headerLength?: number): Uint8Array {
  const json = header instanceof Uint8Array ? header : new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.byteLength), true);
  out.set(json, 8);
  for (let i = 0; i < dataLength; i++) out[8 + json.byteLength + i] = i & 0xff;
  return out;
}

function readError(bytes: Uint8Array): CheckpointError {
  try {
    readSafetensors(bytes, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    return err as CheckpointError;
  }
  throw new Error("expected readSafetensors to fail");
}

const f32 = (shape: number[], begin: number) => ({ dtype: "F32", shape, data_offsets: [begin, begin + 4 * shape.reduce((a, b) => a * b, 1)] });

describe("readSafetensors rejects malformed files with the file, the key and the problem", () => {
  it("file shorter than 8 bytes", () => {
    expect(readError(new Uint8Array(5)).message).toMatch(/^broken\.safetensors: file is 5 bytes, shorter than the 8-byte/);
  });
  it("header length beyond the file", () => {
    const e = readError(makeFile({ w: f32([2], 0) }, 8, 10_000));
    expect(e.message).toMatch(/broken\.safetensors: header length 10000 reaches beyond the end of the file/);
  });
  it("header that is not UTF-8", () => {
    expect(readError(makeFile(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), 0)).message).toMatch(/broken\.safetensors: header is not valid UTF-8/);
  });
  it("header that is not JSON, or not an object", () => {
    expect(readError(makeFile("{not json", 0)).message).toMatch(/broken\.safetensors: header is not valid JSON/);
    expect(readError(makeFile("[1,2]", 0)).message).toMatch(/header JSON is not an object/);
  });
  it("non-string metadata", () => {
    const e = readError(makeFile({ __metadata__: { format: "pt", step: 3 }, w: f32([2], 0) }, 8));
    expect(e.message).toMatch(/broken\.safetensors: "__metadata__" entry "step" is 3, but metadata values must be strings/);
  });
  it("unknown and unsupported dtypes", () => {
    const e = readError(makeFile({ w: { dtype: "F33", shape: [2], data_offsets: [0, 8] } }, 8));
    expect(e.message).toMatch(/broken\.safetensors: tensor "w": unknown dtype "F33"/);
    expect(e.key).toBe("w");
    expect(readError(makeFile({ w: { dtype: "U32", shape: [2], data_offsets: [0, 8] } }, 8)).message).toMatch(
      /tensor "w": dtype U32 is valid safetensors but glmjs does not read it/,
    );
  });
  it("shape and dtype needing a different byte count than the offsets span", () => {
    const e = readError(makeFile({ w: { dtype: "F32", shape: [2, 2], data_offsets: [0, 12] } }, 12));
    expect(e.message).toBe('broken.safetensors: tensor "w": shape [2, 2] of F32 needs 16 bytes but data_offsets [0, 12] span 12');
  });
  it("bad shapes and offsets", () => {
    expect(readError(makeFile({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, 4)).message).toMatch(
      /tensor "w": shape \[-1\] is not a list of non-negative integers/,
    );
    expect(readError(makeFile({ w: { dtype: "F32", shape: [1], data_offsets: [4] } }, 4)).message).toMatch(/tensor "w": data_offsets \[4\] is not a pair/);
    expect(readError(makeFile({ w: { dtype: "F32", shape: [0], data_offsets: [4, 0] } }, 4)).message).toMatch(
      /tensor "w": data_offsets \[4, 0\] end before they begin/,
    );
  });
  it("offsets outside the data", () => {
    const e = readError(makeFile({ a: f32([2], 0), w: f32([4], 8) }, 16));
    expect(e.message).toMatch(/broken\.safetensors: tensor "w": data_offsets \[8, 24\] reach beyond the data section \(16 bytes\)/);
  });
  it("overlapping offsets name both tensors", () => {
    const e = readError(makeFile({ a: f32([2], 0), b: f32([2], 4) }, 12));
    expect(e.message).toMatch(/tensor "b": data_offsets \[4, 12\] overlap those of "a" \[0, 8\]/);
  });
  it("gaps between tensors and unused trailing bytes", () => {
    expect(readError(makeFile({ a: f32([2], 0), b: f32([2], 12) }, 20)).message).toMatch(
      /tensor "b": data_offsets \[12, 20\] leave a gap of 4 bytes after "a"/,
    );
    expect(readError(makeFile({ a: f32([2], 4) }, 12)).message).toMatch(/tensor "a": .*gap of 4 bytes at the start of the data/);
    expect(readError(makeFile({ a: f32([2], 0) }, 12)).message).toMatch(/broken\.safetensors: 4 bytes after the last tensor \("a"\) belong to no tensor/);
  });
  it("duplicate keys (which JSON.parse would silently merge)", () => {
    const header = `{"w":${JSON.stringify(f32([1], 0))},"w":${JSON.stringify(f32([1], 0))}}`;
    const e = readError(makeFile(header, 4));
    expect(e.message).toMatch(/broken\.safetensors: tensor "w": header names a tensor twice: "w"/);
  });
  it("a truncated real file", () => {
    const good = writeSafetensors({ a: { dtype: "F32", shape: [4], data: new Float32Array(4) }, b: { dtype: "F32", shape: [8], data: new Float32Array(8) } });
    const e = readError(good.subarray(0, good.byteLength - 3));
    expect(e.message).toMatch(/tensor "b": data_offsets \[16, 48\] reach beyond the data section \(45 bytes\); the file is truncated/);
  });
});

describe("writeSafetensors → readSafetensors", () => {
  const sample = (): Record<string, CheckpointTensor> => ({
    "layer.weight": { dtype: "F32", shape: [2, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, 7]) },
    "half.w": { dtype: "F16", shape: [3], data: new Float32Array([1, -0.5, 65504]) },
    "brain.w": { dtype: "BF16", shape: [2], data: new Float32Array([-5, 0.333984375]) },
    "double.w": { dtype: "F64", shape: [1], data: new Float32Array([0.1]) },
    ids: { dtype: "I64", shape: [2], data: new BigInt64Array([-1n, 2n ** 40n]) },
    count: { dtype: "I32", shape: [], data: new Int32Array([42]) },
    mask: { dtype: "BOOL", shape: [3], data: new Int32Array([1, 0, 1]) },
    bytes: { dtype: "U8", shape: [1], data: new Int32Array([255]) },
    empty: { dtype: "F32", shape: [0, 3], data: new Float32Array(0) },
  });

  it("round-trips every dtype, shape and metadata", () => {
    const input = sample();
    const bytes = writeSafetensors(input, { format: "pt", config: '{"a": 1}' });
    const { tensors, metadata } = readSafetensors(bytes, "rt.safetensors");
    expect(metadata).toEqual({ format: "pt", config: '{"a": 1}' });
    expect([...tensors.keys()].sort()).toEqual(Object.keys(input).sort());
    for (const [name, t] of Object.entries(input)) {
      const back = tensors.get(name)!;
      expect(back.dtype, name).toBe(t.dtype);
      expect(back.shape, name).toEqual(t.shape);
      expect(Array.from(back.data as ArrayLike<number | bigint>), name).toEqual(
        name === "double.w" ? [Math.fround(0.1)] : Array.from(t.data as ArrayLike<number | bigint>),
      );
    }
    expect(Object.is((tensors.get("layer.weight")!.data as Float32Array)[4], -0)).toBe(true);
  });

  it("lays out data 8-byte aligned, by dtype as the safetensors library does, then by name, header padded with spaces", () => {
    const bytes = writeSafetensors(sample());
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength));
    expect(text).toMatch(/} *$/);
    expect(text.trimEnd().length).toBeGreaterThan(text.length - 8);
    const header = JSON.parse(text) as Record<string, { dtype: string; data_offsets: [number, number] }>;
    const order = Object.keys(header);
    expect(order).toEqual(["ids", "double.w", "empty", "layer.weight", "count", "brain.w", "half.w", "bytes", "mask"]);
    const sizes: Record<string, number> = { F64: 8, I64: 8, I32: 4, F32: 4, BF16: 2, F16: 2, U8: 1, BOOL: 1 };
    for (const e of Object.values(header)) expect(e.data_offsets[0] % sizes[e.dtype]!).toBe(0);
  });

  it("keeps integer-like names in string order (a JS object would reorder them)", () => {
    const t = (v: number): CheckpointTensor => ({ dtype: "F32", shape: [1], data: new Float32Array([v]) });
    const { tensors } = readSafetensors(
      writeSafetensors(
        new Map([
          ["9", t(9)],
          ["10", t(10)],
          ["a", t(1)],
        ]),
      ),
      "n.safetensors",
    );
    expect([...tensors.keys()]).toEqual(["10", "9", "a"]);
    expect((tensors.get("9")!.data as Float32Array)[0]).toBe(9);
    // code point order, as Rust and Python sort: U+1F600 (a surrogate pair in UTF-16) after U+FF21
    const order = readSafetensors(
      writeSafetensors(
        new Map([
          ["\u{1F600}", t(1)],
          ["\uFF21", t(2)],
        ]),
      ),
      "u.safetensors",
    ).tensors;
    expect([...order.keys()]).toEqual(["\uFF21", "\u{1F600}"]);
  });

  it("reads F32 data without copying when aligned, and correctly when the file bytes are not", () => {
    const bytes = writeSafetensors({ w: { dtype: "F32", shape: [3], data: new Float32Array([1, 2, 3]) } });
    expect(readSafetensors(bytes, "a").tensors.get("w")!.data.buffer).toBe(bytes.buffer);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    expect(Array.from(readSafetensors(shifted.subarray(1), "b").tensors.get("w")!.data as Float32Array)).toEqual([1, 2, 3]);
  });

  it("refuses inconsistent input, naming the key", () => {
    expect(() => writeSafetensors({ w: { dtype: "F32", shape: [2, 2], data: new Float32Array(3) } }, undefined, "out.safetensors")).toThrow(
      'out.safetensors: tensor "w": shape [2, 2] has 4 elements but data has 3',
    );
    expect(() => writeSafetensors({ __metadata__: { dtype: "F32", shape: [1], data: new Float32Array(1) } })).toThrow(/reserved/);
    expect(() => writeSafetensors({ w: { dtype: "F32", shape: [1], data: new Float32Array(1) } }, { n: 1 as unknown as string })).toThrow(
      /metadata "n" must be a string/,
    );
  });
});
