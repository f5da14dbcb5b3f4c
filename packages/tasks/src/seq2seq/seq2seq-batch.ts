// Seq2seq samples collated into a GLMBatch. Rows are right-padded after Part B (pad id, position
// 0/0, no loss): causality keeps the padding invisible to every scored position, so a row's loss
// is the same alone and in a batch.
import { GlmjsError } from "@glmjs/common";
import type { GLMBatch } from "@glmjs/data";
import type { Seq2seqSample } from "./seq2seq-task.js";

export function buildSeq2seqBatch(samples: readonly Seq2seqSample[], padId: number): GLMBatch {
  if (samples.length === 0) throw new GlmjsError("INPUT_INVALID", "buildSeq2seqBatch: no samples");
  const seqLength = Math.max(...samples.map((s) => s.inputIds.length));
  const n = samples.length * seqLength;
  const batch: GLMBatch = {
    batchSize: samples.length,
    seqLength,
    inputIds: new Int32Array(n).fill(padId),
    positionIds: new Int32Array(n),
    blockPositionIds: new Int32Array(n),
    targets: new Int32Array(n),
    lossMask: new Float32Array(n),
    sep: new Int32Array(samples.length),
  };
  samples.forEach((s, i) => {
    const at = i * seqLength;
    batch.inputIds.set(s.inputIds, at);
    batch.positionIds.set(s.positionIds, at);
    batch.blockPositionIds.set(s.blockPositionIds, at);
    batch.targets.set(s.targets, at);
    batch.lossMask.set(s.lossMask, at);
    batch.sep[i] = s.sep;
  });
  return batch;
}
