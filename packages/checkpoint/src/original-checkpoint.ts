// The training-checkpoint layout of the original GLM code (THUDM/GLM, GLM.md §2.1b), which its
// `--load` / `--load-pretrained` read and DeepSpeed writes:
//   <dir>/latest_checkpointed_iteration.txt   the iteration, as text (DeepSpeed also writes <dir>/latest)
//   <dir>/<iteration>/mp_rank_XX_model_states.pt   one torch.save zip per model-parallel rank,
//                                                  {"module": that rank's state dict, ...bookkeeping}
// This file plans and parses that layout on names and bytes; the file access is in node-fs.ts.

import { GlmjsError } from "@glmjs/common";
import { mergeTensorParts, partitionOf, splitModelParallel } from "./model-parallel.js";
import { pytorchBinParts, type CheckpointEntryValue } from "./pytorch-bin-writer.js";
import { CheckpointError, type LazyCheckpoint, type TensorInfo, type TensorMap } from "./types.js";

/** The file the original code reads to find the newest iteration. */
export const ORIGINAL_TRACKER_FILE = "latest_checkpointed_iteration.txt";
/** DeepSpeed's tracker file (same content). */
export const DEEPSPEED_TRACKER_FILE = "latest";

/** `mp_rank_00_model_states.pt`, … (two digits, as the original's get_checkpoint_name formats them). */
export function rankFileName(rank: number): string {
  return `mp_rank_${String(rank).padStart(2, "0")}_model_states.pt`;
}

/** The rank number of an `mp_rank_XX_model_states.pt` name, or undefined for any other name. */
export function rankOfFileName(name: string): number | undefined {
  const m = /^mp_rank_(\d+)_model_states\.pt$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

export interface OriginalCheckpointOptions {
  /** Number of model-parallel ranks (`--model-parallel-size` of the run that loads it). Default 1. */
  modelParallel?: number;
  /** The iteration recorded (folder name and tracker file). Default 0. */
  iteration?: number;
}

/** One file of a planned checkpoint: its path relative to the folder ("/"-separated) and its bytes as parts. */
export interface PlannedFile {
  path: string;
  parts(): Uint8Array[];
}

/**
 * The files of an original-layout checkpoint of `tensors` (bare GLM key names), rank files first
 * and the tracker files last, so that a folder whose tracker names an iteration holds all its ranks.
 * Each rank file is `{"module": part, "iteration", "mp_world_size", …}` with the parts divided as
 * the original `change_mp.py` divides them.
 */
export function planOriginalCheckpoint(tensors: TensorMap, options: OriginalCheckpointOptions = {}): PlannedFile[] {
  const n = options.modelParallel ?? 1;
  const iteration = options.iteration ?? 0;
  if (!Number.isSafeInteger(n) || n < 1 || n > 99) throw new GlmjsError("OPTION_INVALID", `modelParallel must be an integer from 1 to 99, got ${n}`);
  if (!Number.isSafeInteger(iteration) || iteration < 0) throw new GlmjsError("OPTION_INVALID", `iteration must be a non-negative integer, got ${iteration}`);
  const ranks = splitModelParallel(tensors, n, "model");
  // Bookkeeping the original's load_checkpoint and DeepSpeed's loader read; no optimizer or RNG
  // state (load with --no-load-optim --no-load-rng, or --load-pretrained / --finetune).
  const entries = (): Record<string, CheckpointEntryValue> => ({
    iteration,
    global_steps: iteration,
    skipped_steps: 0,
    mp_world_size: n,
    dp_world_size: 1,
  });
  const files: PlannedFile[] = ranks.map((part, r) => {
    const name = rankFileName(r);
    return {
      path: `${iteration}/${name}`,
      parts: () => pytorchBinParts(part, { archiveName: name.slice(0, -".pt".length), fileName: name, checkpointEntries: entries() }),
    };
  });
  const tracker = new TextEncoder().encode(String(iteration));
  files.push({ path: ORIGINAL_TRACKER_FILE, parts: () => [tracker] }, { path: DEEPSPEED_TRACKER_FILE, parts: () => [tracker] });
  return files;
}

/** The iteration folder a tracker file names (its trimmed text); "release" is accepted as the original does. */
export function parseTrackerFile(text: string, fileName: string): string {
  const tag = text.trim();
  if (!/^(\d+|release)$/.test(tag)) throw new CheckpointError(fileName, `names iteration ${JSON.stringify(tag)}; expected a number (or "release")`);
  return tag;
}

/**
 * The `mp_rank_XX_model_states.pt` names of an iteration folder, in rank order. Ranks must be
 * 0 … N−1 without gaps (a missing rank cannot be merged).
 */
export function rankFiles(names: readonly string[], folder: string): string[] {
  const ranked = names.map((n) => [rankOfFileName(n), n] as const).filter((e): e is readonly [number, string] => e[0] !== undefined);
  ranked.sort((a, b) => a[0] - b[0]);
  if (ranked.length === 0) throw new CheckpointError(folder, "holds no mp_rank_XX_model_states.pt files");
  ranked.forEach(([rank], i) => {
    if (rank !== i) throw new CheckpointError(folder, `model-parallel rank ${i} is missing (found ranks ${ranked.map(([r]) => r).join(", ")})`);
  });
  return ranked.map(([, n]) => n);
}

/**
 * The model-parallel ranks of one checkpoint as one lazy checkpoint: reading a tensor reads its
 * part from every rank and joins them (GLM.md §2.1b), so only one parameter is in memory at a time.
 */
export function mergedRanks(ranks: readonly LazyCheckpoint[], folder: string): LazyCheckpoint {
  const first = ranks[0];
  if (!first) throw new CheckpointError(folder, "holds no mp_rank_XX_model_states.pt files");
  const names = ranks.map((r) => r.name);
  for (const rank of ranks.slice(1)) {
    const missing = [...first.tensors.keys()].filter((k) => !rank.tensors.has(k));
    const extra = [...rank.tensors.keys()].filter((k) => !first.tensors.has(k));
    if (missing.length || extra.length) {
      throw new CheckpointError(
        rank.name,
        `holds different tensors than ${first.name} (${missing.length} missing, ${extra.length} extra, e.g. "${missing[0] ?? extra[0]}"); the ranks are not one model's`,
      );
    }
  }
  const n = ranks.length;
  const tensors = new Map<string, TensorInfo>();
  for (const [name, info] of first.tensors) {
    for (const rank of ranks.slice(1)) {
      const p = rank.tensors.get(name)!;
      if (p.dtype !== info.dtype || p.shape.length !== info.shape.length || p.shape.some((d, i) => d !== info.shape[i])) {
        throw new CheckpointError(
          rank.name,
          `part has shape [${p.shape.join(", ")}] ${p.dtype}, but ${first.name} has [${info.shape.join(", ")}] ${info.dtype}; the ranks are not one model's`,
          name,
        );
      }
    }
    tensors.set(name, { dtype: info.dtype, shape: mergedShape(name, info.shape, n) });
  }
  return {
    format: "pytorch",
    name: folder,
    metadata: {},
    tensors,
    async read(name) {
      const parts = [];
      for (const rank of ranks) parts.push(await rank.read(name));
      return mergeTensorParts(name, parts, names);
    },
  };
}

/** The shape {@link mergeTensorParts} gives `n` parts of `shape`. */
function mergedShape(name: string, shape: number[], n: number): number[] {
  const kind = n === 1 ? "replicated" : partitionOf(name, shape.length);
  if (kind === "replicated") return [...shape];
  if (kind === "columns") return [shape[0]!, shape[1]! * n];
  return [shape[0]! * n, ...shape.slice(1)];
}
