// The only file of @glmjs/checkpoint that touches the file system (exported from
// "@glmjs/checkpoint/node"). Node built-ins are loaded lazily through importNode, so a
// browser-safe module (core's loadModel) may import this file without bundling node:fs.

import { importNode } from "@glmjs/common";
import { writeFileAtomic } from "@glmjs/common/node";
import { openCheckpoint, openShardedCheckpoint, readAllTensors } from "./open-checkpoint.js";
import {
  DEEPSPEED_TRACKER_FILE,
  ORIGINAL_TRACKER_FILE,
  mergedRanks,
  parseTrackerFile,
  planOriginalCheckpoint,
  rankFiles,
  rankOfFileName,
  type OriginalCheckpointOptions,
} from "./original-checkpoint.js";
import { pytorchBinParts, type PytorchBinWriteOptions } from "./pytorch-bin-writer.js";
import type { RangeSource } from "./range-source.js";
import { checkRange } from "./range-source.js";
import { safetensorsParts } from "./safetensors.js";
import { formatShardIndex, parseShardIndex, planSafetensorsShards, type ShardIndex } from "./sharded.js";
import { CheckpointError, type CheckpointContents, type LazyCheckpoint, type TensorInput, type TensorMap } from "./types.js";

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
    for (let at = 0; at < size;) {
      const { bytesRead } = await handle.read(out, at, Math.min(chunk, size - at), at);
      if (bytesRead === 0) throw new CheckpointError(filePath, `file shrank while being read (got ${at} of ${size} bytes)`);
      at += bytesRead;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/**
 * A file read by ranges. Each read opens the file, reads, and closes it again, so a lazy
 * checkpoint holds no file handle between reads and needs no closing.
 */
export async function fileRangeSource(filePath: string): Promise<RangeSource> {
  const { fs } = await node("fileRangeSource");
  const stat = await fs.stat(filePath).catch((err: NodeJS.ErrnoException) => {
    throw new CheckpointError(filePath, err.code === "ENOENT" ? "file does not exist" : `cannot open (${err.message})`);
  });
  if (!stat.isFile()) throw new CheckpointError(filePath, "is not a file");
  const size = stat.size;
  return {
    name: filePath,
    size,
    async read(offset, length) {
      checkRange(filePath, size, offset, length);
      const out = new Uint8Array(length);
      const handle = await fs.open(filePath, "r");
      try {
        for (let at = 0; at < length;) {
          const { bytesRead } = await handle.read(out, at, Math.min(length - at, 1 << 30), offset + at);
          if (bytesRead === 0)
            throw new CheckpointError(filePath, `file shrank while being read (wanted bytes up to ${offset + length}, it ends at ${offset + at})`);
          at += bytesRead;
        }
      } finally {
        await handle.close();
      }
      return out;
    },
  };
}

/** Opens a safetensors or pytorch_model.bin file (format recognised by content) for reading tensor by tensor. */
export async function openCheckpointFile(filePath: string): Promise<LazyCheckpoint> {
  return openCheckpoint(await fileRangeSource(filePath));
}

/** Reads a safetensors or pytorch_model.bin file (format recognised by content), tensor by tensor. */
export async function readCheckpointFile(filePath: string): Promise<CheckpointContents> {
  return readAllTensors(await openCheckpointFile(filePath));
}

async function readIndex(indexPath: string): Promise<ShardIndex> {
  const { fs, path } = await node("readShardedCheckpoint");
  const text = await fs.readFile(indexPath, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new CheckpointError(indexPath, err.code === "ENOENT" ? "index file does not exist" : `cannot read (${err.message})`);
  });
  const index = parseShardIndex(text, indexPath);
  const dir = path.dirname(indexPath);
  for (const [key, file] of Object.entries(index.weight_map)) {
    const shardPath = path.join(dir, file);
    const exists = await fs.stat(shardPath).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) throw new CheckpointError(shardPath, `shard listed in ${indexPath} does not exist`, key);
  }
  return index;
}

/** Opens a sharded checkpoint from its `*.index.json` (shards beside it) for reading tensor by tensor. */
export async function openShardedCheckpointFile(indexPath: string): Promise<LazyCheckpoint> {
  const { path } = await node("readShardedCheckpoint");
  const index = await readIndex(indexPath);
  const dir = path.dirname(indexPath);
  return openShardedCheckpoint(index, indexPath, (file) => openCheckpointFile(path.join(dir, file)));
}

/** Reads a sharded checkpoint from its `*.index.json`; shards are looked up beside the index. */
export async function readShardedCheckpoint(indexPath: string): Promise<{ tensors: TensorMap; metadata: Record<string, string>; index: ShardIndex }> {
  const index = await readIndex(indexPath);
  const { tensors, metadata } = await readAllTensors(await openShardedCheckpointFile(indexPath));
  return { tensors, metadata, index };
}

/** Files a checkpoint folder may hold, in the order they are preferred. */
export const CHECKPOINT_FILE_NAMES = ["model.safetensors.index.json", "model.safetensors", "pytorch_model.bin.index.json", "pytorch_model.bin"] as const;

/** The weights file (or index) to load from a folder, or an error listing what was looked for. */
export async function findCheckpointFile(dir: string): Promise<string> {
  const { fs, path } = await node("findCheckpointFile");
  for (const name of CHECKPOINT_FILE_NAMES) {
    const p = path.join(dir, name);
    if (
      await fs.stat(p).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return p;
  }
  throw new CheckpointError(
    dir,
    `no weights found; expected one of ${CHECKPOINT_FILE_NAMES.join(", ")}, or the original GLM's training checkpoint (${ORIGINAL_TRACKER_FILE} + <iteration>/mp_rank_XX_model_states.pt)`,
  );
}

/** An original-layout checkpoint: its merged tensors (read lazily), iteration and model-parallel size. */
export interface OriginalCheckpoint {
  checkpoint: LazyCheckpoint;
  /** The iteration folder's name ("release" where the tracker says so). */
  iteration: string;
  modelParallel: number;
  /** The rank files, in rank order. */
  files: string[];
}

/**
 * Whether `dir` is a training checkpoint of the original GLM code: a tracker file
 * (`latest_checkpointed_iteration.txt` or `latest`), or `mp_rank_XX_model_states.pt` files directly.
 */
export async function isOriginalCheckpointDir(dir: string): Promise<boolean> {
  const { fs } = await node("isOriginalCheckpointDir");
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.includes(ORIGINAL_TRACKER_FILE) || names.includes(DEEPSPEED_TRACKER_FILE) || names.some((n) => rankOfFileName(n) !== undefined);
}

/**
 * Opens the original GLM's training checkpoint in `dir` (the `--save` folder of a run, or one
 * iteration folder): the tracker names the iteration, whose `mp_rank_XX_model_states.pt` files
 * are joined into one state dict tensor by tensor (GLM.md §2.1b). Each rank's `module` entry is
 * read; optimizer, scheduler and RNG entries are skipped.
 */
export async function openOriginalCheckpoint(dir: string): Promise<OriginalCheckpoint> {
  const { fs, path } = await node("openOriginalCheckpoint");
  const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    throw new CheckpointError(dir, err.code === "ENOENT" ? "folder does not exist" : `cannot list (${err.message})`);
  });
  let iteration = path.basename(dir);
  let folder = dir;
  const tracker = [ORIGINAL_TRACKER_FILE, DEEPSPEED_TRACKER_FILE].find((t) => names.includes(t));
  if (tracker) {
    const trackerPath = path.join(dir, tracker);
    iteration = parseTrackerFile(await fs.readFile(trackerPath, "utf8"), trackerPath);
    folder = path.join(dir, iteration);
  }
  const inFolder = await fs.readdir(folder).catch(() => {
    throw new CheckpointError(folder, `does not exist, but ${tracker ?? "the tracker file"} names iteration ${iteration}`);
  });
  const files = rankFiles(inFolder, folder).map((n) => path.join(folder, n));
  const ranks: LazyCheckpoint[] = [];
  for (const f of files) ranks.push(await openCheckpointFile(f));
  // The files record how many ranks they were saved with (DeepSpeed and glmjs write it): a missing
  // last rank would otherwise pass for a smaller model-parallel size.
  for (const rank of ranks) {
    const size = rank.checkpointEntries?.mp_world_size;
    if (typeof size === "number" && size !== files.length) {
      throw new CheckpointError(
        rank.name,
        `was saved with mp_world_size ${size}, but ${folder} holds ${files.length} rank file${files.length === 1 ? "" : "s"}; copy every mp_rank_XX_model_states.pt of that iteration`,
      );
    }
  }
  return { checkpoint: ranks.length === 1 ? ranks[0]! : mergedRanks(ranks, folder), iteration, modelParallel: files.length, files };
}

/**
 * Opens a checkpoint for reading tensor by tensor: a folder (the files of CHECKPOINT_FILE_NAMES, or
 * the original GLM's training checkpoint), a weights file, or a sharded `*.index.json`.
 */
export async function openCheckpointPath(pathOrDir: string): Promise<LazyCheckpoint> {
  const { fs } = await node("openCheckpointPath");
  const stat = await fs.stat(pathOrDir).catch(() => undefined);
  if (!stat) throw new CheckpointError(pathOrDir, "does not exist");
  let file = pathOrDir;
  if (stat.isDirectory()) {
    try {
      file = await findCheckpointFile(pathOrDir);
    } catch (err) {
      if (await isOriginalCheckpointDir(pathOrDir)) return (await openOriginalCheckpoint(pathOrDir)).checkpoint;
      throw err;
    }
  }
  if (file.endsWith(".index.json")) {
    const lazy = await openShardedCheckpointFile(file);
    return { ...lazy, format: file.endsWith(".bin.index.json") ? "pytorch" : "safetensors", read: (name) => lazy.read(name) };
  }
  return openCheckpointFile(file);
}

/** Reads a checkpoint given a folder (also the original GLM's training layout), a weights file or an index file. */
export async function readCheckpoint(pathOrDir: string): Promise<CheckpointContents> {
  return readAllTensors(await openCheckpointPath(pathOrDir));
}

/** Writes tensors as one safetensors file, atomically (part by part: no limit on the file size). */
export async function writeSafetensorsFile(filePath: string, tensors: TensorInput, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(filePath, safetensorsParts(tensors, metadata, filePath));
}

/** Writes tensors as a torch.save zip (`pytorch_model.bin`, or a training checkpoint), atomically and part by part. */
export async function writePytorchBinFile(filePath: string, tensors: TensorInput, options: PytorchBinWriteOptions = {}): Promise<void> {
  const { path } = await node("writePytorchBinFile");
  const base = path.basename(filePath);
  const archiveName = options.archiveName ?? (base.includes(".") ? base.slice(0, base.lastIndexOf(".")) : base);
  await writeFileAtomic(filePath, pytorchBinParts(tensors, { ...options, archiveName, fileName: options.fileName ?? filePath }));
}

/**
 * Writes `tensors` (bare GLM names) as the original GLM's training checkpoint in `dir`:
 * `<iteration>/mp_rank_XX_model_states.pt` for each model-parallel rank, then
 * `latest_checkpointed_iteration.txt` and `latest`; each file atomically. Returns the written paths.
 */
export async function writeOriginalCheckpoint(dir: string, tensors: TensorMap, options: OriginalCheckpointOptions = {}): Promise<string[]> {
  const { fs, path } = await node("writeOriginalCheckpoint");
  const written: string[] = [];
  for (const file of planOriginalCheckpoint(tensors, options)) {
    const target = path.join(dir, ...file.path.split("/"));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, file.parts());
    written.push(target);
  }
  return written;
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
    await writeFileAtomic(shardPath, safetensorsParts(shard.tensors, options.metadata, shardPath));
  }
  const indexPath = path.join(dir, plan.indexName);
  await writeFileAtomic(indexPath, formatShardIndex(plan.index));
  return indexPath;
}
