import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import { afterAll, describe, expect, it } from "vitest";
import { bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat } from "./dtypes.js";
import { readPytorchBin } from "./pytorch-bin.js";
import { contiguousStrides, pytorchBinEntries, writePytorchBin } from "./pytorch-bin-writer.js";
import { CheckpointError, type CheckpointTensor, type TensorMap } from "./types.js";
import { readZipDirectory, zipEntryBytes } from "./zip.js";
import { writeStoredZip } from "./zip-writer.js";

/** Deterministic values in [-1, 1) (an LCG), as float32. */
function floats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The values a tensor of `dtype` holds after rounding to it (what a reader must return). */
function rounded(data: Float32Array, dtype: "F16" | "BF16"): Float32Array {
  return data.map((v) => (dtype === "F16" ? halfBitsToFloat(floatToHalfBits(v)) : bfloat16BitsToFloat(floatToBfloat16Bits(v))));
}

const bitsOf = (data: CheckpointTensor["data"]) =>
  data instanceof Float32Array ? [...new Uint32Array(data.buffer, data.byteOffset, data.length)] : [...data].map(String);

/** A state dict of every writable dtype, odd shapes included. */
function sampleTensors(): TensorMap {
  const special = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 1e-45, 3.4028234663852886e38, -1.5]);
  return new Map<string, CheckpointTensor>([
    ["word_embeddings.weight", { dtype: "F32", shape: [7, 5], data: floats(35, 1) }],
    ["special", { dtype: "F32", shape: [2, 2, 2], data: special }],
    ["half", { dtype: "F16", shape: [3, 4], data: rounded(floats(12, 2), "F16") }],
    ["bfloat", { dtype: "BF16", shape: [12], data: rounded(floats(12, 3), "BF16") }],
    ["scalar", { dtype: "F32", shape: [], data: Float32Array.from([2.5]) }],
    ["empty", { dtype: "F32", shape: [0, 3], data: new Float32Array(0) }],
    ["steps", { dtype: "I64", shape: [4], data: BigInt64Array.from([0n, -1n, 2n ** 62n, -(2n ** 63n)]) }],
    ["ids", { dtype: "I32", shape: [2, 3], data: Int32Array.from([0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 7]) }],
    ["mask", { dtype: "BOOL", shape: [3], data: Int32Array.from([1, 0, 1]) }],
    ["double", { dtype: "F64", shape: [2], data: Float32Array.from([0.1, -3]) }],
  ]);
}

function expectSameTensors(actual: TensorMap, expected: TensorMap): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [name, e] of expected) {
    const a = actual.get(name)!;
    expect(a.dtype, name).toBe(e.dtype);
    expect(a.shape, name).toEqual(e.shape);
    expect(bitsOf(a.data), name).toEqual(bitsOf(e.data));
  }
}

describe("writePytorchBin", () => {
  it("round-trips names, shapes, dtypes and bit-identical values through readPytorchBin", () => {
    const tensors = sampleTensors();
    expectSameTensors(readPytorchBin(writePytorchBin(tensors), "x.bin"), tensors);
  });

  it("stores F16/BF16 as rounded half words and rounds float32 input to nearest even", () => {
    const input = Float32Array.from([1 + 2 ** -11, 1 + 3 * 2 ** -11, 65520, 1 + 2 ** -8, 1 + 3 * 2 ** -8]);
    const bytes = writePytorchBin(
      new Map<string, CheckpointTensor>([
        ["h", { dtype: "F16", shape: [5], data: input }],
        ["b", { dtype: "BF16", shape: [5], data: input }],
      ]),
    );
    const dir = readZipDirectory(bytes, "x.bin");
    const words = (key: string) => {
      const raw = zipEntryBytes(bytes, dir.get(`pytorch_model/data/${key}`)!, "x.bin");
      return [...new Uint16Array(raw.slice().buffer)];
    };
    expect(words("0")).toEqual([...input].map(floatToHalfBits));
    expect(words("1")).toEqual([...input].map(floatToBfloat16Bits));
    const back = readPytorchBin(bytes, "x.bin");
    // ties go to even; 65520 overflows half to +inf; 1 + 2^-8 is exact in half but a tie in bfloat16
    expect([...back.get("h")!.data]).toEqual([1, 1 + 2 * 2 ** -10, Infinity, 1 + 2 ** -8, 1 + 3 * 2 ** -8]);
    expect([...back.get("b")!.data]).toEqual([1, 1, 65536, 1, 1 + 2 * 2 ** -7]);
  });

  it("lays the archive out as torch.save does: data.pkl, byteorder, storages 0..n-1 (64-byte aligned), version", () => {
    const tensors = sampleTensors();
    const bytes = writePytorchBin(tensors, { archiveName: "archive" });
    const dir = readZipDirectory(bytes, "x.bin");
    const keys = [...Array(tensors.size).keys()].map(String).sort();
    expect([...dir.keys()]).toEqual(["archive/data.pkl", "archive/byteorder", ...keys.map((k) => `archive/data/${k}`), "archive/version"]);
    for (const entry of dir.values()) {
      expect(entry.method, entry.name).toBe(0);
      expect(entry.dataOffset % 64, entry.name).toBe(0);
    }
    const text = (name: string) => new TextDecoder().decode(zipEntryBytes(bytes, dir.get(name)!, "x.bin"));
    expect(text("archive/version")).toBe("3\n");
    expect(text("archive/byteorder")).toBe("little");
    // the pickle names only the globals torch.load(weights_only=True) allows
    const pkl = new TextDecoder("latin1").decode(zipEntryBytes(bytes, dir.get("archive/data.pkl")!, "x.bin"));
    const globals = [...pkl.matchAll(/c([\w.]+)\n(\w+)\n/g)].map((m) => `${m[1]}.${m[2]}`);
    expect(new Set(globals)).toEqual(
      new Set([
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch.FloatStorage",
        "torch.HalfStorage",
        "torch.BFloat16Storage",
        "torch.LongStorage",
        "torch.IntStorage",
        "torch.BoolStorage",
        "torch.DoubleStorage",
      ]),
    );
  });

  it("computes torch's contiguous strides (a zero-size dim counts as 1)", () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(contiguousStrides([])).toEqual([]);
    expect(contiguousStrides([0, 3])).toEqual([3, 1]);
    expect(contiguousStrides([3, 0, 2])).toEqual([2, 2, 1]);
  });

  it("stores a data array passed for two tensors (tied weights) once", () => {
    const shared = floats(6, 9);
    const tensors = new Map<string, CheckpointTensor>([
      ["embed", { dtype: "F32", shape: [2, 3], data: shared }],
      ["other", { dtype: "F32", shape: [3], data: floats(3, 4) }],
      ["lm_head", { dtype: "F32", shape: [3, 2], data: shared }],
      ["lm_head_half", { dtype: "F16", shape: [6], data: shared }],
    ]);
    const bytes = writePytorchBin(tensors);
    const storages = [...readZipDirectory(bytes, "x.bin").keys()].filter((n) => n.includes("/data/"));
    expect(storages).toEqual(["pytorch_model/data/0", "pytorch_model/data/1", "pytorch_model/data/2"]);
    const back = readPytorchBin(bytes, "x.bin");
    expect(back.get("lm_head")!.shape).toEqual([3, 2]);
    expect(bitsOf(back.get("lm_head")!.data)).toEqual(bitsOf(shared));
    expect([...back.get("lm_head_half")!.data]).toEqual([...rounded(shared, "F16")]);
  });

  it("batches dict items by 1000 as Python does and keeps the order of over a thousand tensors", () => {
    const tensors = new Map<string, CheckpointTensor>();
    for (let i = 0; i < 2001; i++) tensors.set(`t${(i * 7919) % 2001}`, { dtype: "F32", shape: [1], data: Float32Array.from([i]) });
    const back = readPytorchBin(writePytorchBin(tensors), "x.bin");
    expect([...back.keys()]).toEqual([...tensors.keys()]);
    expect(back.get("t0")!.data[0]).toBe(0);
    expect(back.get(`t${(2000 * 7919) % 2001}`)!.data[0]).toBe(2000);
  });

  it("writes an empty state dict that reads back empty", () => {
    expect(readPytorchBin(writePytorchBin(new Map()), "x.bin").size).toBe(0);
  });

  it("refuses what torch cannot hold, naming the file and the tensor", () => {
    const one = (t: CheckpointTensor) => new Map([["w", t]]);
    const write = (t: CheckpointTensor) => () => writePytorchBin(one(t), { fileName: "out/pytorch_model.bin" });
    expect(write({ dtype: "U16", shape: [1], data: Int32Array.from([1]) })).toThrow(
      /out\/pytorch_model\.bin: tensor "w": dtype U16 has no PyTorch storage type/,
    );
    expect(write({ dtype: "F32", shape: [2, 2], data: new Float32Array(3) })).toThrow(/tensor "w": shape \[2, 2\] has 4 elements but data has 3/);
    expect(write({ dtype: "F32", shape: [2], data: new Int32Array(2) })).toThrow(/needs a Float32Array but got a Int32Array/);
    expect(write({ dtype: "F32", shape: [-1], data: new Float32Array(0) })).toThrow(CheckpointError);
    expect(() => writePytorchBin(new Map(), { archiveName: "a/b" })).toThrow(/archive name "a\/b"/);
  });
});

// ---- PyTorch itself: only where /usr/bin/python3 can import torch (CI machines may not) ----

const PYTHON = "/usr/bin/python3";
const torchAvailable = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" }).status === 0;
if (!torchAvailable) console.warn(`[glmjs tests] SKIPPING: ${PYTHON} cannot import torch; written pytorch_model.bin files are not loaded with torch.load.`);

/** Runs a Python script with torch and returns its JSON output. */
function python(script: string, ...args: string[]): unknown {
  const run = spawnSync(PYTHON, ["-c", script, ...args], { encoding: "utf8", timeout: 120_000 });
  if (run.status !== 0) throw new Error(`python failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Loads with torch.load (plain and weights_only), checks the zip CRCs; every value as exact text. */
const DESCRIBE = `
import json, sys, zipfile, torch
out = {}
for path in sys.argv[1:]:
    assert zipfile.ZipFile(path).testzip() is None, "bad CRC in " + path
    sd = torch.load(path, map_location="cpu")
    safe = torch.load(path, map_location="cpu", weights_only=True)
    assert list(sd.keys()) == list(safe.keys())
    assert all(torch.equal(sd[k], safe[k]) or (sd[k].isnan() == safe[k].isnan()).all() for k in sd)
    def values(v):
        v = v.flatten()
        if v.is_floating_point():  # exact: every value we write is a float32 value
            return [str(x) for x in v.float().view(torch.int32).tolist()]
        return [str(int(x)) for x in v.tolist()]
    out[path] = [[k, type(sd).__name__, list(v.shape), str(v.dtype), values(v)] for k, v in sd.items()]
print(json.dumps(out))
`;

const TORCH_DTYPE: Record<string, string> = {
  F32: "torch.float32",
  F16: "torch.float16",
  BF16: "torch.bfloat16",
  I64: "torch.int64",
  I32: "torch.int32",
  BOOL: "torch.bool",
  F64: "torch.float64",
};

/** What the script prints for our values: float32 bit patterns (as int32) or the integers. */
function pythonValues(t: CheckpointTensor): string[] {
  if (t.data instanceof Float32Array) return [...new Int32Array(t.data.buffer, t.data.byteOffset, t.data.length)].map(String);
  return [...t.data].map(String);
}

describe.skipIf(!torchAvailable)("writePytorchBin loaded by torch.load", () => {
  const tmp = mkdtempSync(join(tmpdir(), "glmjs-ptbin-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("torch.load and torch.load(weights_only=True) read every tensor with exact values, also with zip64 records", { timeout: 120_000 }, () => {
    const tensors = sampleTensors();
    const plain = join(tmp, "pytorch_model.bin");
    const zip64 = join(tmp, "zip64.bin");
    writeFileSync(plain, writePytorchBin(tensors));
    writeFileSync(zip64, writeStoredZip(pytorchBinEntries(tensors), { alignment: 64, forceZip64: true }));
    const loaded = python(DESCRIBE, plain, zip64) as Record<string, [string, string, number[], string, string[]][]>;
    for (const file of [plain, zip64]) {
      const rows = loaded[file]!;
      expect(rows.map((r) => r[0])).toEqual([...tensors.keys()]);
      for (const [name, type, shape, dtype, values] of rows) {
        const t = tensors.get(name)!;
        expect(type).toBe("OrderedDict");
        expect(shape, name).toEqual(t.shape);
        expect(dtype, name).toBe(TORCH_DTYPE[t.dtype]);
        expect(values, name).toEqual(pythonValues(t));
      }
    }
  });
});

const fixture = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");

describe.skipIf(!fixture)("re-writing the fixture's pytorch_model.bin", () => {
  const original = () => new Uint8Array(readFileSync(join(fixture!, "pytorch_model.bin")));

  it("reads back bit-identical through readPytorchBin", () => {
    const tensors = readPytorchBin(original(), "pytorch_model.bin");
    expectSameTensors(readPytorchBin(writePytorchBin(tensors), "rewritten.bin"), tensors);
  });

  it.skipIf(!torchAvailable)("gives a file torch.load reads with values torch.equal to the fixture's", { timeout: 120_000 }, () => {
    const tmp = mkdtempSync(join(tmpdir(), "glmjs-ptbin-fixture-"));
    try {
      const rewritten = join(tmp, "pytorch_model.bin");
      const tensors = readPytorchBin(original(), "pytorch_model.bin");
      writeFileSync(rewritten, writePytorchBin(tensors));
      const script = `
import json, sys, zipfile, torch
a = torch.load(sys.argv[1], map_location="cpu")
b = torch.load(sys.argv[2], map_location="cpu", weights_only=True)
assert zipfile.ZipFile(sys.argv[2]).testzip() is None
print(json.dumps({"keys": [list(a.keys()), list(b.keys())],
                  "equal": {k: bool(a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and torch.equal(a[k], b[k])) for k in a if k in b},
                  "sums": {k: float(b[k].double().sum()) for k in b}}))
`;
      const r = python(script, join(fixture!, "pytorch_model.bin"), rewritten) as {
        keys: [string[], string[]];
        equal: Record<string, boolean>;
        sums: Record<string, number>;
      };
      expect(r.keys[1]).toEqual(r.keys[0]);
      expect(r.keys[1]).toEqual([...tensors.keys()]);
      for (const [name, same] of Object.entries(r.equal)) expect(same, name).toBe(true);
      for (const [name, t] of tensors) {
        const sum = [...t.data].reduce((s: number, v) => s + Number(v), 0);
        expect(r.sums[name], name).toBeCloseTo(sum, 9);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
