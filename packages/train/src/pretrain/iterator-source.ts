// Adapts a batch iterator that can only be *created* at a saved position (as @glmjs/data's
// createBatchIterator({ resumeFrom })) to the trainer's BatchSource, whose restore() moves an
// existing source.
import type { GLMBatch } from "@glmjs/data";
import type { BatchSource } from "../loop/batch-source.js";

export interface ResumableIterator<S> {
  next(): Promise<GLMBatch | undefined> | GLMBatch | undefined;
  state(): S;
}

export class IteratorSource<S> implements BatchSource {
  private iterator: ResumableIterator<S>;

  constructor(private readonly create: (resumeFrom?: S) => ResumableIterator<S>) {
    this.iterator = create();
  }

  next(): Promise<GLMBatch | undefined> | GLMBatch | undefined {
    return this.iterator.next();
  }

  state(): S {
    return this.iterator.state();
  }

  restore(state: unknown): void {
    this.iterator = this.create(state as S);
  }
}

/** The first `count` batches of an iterator (fewer when it ends): a fixed held-out set. */
export async function takeBatches(iterator: ResumableIterator<unknown>, count: number): Promise<GLMBatch[]> {
  const out: GLMBatch[] = [];
  while (out.length < count) {
    const b = await iterator.next();
    if (!b) break;
    out.push(b);
  }
  return out;
}
