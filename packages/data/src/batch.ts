// The batch produced by @glmjs/data (contract shared with @glmjs/train and core's loss).
import { BatchMemory } from "./batch-memory.js";
import type { SampleBuffer } from "./objective/layout.js";

export interface GLMBatch {
  batchSize: number;
  seqLength: number;
  /** [batchSize * seqLength], row-major, right-padded with 0. */
  inputIds: Int32Array;
  positionIds: Int32Array;
  blockPositionIds: Int32Array;
  /** Labels, already aligned with the inputs (no internal shift). */
  targets: Int32Array;
  /** 0/1. */
  lossMask: Float32Array;
  /** [batchSize] = length of Part A per sample. */
  sep: Int32Array;
}

export type ObjectiveMode = "bert" | "sentence" | "gpt";

/** A GLMBatch plus what built it (useful for statistics and inspection). */
export interface BuiltBatch extends GLMBatch {
  mode: ObjectiveMode;
  /** Unpadded length of each row. */
  lengths: Int32Array;
  /** Length of the text each row was built from (incl. [ENC]/eos). */
  textLengths: Int32Array;
  /** Raw samples dropped because their spans did not fit (the original drops them too). */
  dropped: number;
}

/**
 * Right-pads samples with 0 (tokens, targets, loss mask, both position rows) to the longest
 * one, or to `padTo` when that is larger (a fixed shape for compiled kernels).
 */
export function collate(
  samples: readonly SampleBuffer[],
  count: number,
  mode: ObjectiveMode,
  dropped: number,
  padTo = 0,
  memory: BatchMemory = new BatchMemory(),
): BuiltBatch {
  let seqLength = padTo;
  for (let i = 0; i < count; i++) seqLength = Math.max(seqLength, samples[i]!.length);
  const size = count * seqLength;
  // One block for all arrays (4-byte elements); see batch-memory.ts. It may be reused memory,
  // so the padding is zeroed explicitly.
  const { buffer, offset: start } = memory.take(4 * (5 * size + 3 * count));
  let offset = start;
  const int32 = (length: number): Int32Array => {
    const a = new Int32Array(buffer, offset, length);
    offset += 4 * length;
    return a;
  };
  const batch: BuiltBatch = {
    batchSize: count,
    seqLength,
    inputIds: int32(size),
    positionIds: int32(size),
    blockPositionIds: int32(size),
    targets: int32(size),
    lossMask: new Float32Array(buffer, (offset += 4 * size) - 4 * size, size),
    sep: int32(count),
    mode,
    lengths: int32(count),
    textLengths: int32(count),
    dropped,
  };
  for (let i = 0; i < count; i++) {
    const s = samples[i]!;
    const at = i * seqLength;
    const n = s.length;
    batch.inputIds.set(s.tokens.subarray(0, n), at);
    batch.positionIds.set(s.positionIds.subarray(0, n), at);
    batch.blockPositionIds.set(s.blockPositionIds.subarray(0, n), at);
    batch.targets.set(s.targets.subarray(0, n), at);
    batch.lossMask.set(s.lossMask.subarray(0, n), at);
    if (n < seqLength) {
      const end = at + seqLength;
      batch.inputIds.fill(0, at + n, end);
      batch.positionIds.fill(0, at + n, end);
      batch.blockPositionIds.fill(0, at + n, end);
      batch.targets.fill(0, at + n, end);
      batch.lossMask.fill(0, at + n, end);
    }
    batch.sep[i] = s.sep;
    batch.lengths[i] = n;
    batch.textLengths[i] = s.textLength;
  }
  return batch;
}

/** A copy of `batch` whose arrays share one buffer of its own (for transfer between threads). */
export function compactBatch(batch: BuiltBatch): BuiltBatch {
  const size = batch.batchSize * batch.seqLength;
  const count = batch.batchSize;
  const buffer = new ArrayBuffer(4 * (5 * size + 3 * count));
  let offset = 0;
  const copy = <T extends Int32Array | Float32Array>(a: T, make: (b: ArrayBuffer, o: number, n: number) => T): T => {
    const out = make(buffer, offset, a.length);
    out.set(a as never);
    offset += 4 * a.length;
    return out;
  };
  const i32 = (b: ArrayBuffer, o: number, n: number): Int32Array => new Int32Array(b, o, n);
  return {
    ...batch,
    inputIds: copy(batch.inputIds, i32),
    positionIds: copy(batch.positionIds, i32),
    blockPositionIds: copy(batch.blockPositionIds, i32),
    targets: copy(batch.targets, i32),
    lossMask: copy(batch.lossMask, (b, o, n) => new Float32Array(b, o, n)),
    sep: copy(batch.sep, i32),
    lengths: copy(batch.lengths, i32),
    textLengths: copy(batch.textLengths, i32),
  };
}
