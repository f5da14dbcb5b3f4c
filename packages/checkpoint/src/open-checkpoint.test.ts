// Checkpoints read by ranges: the same tensors as the eager readers, and never the whole file in
// one read (the property that lets files over 2 GiB load).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixtureDir } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { openCheckpoint, openShardedCheckpoint, readAllTensors } from "./open-checkpoint.js";
import { readPytorchBin } from "./pytorch-bin.js";
import { writePytorchBin } from "./pytorch-bin-writer.js";
import { bytesRangeSource, type RangeSource } from "./range-source.js";
import { readSafetensors, writeSafetensors } from "./safetensors.js";
import { planSafetensorsShards } from "./sharded.js";
import { CheckpointError, type CheckpointTensor, type TensorMap } from "./types.js";

/** A range source that records every read. */
function recording(bytes: Uint8Array, name: string): RangeSource & { reads: { offset: number; length: number }[] } {
  const inner = bytesRangeSource(bytes, name);
  const reads: { offset: number; length: number }[] = [];
  return {
    name,
    size: inner.size,
    reads,
    read(offset, length) {
      reads.push({ offset, length });
      return inner.read(offset, length);
    },
  };
}

function tensors(): TensorMap {
  const seq = (n: number, scale: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * scale));
  return new Map<string, CheckpointTensor>([
    ["word_embeddings.weight", { dtype: "F32", shape: [1024, 64], data: seq(65536, 0.37) }],
    ["transformer.layers.0.attention.query_key_value.weight", { dtype: "F16", shape: [48, 16], data: seq(768, 0.11) }],
    ["transformer.layers.0.attention.query_key_value.bias", { dtype: "BF16", shape: [48], data: seq(48, 0.7) }],
    ["transformer.final_layernorm.weight", { dtype: "F32", shape: [16], data: seq(16, 1.3) }],
    ["step", { dtype: "I64", shape: [], data: BigInt64Array.from([42n]) }],
  ]);
}

function expectSameTensors(actual: TensorMap, expected: TensorMap): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, t] of expected) {
    const a = actual.get(name)!;
    expect(a.dtype, name).toBe(t.dtype);
    expect(a.shape, name).toEqual(t.shape);
    expect(Array.from(a.data as ArrayLike<number | bigint>), name).toEqual(Array.from(t.data as ArrayLike<number | bigint>));
  }
}

describe("openCheckpoint (reading by ranges)", () => {
  for (const format of ["safetensors", "pytorch"] as const) {
    it(`${format}: the same tensors as the eager reader, each read on its own, nothing read twice`, async () => {
      const bytes = format === "safetensors" ? writeSafetensors(tensors(), { note: "x" }) : writePytorchBin(tensors());
      const eager = format === "safetensors" ? readSafetensors(bytes, "f").tensors : readPytorchBin(bytes, "f");
      const source = recording(bytes, `model.${format}`);
      const lazy = await openCheckpoint(source);
      expect(lazy.format).toBe(format);
      if (format === "safetensors") expect(lazy.metadata).toEqual({ note: "x" });
      expect([...lazy.tensors].map(([k, v]) => [k, v.dtype, v.shape])).toEqual([...eager].map(([k, v]) => [k, v.dtype, v.shape]));
      const headerReads = source.reads.length;
      expectSameTensors((await readAllTensors(lazy)).tensors, eager);
      // Every data read is at most one tensor's bytes (plus PyTorch's 30-byte local headers), and
      // the reads together stay near the file size: the file is never loaded whole.
      const dataReads = source.reads.slice(headerReads);
      const largest = Math.max(...[...eager.values()].map((t) => t.data.length * (t.dtype === "F32" ? 4 : t.dtype === "I64" ? 8 : 2)));
      for (const r of dataReads) expect(r.length).toBeLessThanOrEqual(largest);
      expect(source.reads.every((r) => r.length < bytes.byteLength)).toBe(true);
      const total = source.reads.reduce((n, r) => n + r.length, 0);
      expect(total).toBeLessThan(bytes.byteLength * 1.02 + 66_000); // + the zip tail read (≤ 64 KiB)
    });
  }

  it("an unknown tensor name is an error naming file and key", async () => {
    const lazy = await openCheckpoint(bytesRangeSource(writePytorchBin(tensors()), "w.bin"));
    await expect(lazy.read("nope")).rejects.toThrow(/w\.bin: tensor "nope": no such tensor/);
  });

  it("refuses truncated files and names them", async () => {
    const st = writeSafetensors(tensors());
    await expect(openCheckpoint(bytesRangeSource(st.subarray(0, st.byteLength - 4), "cut.safetensors"))).rejects.toThrow(CheckpointError);
    const pt = writePytorchBin(tensors());
    await expect(openCheckpoint(bytesRangeSource(pt.subarray(0, pt.byteLength - 30), "cut.bin"))).rejects.toThrow(
      /cut\.bin: .*(end-of-central-directory|beyond the end)/,
    );
    await expect(openCheckpoint(bytesRangeSource(new TextEncoder().encode("not weights at all"), "x.txt"))).rejects.toThrow(
      /x\.txt: not a recognised checkpoint/,
    );
  });

  it("a sharded checkpoint opens as one, with every key checked against the index", async () => {
    const plan = planSafetensorsShards(tensors(), 200_000);
    expect(plan.shards.length).toBeGreaterThan(1);
    const files = new Map(plan.shards.map((s) => [s.fileName, writeSafetensors(s.tensors)]));
    const lazy = await openShardedCheckpoint(plan.index, plan.indexName, (f) => openCheckpoint(bytesRangeSource(files.get(f)!, f)));
    const expected: TensorMap = new Map();
    for (const [f, b] of files) for (const [k, v] of readSafetensors(b, f).tensors) expected.set(k, v);
    expectSameTensors((await readAllTensors(lazy)).tensors, expected);
    const wrong = { ...plan.index, weight_map: { ...plan.index.weight_map, "word_embeddings.weight": plan.shards[1]!.fileName } };
    await expect(openShardedCheckpoint(wrong, "i.json", (f) => openCheckpoint(bytesRangeSource(files.get(f)!, f)))).rejects.toThrow(
      /tensor "word_embeddings\.weight": (tensor is in this shard but i\.json maps it to|i\.json maps this tensor to)/,
    );
  });

  const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");
  it.skipIf(!dir)("the model fixture's torch-written pytorch_model.bin reads the same by ranges", async () => {
    const bytes = new Uint8Array(readFileSync(join(dir!, "pytorch_model.bin")));
    const lazy = await openCheckpoint(bytesRangeSource(bytes, "pytorch_model.bin"));
    expectSameTensors((await readAllTensors(lazy)).tensors, readPytorchBin(bytes, "pytorch_model.bin"));
  });
});
