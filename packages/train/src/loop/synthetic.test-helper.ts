// Test fixtures for the loop: a tiny GLM config and a deterministic batch source whose state is a
// counter (so resume tests exercise the trainer, not a data pipeline). Batches follow the GLM
// layout: Part A of random tokens, then one span in Part B with loss on it.
import type { GLMBatch } from "@glmjs/data";
import type { BatchSource } from "./batch-source.js";

export const TINY = {
  num_layers: 2,
  hidden_size: 32,
  num_attention_heads: 2,
  vocab_size: 96,
  max_sequence_length: 64,
};

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Batch number `index` of a seeded synthetic stream (a pure function of seed and index). */
export function syntheticBatch(seed: number, index: number, batchSize = 2, seqLength = 16, vocab = TINY.vocab_size): GLMBatch {
  const rand = lcg(seed * 7919 + index * 104729 + 1);
  const n = batchSize * seqLength;
  const b: GLMBatch = {
    batchSize,
    seqLength,
    inputIds: new Int32Array(n),
    positionIds: new Int32Array(n),
    blockPositionIds: new Int32Array(n),
    targets: new Int32Array(n),
    lossMask: new Float32Array(n),
    sep: new Int32Array(batchSize),
  };
  for (let r = 0; r < batchSize; r++) {
    const sep = 6 + Math.floor(rand() * 4);
    const spanLength = 2 + Math.floor(rand() * (seqLength - sep - 3));
    const maskPos = 1 + Math.floor(rand() * (sep - 2));
    b.sep[r] = sep;
    // A learnable pattern: the span repeats the tokens that follow the mask in Part A.
    const partA = Array.from({ length: sep }, () => 5 + Math.floor(rand() * (vocab - 5)));
    for (let t = 0; t < sep; t++) {
      b.inputIds[r * seqLength + t] = partA[t]!;
      b.targets[r * seqLength + t] = partA[t]!;
      b.positionIds[r * seqLength + t] = t;
    }
    b.inputIds[r * seqLength + maskPos] = 3; // [MASK]
    for (let k = 0; k <= spanLength && sep + k < seqLength; k++) {
      const at = r * seqLength + sep + k;
      b.inputIds[at] = k === 0 ? 1 : partA[(maskPos + k) % sep]!; // sop, then the span
      b.targets[at] = k === spanLength ? 2 : partA[(maskPos + k + 1) % sep]!; // …, eop
      b.positionIds[at] = maskPos;
      b.blockPositionIds[at] = k + 1;
      b.lossMask[at] = 1;
    }
  }
  return b;
}

/** An endless stream of synthetic batches; its state is the number of batches handed out. */
export class SyntheticSource implements BatchSource {
  index = 0;
  constructor(
    readonly seed: number,
    readonly batchSize = 2,
    readonly seqLength = 16,
  ) {}
  next(): GLMBatch {
    return syntheticBatch(this.seed, this.index++, this.batchSize, this.seqLength);
  }
  state(): unknown {
    return { index: this.index };
  }
  restore(state: unknown): void {
    this.index = (state as { index: number }).index;
  }
}

/** Concatenates batches of the same sequence length row-wise. */
export function concatBatches(batches: readonly GLMBatch[]): GLMBatch {
  const seqLength = batches[0]!.seqLength;
  const cat = <T extends Int32Array | Float32Array>(pick: (b: GLMBatch) => T, make: (n: number) => T): T => {
    const out = make(batches.reduce((s, b) => s + pick(b).length, 0));
    let at = 0;
    for (const b of batches) {
      out.set(pick(b), at);
      at += pick(b).length;
    }
    return out;
  };
  const ints = (n: number) => new Int32Array(n);
  return {
    batchSize: batches.reduce((s, b) => s + b.batchSize, 0),
    seqLength,
    inputIds: cat((b) => b.inputIds, ints),
    positionIds: cat((b) => b.positionIds, ints),
    blockPositionIds: cat((b) => b.blockPositionIds, ints),
    targets: cat((b) => b.targets, ints),
    lossMask: cat(
      (b) => b.lossMask,
      (n) => new Float32Array(n),
    ),
    sep: cat((b) => b.sep, ints),
  };
}
