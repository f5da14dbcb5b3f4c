// Model parallelism of the original GLM code (Megatron-style): how each parameter is divided among
// N ranks, and the inverse. The rules follow the original `change_mp.py` (GLM.md §2.1b), decided by
// the parameter's name and rank, so a split here gives the same files as that script.

import { GlmjsError } from "@glmjs/common";
import { normalizeCheckpointKey } from "./keys.js";
import { CheckpointError, numElements, type CheckpointTensor, type TensorData, type TensorMap } from "./types.js";

/**
 * How a parameter is divided: `replicated` (every rank holds it whole), `rows` (contiguous row
 * ranges), `columns` (contiguous column ranges), `qkv` (each of the Q, K, V thirds divided by rows,
 * the rank's three parts concatenated).
 */
export type PartitionKind = "replicated" | "rows" | "columns" | "qkv";

/** The division of one parameter, from its name (prefixes ignored) and rank (number of dimensions). */
export function partitionOf(key: string, rank: number): PartitionKind {
  const name = normalizeCheckpointKey(key);
  if (rank === 2) {
    if (name.includes("position")) return "replicated";
    if (name.includes("query")) return "qkv";
    if (name.includes("word") || name.includes("h_to_4h")) return "rows";
    return "columns";
  }
  if (rank === 1) {
    if (name.includes("query_key_value")) return "qkv";
    if (name.includes("dense_h_to_4h")) return "rows";
  }
  return "replicated";
}

function allocLike(data: TensorData, length: number): TensorData {
  if (data instanceof Float32Array) return new Float32Array(length);
  if (data instanceof Int32Array) return new Int32Array(length);
  return new BigInt64Array(length);
}

/** Rows [from, to) of a row-major tensor whose rows are `rowSize` elements (a view, no copy). */
function rowRange(data: TensorData, rowSize: number, from: number, to: number): TensorData {
  return data.subarray(from * rowSize, to * rowSize);
}

function concat(parts: TensorData[]): TensorData {
  const out = allocLike(
    parts[0]!,
    parts.reduce((n, p) => n + p.length, 0),
  );
  let at = 0;
  for (const p of parts) {
    (out as Float32Array).set(p as Float32Array, at);
    at += p.length;
  }
  return out;
}

function divisible(name: string, what: string, size: number, n: number, file: string): void {
  if (size % n !== 0) throw new CheckpointError(file, `${what} ${size} is not divisible by the model-parallel size ${n}`, name);
}

/**
 * Divides a state dict among `n` model-parallel ranks as the original `change_mp.py` does
 * (GLM.md §2.1b): rank r gets, for every parameter, its part r. Replicated parameters and row
 * ranges are views of the input; column and QKV parts are copies.
 */
export function splitModelParallel(tensors: TensorMap, n: number, fileName = "<state dict>"): TensorMap[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new GlmjsError("OPTION_INVALID", `model-parallel size must be a positive integer, got ${n}`);
  const ranks: TensorMap[] = Array.from({ length: n }, () => new Map());
  for (const [name, t] of tensors) {
    const kind = n === 1 ? "replicated" : partitionOf(name, t.shape.length);
    const rows = t.shape[0] ?? 1;
    const rowSize = t.shape.length === 0 ? 1 : numElements(t.shape) / Math.max(rows, 1);
    for (let r = 0; r < n; r++) {
      let part: CheckpointTensor;
      switch (kind) {
        case "replicated":
          part = t;
          break;
        case "rows": {
          divisible(name, "first dimension", rows, n, fileName);
          const per = rows / n;
          part = { dtype: t.dtype, shape: [per, ...t.shape.slice(1)], data: rowRange(t.data, rowSize, r * per, (r + 1) * per) };
          break;
        }
        case "qkv": {
          divisible(name, "first dimension", rows, 3, fileName);
          const third = rows / 3;
          divisible(name, "a third of the first dimension", third, n, fileName);
          const per = third / n;
          const pieces = [0, 1, 2].map((k) => rowRange(t.data, rowSize, k * third + r * per, k * third + (r + 1) * per));
          part = { dtype: t.dtype, shape: [3 * per, ...t.shape.slice(1)], data: concat(pieces) };
          break;
        }
        case "columns": {
          const cols = t.shape[1]!;
          divisible(name, "second dimension", cols, n, fileName);
          const per = cols / n;
          const out = allocLike(t.data, rows * per);
          for (let i = 0; i < rows; i++) (out as Float32Array).set((t.data as Float32Array).subarray(i * cols + r * per, i * cols + (r + 1) * per), i * per);
          part = { dtype: t.dtype, shape: [rows, per], data: out };
          break;
        }
      }
      ranks[r]!.set(name, part);
    }
  }
  return ranks;
}

/**
 * The inverse of {@link splitModelParallel}: one state dict from the ranks' state dicts, in rank
 * order (replicated parameters from rank 0). Every rank must hold the same keys with parts of the
 * same shape. `names` label the ranks in errors (their file names).
 */
export function mergeModelParallel(ranks: readonly TensorMap[], names: readonly string[] = ranks.map((_, r) => `rank ${r}`)): TensorMap {
  if (ranks.length === 0) throw new GlmjsError("INPUT_INVALID", "mergeModelParallel needs at least one rank");
  const n = ranks.length;
  const first = ranks[0]!;
  for (let r = 1; r < n; r++) {
    const missing = [...first.keys()].filter((k) => !ranks[r]!.has(k));
    const extra = [...ranks[r]!.keys()].filter((k) => !first.has(k));
    if (missing.length || extra.length) {
      const list = (keys: string[]) =>
        keys
          .slice(0, 3)
          .map((k) => `"${k}"`)
          .join(", ") + (keys.length > 3 ? ` and ${keys.length - 3} more` : "");
      throw new CheckpointError(
        names[r]!,
        `model-parallel ranks hold different tensors than ${names[0]}${missing.length ? `: lacks ${list(missing)}` : ""}${extra.length ? `: has extra ${list(extra)}` : ""}`,
      );
    }
  }
  const merged: TensorMap = new Map();
  for (const name of first.keys())
    merged.set(
      name,
      mergeTensorParts(
        name,
        ranks.map((rank) => rank.get(name)!),
        names,
      ),
    );
  return merged;
}

/**
 * One parameter from its model-parallel parts (in rank order), as {@link mergeModelParallel} joins
 * it: lets a reader merge tensor by tensor without holding every rank's state dict at once.
 */
export function mergeTensorParts(
  name: string,
  parts: readonly CheckpointTensor[],
  names: readonly string[] = parts.map((_, r) => `rank ${r}`),
): CheckpointTensor {
  const n = parts.length;
  const t0 = parts[0]!;
  for (let r = 1; r < n; r++) {
    const p = parts[r]!;
    if (p.shape.length !== t0.shape.length || p.shape.some((d, i) => d !== t0.shape[i]) || p.dtype !== t0.dtype) {
      throw new CheckpointError(
        names[r]!,
        `part has shape [${p.shape.join(", ")}] ${p.dtype}, but ${names[0]} has [${t0.shape.join(", ")}] ${t0.dtype}; the ranks are not one model's`,
        name,
      );
    }
  }
  const kind = n === 1 ? "replicated" : partitionOf(name, t0.shape.length);
  switch (kind) {
    case "replicated":
      return t0;
    case "rows":
      return { dtype: t0.dtype, shape: [t0.shape[0]! * n, ...t0.shape.slice(1)], data: concat(parts.map((p) => p.data)) };
    case "qkv": {
      const rows = t0.shape[0]!;
      if (rows % 3 !== 0) throw new CheckpointError(names[0]!, `a query_key_value part of ${rows} rows is not three equal blocks`, name);
      const rowSize = t0.shape.length === 1 ? 1 : numElements(t0.shape) / rows;
      const per = rows / 3;
      const pieces: TensorData[] = [];
      for (let k = 0; k < 3; k++) for (const p of parts) pieces.push(rowRange(p.data, rowSize, k * per, (k + 1) * per));
      return { dtype: t0.dtype, shape: [rows * n, ...t0.shape.slice(1)], data: concat(pieces) };
    }
    case "columns": {
      const [rows, per] = t0.shape as [number, number];
      const cols = per * n;
      const out = allocLike(t0.data, rows * cols);
      parts.forEach((p, r) => {
        for (let i = 0; i < rows; i++) (out as Float32Array).set((p.data as Float32Array).subarray(i * per, (i + 1) * per), i * cols + r * per);
      });
      return { dtype: t0.dtype, shape: [rows, cols], data: out };
    }
  }
}
