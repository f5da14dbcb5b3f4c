// Sharded checkpoints as Hugging Face writes them: `<name>.index.json` =
// { "metadata": { "total_size": bytes }, "weight_map": { tensor: shard file } } beside the
// shards, which are ordinary safetensors or pytorch_model.bin files. File access is injected,
// so this module works on bytes from anywhere (disk in Node, fetch in a browser).

import { GlmjsError } from "@glmjs/common";
import { DTYPE_SIZE } from "./dtypes.js";
import { readCheckpointBytes } from "./read-bytes.js";
import { CheckpointError, numElements, tensorEntries, type CheckpointTensor, type TensorInput, type TensorMap } from "./types.js";

export interface ShardIndex {
  metadata: { total_size?: number; [field: string]: unknown };
  weight_map: Record<string, string>;
}

/** Parses and validates an index file's text. Shard names must be plain file names in the same folder. */
export function parseShardIndex(text: string, indexName: string): ShardIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(indexName, `index is not valid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new CheckpointError(indexName, "index is not a JSON object");
  const { metadata = {}, weight_map: weightMap } = raw as Record<string, unknown>;
  if (typeof weightMap !== "object" || weightMap === null || Array.isArray(weightMap)) {
    throw new CheckpointError(indexName, `index has no "weight_map" object mapping tensor names to shard files`);
  }
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) throw new CheckpointError(indexName, `index "metadata" is not an object`);
  for (const [key, file] of Object.entries(weightMap as Record<string, unknown>)) {
    if (typeof file !== "string" || file === "" || /[\\/]/.test(file) || file === "." || file === "..") {
      throw new CheckpointError(indexName, `weight_map entry ${JSON.stringify(file)} is not a plain file name in the index's folder`, key);
    }
  }
  return { metadata: metadata as ShardIndex["metadata"], weight_map: weightMap as Record<string, string> };
}

/** Shard file names in first-use order. */
export function shardFiles(index: ShardIndex): string[] {
  return [...new Set(Object.values(index.weight_map))];
}

/**
 * Reads every shard through `loadShard(fileName)` and checks that each tensor is exactly
 * where the index says: a tensor the index lists but its shard lacks, or a tensor in a shard
 * that the index does not map to that shard, is an error naming the key and the file.
 */
export async function readShardedCheckpointWith(
  index: ShardIndex,
  indexName: string,
  loadShard: (fileName: string) => Promise<Uint8Array>,
): Promise<{ tensors: TensorMap; metadata: Record<string, string> }> {
  const tensors: TensorMap = new Map();
  const metadata: Record<string, string> = {};
  for (const file of shardFiles(index)) {
    const shard = readCheckpointBytes(await loadShard(file), file);
    for (const [key, t] of shard.tensors) {
      const listed = index.weight_map[key];
      if (listed === undefined) throw new CheckpointError(file, `tensor is in this shard but not in ${indexName}'s weight_map`, key);
      if (listed !== file) throw new CheckpointError(file, `tensor is in this shard but ${indexName} maps it to "${listed}"`, key);
      tensors.set(key, t);
    }
    Object.assign(metadata, shard.metadata);
  }
  for (const [key, file] of Object.entries(index.weight_map)) {
    if (!tensors.has(key)) throw new CheckpointError(file, `${indexName} maps this tensor to "${file}", but the shard does not contain it`, key);
  }
  return { tensors, metadata };
}

/** Bytes a tensor occupies in a file. */
export function tensorByteSize(t: CheckpointTensor): number {
  return numElements(t.shape) * DTYPE_SIZE[t.dtype];
}

export interface ShardPlan {
  shards: { fileName: string; tensors: TensorMap }[];
  index: ShardIndex;
  /** Conventional name of the index file, e.g. "model.safetensors.index.json". */
  indexName: string;
}

/**
 * Splits tensors into safetensors shards of at most `maxShardBytes` of tensor data each (a
 * tensor larger than the limit gets a shard of its own), in the given order, named like Hugging
 * Face's: `<baseName>-00001-of-00003.safetensors`.
 */
export function planSafetensorsShards(tensors: TensorInput, maxShardBytes: number, baseName = "model"): ShardPlan {
  if (!(maxShardBytes > 0)) throw new GlmjsError("OPTION_INVALID", `maxShardBytes must be positive, got ${maxShardBytes}`);
  const groups: TensorMap[] = [];
  let current: TensorMap = new Map();
  let currentBytes = 0;
  let totalSize = 0;
  for (const [key, t] of tensorEntries(tensors)) {
    const size = tensorByteSize(t);
    if (current.size > 0 && currentBytes + size > maxShardBytes) {
      groups.push(current);
      current = new Map();
      currentBytes = 0;
    }
    current.set(key, t);
    currentBytes += size;
    totalSize += size;
  }
  if (current.size > 0 || groups.length === 0) groups.push(current);
  const width = (n: number) => String(n).padStart(5, "0");
  const shards = groups.map((g, i) => ({ fileName: `${baseName}-${width(i + 1)}-of-${width(groups.length)}.safetensors`, tensors: g }));
  const weightMap: Record<string, string> = {};
  for (const s of shards) for (const key of s.tensors.keys()) weightMap[key] = s.fileName;
  return { shards, index: { metadata: { total_size: totalSize }, weight_map: weightMap }, indexName: `${baseName}.safetensors.index.json` };
}

/** The index as Hugging Face writes it: keys sorted, two-space indent, trailing newline. */
export function formatShardIndex(index: ShardIndex): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(index.weight_map).sort()) sorted[key] = index.weight_map[key]!;
  return `${JSON.stringify({ metadata: index.metadata, weight_map: sorted }, null, 2)}\n`;
}
