import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readCheckpoint, readCheckpointFile, readShardedCheckpoint, writeSafetensorsFile, writeShardedSafetensors } from "./node-fs.js";
import type { CheckpointTensor } from "./types.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "glmjs-ckpt-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tensors = () =>
  new Map<string, CheckpointTensor>([
    ["word_embeddings.weight", { dtype: "F32", shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i / 7) }],
    ["transformer.final_layernorm.weight", { dtype: "F16", shape: [4], data: new Float32Array([1, 0.5, -2, 0.25]) }],
    ["transformer.final_layernorm.bias", { dtype: "F32", shape: [4], data: new Float32Array([0.1, 0.2, 0.3, 0.4]) }],
  ]);

describe("checkpoint files on disk", () => {
  it("writes and reads a sharded safetensors checkpoint", async () => {
    const indexPath = await writeShardedSafetensors(dir, tensors(), { maxShardBytes: 20, metadata: { format: "pt" } });
    expect(indexPath).toBe(join(dir, "model.safetensors.index.json"));
    expect(readdirSync(dir).sort()).toEqual([
      "model-00001-of-00003.safetensors",
      "model-00002-of-00003.safetensors",
      "model-00003-of-00003.safetensors",
      "model.safetensors.index.json",
    ]);
    const back = await readShardedCheckpoint(indexPath);
    for (const [name, t] of tensors()) {
      expect(back.tensors.get(name)!.shape).toEqual(t.shape);
      expect(Array.from(back.tensors.get(name)!.data as Float32Array)).toEqual(Array.from(t.data as Float32Array).map(Math.fround));
    }
    const viaDir = await readCheckpoint(dir);
    expect(viaDir.format).toBe("safetensors");
    expect(viaDir.tensors.size).toBe(3);
  });

  it("names a shard that the index lists but that is not there", async () => {
    const indexPath = await writeShardedSafetensors(dir, tensors(), { maxShardBytes: 20 });
    rmSync(join(dir, "model-00002-of-00003.safetensors"));
    await expect(readShardedCheckpoint(indexPath)).rejects.toThrow(
      /model-00002-of-00003\.safetensors: tensor "[^"]+": shard listed in .*model\.safetensors\.index\.json does not exist/,
    );
  });

  it("reads a single file and reports a missing one by path", async () => {
    const path = join(dir, "model.safetensors");
    await writeSafetensorsFile(path, tensors(), { format: "pt" });
    const back = await readCheckpointFile(path);
    expect(back.metadata).toEqual({ format: "pt" });
    expect(back.tensors.size).toBe(3);
    await expect(readCheckpointFile(join(dir, "nope.bin"))).rejects.toThrow(/nope\.bin: file does not exist/);
    await expect(readCheckpoint(join(dir, "nope"))).rejects.toThrow(/nope: does not exist/);
  });
});
