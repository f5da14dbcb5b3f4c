// readPytorchBin on files written by PyTorch itself (torch.save, run by /usr/bin/python3 in
// torch-interop.py): views with strides and storage offsets, every storage dtype, shared
// storages, a module's state dict, and zip64 records (from torch's writer past 65535 entries, and
// from Python's zipfile writing every field in zip64 form). Each tensor must equal, value for
// value, what torch.load gives. Skipped, visibly, where torch cannot be imported.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPytorchBin } from "./pytorch-bin.js";
import type { CheckpointTensor, TensorMap } from "./types.js";
import { readZipDirectory } from "./zip.js";

const PYTHON = "/usr/bin/python3";
const torchAvailable = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" }).status === 0;
if (!torchAvailable)
  console.warn(
    `[glmjs tests] SKIPPING: ${PYTHON} cannot import torch (Debian: apt-get install python3-torch); the reader is not checked on files torch.save wrote.`,
  );

const GENERATOR = join(dirname(fileURLToPath(import.meta.url)), "torch-interop.py");

/** [name, shape, torch dtype, values as exact text] per tensor, in file order. */
type Described = [string, number[], string, string[]][];
interface Layout {
  offset: number;
  stride: number[];
  contiguous: boolean;
  storage_of: string;
}
interface Zip64Records {
  entries: number;
  end_record: boolean;
  locator: boolean;
  eocd_count_saturated: boolean;
  central_zip64_extras: number;
  central_saturated_fields: number;
  local_zip64_extras: number;
}
interface Expected {
  [file: string]: unknown;
  layout: Record<string, Record<string, Layout>>;
  zip64: Record<string, Zip64Records>;
  module_metadata: boolean;
}

const TORCH_DTYPE: Record<string, string> = {
  F64: "torch.float64",
  F32: "torch.float32",
  F16: "torch.float16",
  BF16: "torch.bfloat16",
  I64: "torch.int64",
  I32: "torch.int32",
  I16: "torch.int16",
  I8: "torch.int8",
  U8: "torch.uint8",
  BOOL: "torch.bool",
};

/** Our values in the script's notation: float32 bit patterns as int32 for floats, else the integers. */
function exactValues(t: CheckpointTensor): string[] {
  if (t.data instanceof Float32Array) return [...new Int32Array(Float32Array.from(t.data).buffer)].map(String);
  return [...t.data].map(String);
}

describe.skipIf(!torchAvailable)("readPytorchBin on files written by torch.save", () => {
  let dir = "";
  let expected: Expected;
  const read = (file: string): TensorMap => readPytorchBin(new Uint8Array(readFileSync(join(dir, file))), file);

  /** Every tensor of `file` equals torch.load's: names in order, shape, dtype, each value bit for bit. */
  const expectAsTorchLoads = (file: string, tensors = read(file)) => {
    const rows = expected[file] as Described;
    expect([...tensors.keys()]).toEqual(rows.map((r) => r[0]));
    for (const [name, shape, dtype, values] of rows) {
      const t = tensors.get(name)!;
      expect(t.shape, name).toEqual(shape);
      expect(TORCH_DTYPE[t.dtype], name).toBe(dtype);
      expect(t.data.length, name).toBe(values.length);
      expect(exactValues(t), name).toEqual(values);
    }
    return tensors;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "glmjs-torch-interop-"));
    const run = spawnSync(PYTHON, [GENERATOR, dir], { encoding: "utf8", timeout: 240_000 });
    if (run.status !== 0) throw new Error(`torch-interop.py failed (${run.status}): ${run.stderr}`);
    expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads non-contiguous views (transposes, step slices, permutes, expands) and storage offsets as torch.load does", () => {
    const layout = expected.layout["views.pt"]!;
    // What the file holds: the views were saved as views, not as contiguous copies.
    expect(layout.transposed).toMatchObject({ contiguous: false, stride: [1, 4] });
    expect(layout.offset_block).toMatchObject({ contiguous: false, offset: 5 });
    expect(layout.strided_3d).toMatchObject({ contiguous: false, offset: 1, stride: [12, 8, 2] });
    expect(layout.expanded!.stride).toEqual([0, 1]);
    expect(layout.row!.offset).toBe(8);
    expect(layout.scalar).toMatchObject({ offset: 6, stride: [] });
    expect(layout.step_slice!.storage_of).toBe("transposed");
    const tensors = expectAsTorchLoads("views.pt");
    expect(tensors.get("scalar")!.shape).toEqual([]);
    expect(tensors.get("empty")!.shape).toEqual([3, 0]);
  });

  it("reads F16, BF16, F64, F32, I64 (full 64-bit range), I32, I16, I8, U8 and bool storages, contiguous and as strided views at an offset", () => {
    const layout = expected.layout["dtypes.pt"]!;
    for (const name of ["f16", "bf16", "f64", "i64", "bool"])
      expect(layout[`${name}_view`], name).toMatchObject({ contiguous: false, offset: 7, stride: [1, 4] });
    const tensors = expectAsTorchLoads("dtypes.pt");
    expect([...tensors.values()].map((t) => t.dtype)).toEqual(expect.arrayContaining(["F16", "BF16", "F64", "F32", "I64", "I32", "I16", "I8", "U8", "BOOL"]));
    // 64-bit integers beyond 2^53 survive (a Number would round them).
    expect([...(tensors.get("i64")!.data as BigInt64Array)].slice(0, 4)).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n, -(2n ** 53n) - 1n]);
    expect(tensors.get("i64_view")!.data).toBeInstanceOf(BigInt64Array);
  });

  it("gives tensors that share a storage (tied weights, slices of one buffer) each their own values", () => {
    const layout = expected.layout["shared.pt"]!;
    expect(layout["lm_head.weight"]!.storage_of).toBe("embed.weight");
    expect(layout.rest).toMatchObject({ storage_of: "first", offset: 4 });
    const bytes = new Uint8Array(readFileSync(join(dir, "shared.pt")));
    const storages = [...readZipDirectory(bytes, "shared.pt").keys()].filter((n) => /\/data\/\d+$/.test(n));
    expect(storages).toHaveLength(2); // four tensors, two storages in the file
    const tensors = expectAsTorchLoads("shared.pt");
    expect(tensors.get("lm_head.weight")!.data).toEqual(tensors.get("embed.weight")!.data);
  });

  it("reads an nn.Module state dict (Parameters, an int64 buffer, the OrderedDict's _metadata)", () => {
    expect(expected.module_metadata).toBe(true);
    const tensors = expectAsTorchLoads("module.pt");
    expect(tensors.get("position_ids")!.dtype).toBe("I64");
  });

  it("reads torch's own zip64 archive: 65537 entries, counted in the zip64 end record", () => {
    const records = expected.zip64["many.pt"]!;
    expect(records).toMatchObject({ entries: 65537, end_record: true, locator: true, eocd_count_saturated: true });
    const tensors = read("many.pt");
    expect(tensors.size).toBe(65535);
    let wrong = 0;
    for (let i = 0; i < 65535; i++) {
      const t = tensors.get(`t${i}`);
      if (!t || t.dtype !== "I32" || t.data[0] !== i || t.data[1] !== -i) wrong++;
    }
    expect(wrong).toBe(0);
  }, 120_000);

  it("reads archives whose every size and offset is in zip64 form (local and central extras, zip64 end record), which torch.load reads too", () => {
    for (const file of ["views-zip64.pt", "dtypes-zip64.pt"]) {
      const records = expected.zip64[file]!;
      // Every entry but the first (at offset 0, which fits) has its offset saturated; every non-empty one its sizes.
      expect(records.end_record && records.locator, file).toBe(true);
      expect(records.central_zip64_extras, file).toBe(records.entries);
      expect(records.central_saturated_fields, file).toBe(records.entries);
      expect(records.local_zip64_extras, file).toBe(records.entries);
      // expected[file] was described by torch.load from this very file.
      expectAsTorchLoads(file);
      expect(expected[file]).toEqual(expected[file.replace("-zip64", "")]);
    }
  });

  it("refuses the pre-1.6 format (_use_new_zipfile_serialization=False) and says how to re-save", () => {
    expect(() => read("legacy.pt")).toThrow(/legacy\.pt: this is a Python pickle, not a PyTorch zip checkpoint.*torch >= 1\.6/);
  });
});
