import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { writeSafetensors } from "./safetensors.js";
import { formatShardIndex, parseShardIndex, planSafetensorsShards, readShardedCheckpointWith, type ShardIndex } from "./sharded.js";
import type { CheckpointTensor } from "./types.js";

const t = (n: number, fill: number): CheckpointTensor => ({ dtype: "F32", shape: [n], data: new Float32Array(n).fill(fill) });

describe("sharded checkpoints (in memory)", () => {
  const tensors = new Map([
    ["a", t(4, 1)], // 16 bytes
    ["b", t(4, 2)], // 16
    ["c", t(10, 3)], // 40: larger than the limit, gets its own shard
    ["d", t(2, 4)], // 8
  ]);

  it("plans shards under the size limit, named like Hugging Face's", () => {
    const plan = planSafetensorsShards(tensors, 32);
    expect(plan.shards.map((s) => [s.fileName, [...s.tensors.keys()]])).toEqual([
      ["model-00001-of-00003.safetensors", ["a", "b"]],
      ["model-00002-of-00003.safetensors", ["c"]],
      ["model-00003-of-00003.safetensors", ["d"]],
    ]);
    expect(plan.index.metadata.total_size).toBe(16 + 16 + 40 + 8);
    expect(plan.indexName).toBe("model.safetensors.index.json");
    expect(JSON.parse(formatShardIndex(plan.index))).toEqual(plan.index);
  });

  const files = () => {
    const plan = planSafetensorsShards(tensors, 32);
    const bytes = new Map(plan.shards.map((s) => [s.fileName, writeSafetensors(s.tensors, { format: "pt" })]));
    return { plan, load: async (f: string) => bytes.get(f)! };
  };

  it("reads back every tensor from its shard", async () => {
    const { plan, load } = files();
    const back = await readShardedCheckpointWith(parseShardIndex(formatShardIndex(plan.index), "i.json"), "i.json", load);
    expect([...back.tensors.keys()].sort()).toEqual(["a", "b", "c", "d"]);
    expect(Array.from(back.tensors.get("c")!.data as Float32Array)).toEqual(Array.from({ length: 10 }, () => 3));
    expect(back.metadata).toEqual({ format: "pt" });
  });

  it("reports keys the index lists but a shard lacks, and keys a shard holds that the index maps elsewhere or not at all", async () => {
    const { plan, load } = files();
    const missing: ShardIndex = { ...plan.index, weight_map: { ...plan.index.weight_map, e: "model-00003-of-00003.safetensors" } };
    await expect(readShardedCheckpointWith(missing, "i.json", load)).rejects.toThrow(
      'model-00003-of-00003.safetensors: tensor "e": i.json maps this tensor to "model-00003-of-00003.safetensors", but the shard does not contain it',
    );
    const moved: ShardIndex = { ...plan.index, weight_map: { ...plan.index.weight_map, b: "model-00002-of-00003.safetensors" } };
    await expect(readShardedCheckpointWith(moved, "i.json", load)).rejects.toThrow(
      'model-00001-of-00003.safetensors: tensor "b": tensor is in this shard but i.json maps it to "model-00002-of-00003.safetensors"',
    );
    const { b: _dropped, ...rest } = plan.index.weight_map;
    await expect(readShardedCheckpointWith({ ...plan.index, weight_map: rest }, "i.json", load)).rejects.toThrow(
      'model-00001-of-00003.safetensors: tensor "b": tensor is in this shard but not in i.json\'s weight_map',
    );
  });

  it("validates the index file itself", () => {
    expect(() => parseShardIndex("{", "i.json")).toThrow(/i\.json: index is not valid JSON/);
    expect(() => parseShardIndex('{"metadata":{}}', "i.json")).toThrow(/i\.json: index has no "weight_map"/);
    let err: unknown;
    try {
      planSafetensorsShards(new Map(), 0);
    } catch (e) {
      err = e;
    }
    expect(GlmjsError.is(err, "OPTION_INVALID")).toBe(true);
    expect((err as Error).message).toBe("maxShardBytes must be positive, got 0");
    expect(() => parseShardIndex('{"weight_map":{"w":"../etc/passwd"}}', "i.json")).toThrow(
      /i\.json: tensor "w": weight_map entry "..\/etc\/passwd" is not a plain file name/,
    );
  });
});
