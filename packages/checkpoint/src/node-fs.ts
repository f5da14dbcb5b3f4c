// The only file of @glmjs/checkpoint that touches the file system (exported from
// "@glmjs/checkpoint/node"). Node built-ins are loaded lazily through importNode, so a
// browser-safe module (core's loadModel) may import this file without bundling node:fs.

import { importNode } from "@glmjs/common";
import { writeFileAtomic } from "@glmjs/common/node";
import { readCheckpointBytes } from "./read-bytes.js";
import { writeSafetensors } from "./safetensors.js";
import { formatShardIndex, parseShardIndex, planSafetensorsShards, readShardedCheckpointWith, type ShardIndex } from "./sharded.js";
import { CheckpointError, type CheckpointContents, type TensorInput, type TensorMap } from "./types.js";

async function node(neededBy: string) {
  const [fs, path] = await Promise.all([importNode("node:fs/promises", neededBy), importNode("node:path", neededBy)]);
  return { fs, path };
}

/** Reads a whole file into one Uint8Array; files beyond what one array can hold get an explanation. */
export async function readFileBytes(filePath: string): Promise<Uint8Array> {
  const { fs } = await node("readFileBytes");
  const handle = await fs.open(filePath, "r").catch((err: NodeJS.ErrnoException) => {
    throw new CheckpointError(filePath, err.code === "ENOENT" ? "file does not exist" : `cannot open (${err.message})`);
  });
  try {
    const { size } = await handle.stat();
    let out: Uint8Array;
    try {
      out = new Uint8Array(size);
    } catch {
      throw new CheckpointError(
        filePath,
        `file is ${size} bytes, more than this JavaScript engine can hold in one array. ` +
          "Split it into shards (save_pretrained(max_shard_size=...) or glmjs's sharded writer) and load the *.index.json",
      );
    }
    // fs.readFile stops at 2 GiB; reading in chunks has no such limit.
    const chunk = 1 << 30;
    for (let at = 0; at < size; ) {
      const { bytesRead } = await handle.read(out, at, Math.min(chunk, size - at), at);
      if (bytesRead === 0) throw new CheckpointError(filePath, `file shrank while being read (got ${at} of ${size} bytes)`);
      at += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** Reads a safetensors or pytorch_model.bin file (format recognised by content). */
export async function readCheckpointFile(filePath: string): Promise<CheckpointContents> {
  return readCheckpointBytes(await readFileBytes(filePath), filePath);
}

/** Reads a sharded checkpoint from its `*.index.json`; shards are looked up beside the index. */
export async function readShardedCheckpoint(indexPath: string): Promise<{ tensors: TensorMap; metadata: Record<string, string>; index: ShardIndex }> {
  const { fs, path } = await node("readShardedCheckpoint");
  const text = await fs.readFile(indexPath, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new CheckpointError(indexPath, err.code === "ENOENT" ? "index file does not exist" : `cannot read (${err.message})`);
  });
  const index = parseShardIndex(text, indexPath);
  const dir = path.dirname(indexPath);
  for (const [key, file] of Object.entries(index.weight_map)) {
    const shardPath = path.join(dir, file);
    const exists = await fs.stat(shardPath).then((s) => s.isFile(), () => false);
    if (!exists) throw new CheckpointError(shardPath, `shard listed in ${indexPath} does not exist`, key);
  }
  const { tensors, metadata } = await readShardedCheckpointWith(index, indexPath, (file) => readFileBytes(path.join(dir, file)));
  return { tensors, metadata, index };
}

/** Files a checkpoint folder may hold, in the order they are preferred. */
export const CHECKPOINT_FILE_NAMES = ["model.safetensors.index.json", "model.safetensors", "pytorch_model.bin.index.json", "pytorch_model.bin"] as const;

/** The weights file (or index) to load from a folder, or an error listing what was looked for. */
export async function findCheckpointFile(dir: string): Promise<string> {
  const { fs, path } = await node("findCheckpointFile");
  for (const name of CHECKPOINT_FILE_NAMES) {
    const p = path.join(dir, name);
    if (await fs.stat(p).then((s) => s.isFile(), () => false)) return p;
  }
  throw new CheckpointError(dir, `no weights found; expected one of ${CHECKPOINT_FILE_NAMES.join(", ")}`);
}

/** Reads a checkpoint given a folder, a weights file or an index file. */
export async function readCheckpoint(pathOrDir: string): Promise<CheckpointContents> {
  const { fs } = await node("readCheckpoint");
  const stat = await fs.stat(pathOrDir).catch(() => undefined);
  if (!stat) throw new CheckpointError(pathOrDir, "does not exist");
  const file = stat.isDirectory() ? await findCheckpointFile(pathOrDir) : pathOrDir;
  if (file.endsWith(".index.json")) {
    const { tensors, metadata } = await readShardedCheckpoint(file);
    const format = file.endsWith(".bin.index.json") ? "pytorch" : "safetensors";
    return { format, tensors, metadata };
  }
  return readCheckpointFile(file);
}

/** Writes tensors as one safetensors file, atomically. */
export async function writeSafetensorsFile(filePath: string, tensors: TensorInput, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(filePath, writeSafetensors(tensors, metadata, filePath));
}

export interface ShardedWriteOptions {
  /** Most bytes of tensor data per shard (Hugging Face's default is 5 GB). */
  maxShardBytes: number;
  metadata?: Record<string, string>;
  /** File name stem: "model" → model-00001-of-00002.safetensors + model.safetensors.index.json. */
  baseName?: string;
}

/**
 * Writes tensors into `dir` as safetensors shards plus `<baseName>.safetensors.index.json`, each
 * file atomically; the index is written last, so it never names a shard that is not complete.
 * Returns the index path.
 */
export async function writeShardedSafetensors(dir: string, tensors: TensorInput, options: ShardedWriteOptions): Promise<string> {
  const { fs, path } = await node("writeShardedSafetensors");
  await fs.mkdir(dir, { recursive: true });
  const plan = planSafetensorsShards(tensors, options.maxShardBytes, options.baseName);
  for (const shard of plan.shards) {
    const shardPath = path.join(dir, shard.fileName);
    await writeFileAtomic(shardPath, writeSafetensors(shard.tensors, options.metadata, shardPath));
  }
  const indexPath = path.join(dir, plan.indexName);
  await writeFileAtomic(indexPath, formatShardIndex(plan.index));
  return indexPath;
}
