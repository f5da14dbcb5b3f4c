// Checkpoints opened for reading tensor by tensor: the format is recognised from the first bytes,
// the header (safetensors) or zip directory + pickle (PyTorch) read, and each tensor's bytes only
// when it is asked for. This is how files over 2 GiB load without ever being one buffer.

import { openPytorchCheckpoint } from "./pytorch-bin.js";
import type { RangeSource } from "./range-source.js";
import { sniffCheckpointFormat } from "./read-bytes.js";
import { openSafetensors } from "./safetensors.js";
import { shardFiles, type ShardIndex } from "./sharded.js";
import { CheckpointError, type CheckpointContents, type LazyCheckpoint, type TensorInfo, type TensorMap } from "./types.js";

/** Opens a safetensors or PyTorch zip file (recognised by content) for reading tensor by tensor. */
export async function openCheckpoint(source: RangeSource): Promise<LazyCheckpoint> {
  const head = await source.read(0, Math.min(source.size, 16));
  switch (sniffCheckpointFormat(head)) {
    case "safetensors":
      return openSafetensors(source);
    case "pytorch":
    case "pytorch-legacy": // the PyTorch reader explains how to convert it
      return openPytorchCheckpoint(source);
    default:
      throw new CheckpointError(source.name, "not a recognised checkpoint: neither safetensors (8-byte length + JSON header) nor a PyTorch zip file");
  }
}

/**
 * A sharded checkpoint as one lazy checkpoint: every shard is opened (headers only) through
 * `openShard(fileName)`, and each tensor must be exactly in the shard the index names.
 */
export async function openShardedCheckpoint(
  index: ShardIndex,
  indexName: string,
  openShard: (fileName: string) => Promise<LazyCheckpoint>,
): Promise<LazyCheckpoint> {
  const owner = new Map<string, LazyCheckpoint>();
  const tensors = new Map<string, TensorInfo>();
  const metadata: Record<string, string> = {};
  let format: LazyCheckpoint["format"] = "safetensors";
  for (const file of shardFiles(index)) {
    const shard = await openShard(file);
    format = shard.format;
    for (const [key, info] of shard.tensors) {
      const listed = index.weight_map[key];
      if (listed === undefined) throw new CheckpointError(file, `tensor is in this shard but not in ${indexName}'s weight_map`, key);
      if (listed !== file) throw new CheckpointError(file, `tensor is in this shard but ${indexName} maps it to "${listed}"`, key);
      tensors.set(key, info);
      owner.set(key, shard);
    }
    Object.assign(metadata, shard.metadata);
  }
  for (const [key, file] of Object.entries(index.weight_map)) {
    if (!tensors.has(key)) throw new CheckpointError(file, `${indexName} maps this tensor to "${file}", but the shard does not contain it`, key);
  }
  return {
    format,
    name: indexName,
    metadata,
    tensors,
    read(name) {
      const shard = owner.get(name);
      if (!shard) return Promise.reject(new CheckpointError(indexName, "no such tensor in the checkpoint", name));
      return shard.read(name);
    },
  };
}

/** Reads every tensor of a lazy checkpoint (for code that wants them all in memory). */
export async function readAllTensors(checkpoint: LazyCheckpoint): Promise<CheckpointContents> {
  const tensors: TensorMap = new Map();
  for (const name of checkpoint.tensors.keys()) tensors.set(name, await checkpoint.read(name));
  return { format: checkpoint.format, tensors, metadata: { ...checkpoint.metadata } };
}

/** A lazy view of tensors already in memory (so in-memory and on-disk checkpoints load through one path). */
export function lazyFromContents(contents: CheckpointContents, name: string): LazyCheckpoint {
  return {
    format: contents.format,
    name,
    metadata: contents.metadata,
    tensors: new Map([...contents.tensors].map(([k, t]): [string, TensorInfo] => [k, { dtype: t.dtype, shape: t.shape }])),
    read(key) {
      const t = contents.tensors.get(key);
      return t ? Promise.resolve(t) : Promise.reject(new CheckpointError(name, "no such tensor in the checkpoint", key));
    },
  };
}
