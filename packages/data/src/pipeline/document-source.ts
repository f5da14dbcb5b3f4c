// Document sources: where tokenized documents come from, in a deterministic order, opened at
// any global document index (the resumption cursor; indices run on across epochs).
import { GlmjsError } from "@glmjs/common";
import { Rng } from "../random/rng.js";

export type DocumentStream = Iterator<ArrayLike<number>> | AsyncIterator<ArrayLike<number>>;

export interface DocumentSource {
  /** The documents from global index `from` on. */
  open(from: number): DocumentStream;
}

export interface ArrayDocumentsOptions {
  /** Order seed: each epoch visits the documents in a fresh seeded permutation. */
  seed?: number;
  /** false keeps the given order. Default true. */
  shuffle?: boolean;
  /** Number of passes; Infinity repeats forever. Default 1. */
  epochs?: number;
  /** Reader `index` of `count`: takes every count-th document of each epoch's order. */
  shard?: { index: number; count: number };
}

/** Documents already tokenized and held in memory. */
export function arrayDocuments(documents: readonly ArrayLike<number>[], options: ArrayDocumentsOptions = {}): DocumentSource {
  const { seed = 0, shuffle = true, epochs = 1 } = options;
  const shard = options.shard ?? { index: 0, count: 1 };
  if (!(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 0 && shard.index < shard.count)) {
    throw new GlmjsError("OPTION_INVALID", `arrayDocuments: shard must be {index, count} with 0 <= index < count, got ${JSON.stringify(shard)}`);
  }
  const perEpoch: number[] = [];
  for (let i = shard.index; i < documents.length; i += shard.count) perEpoch.push(i);
  const orderOf = (epoch: number): number[] => {
    if (!shuffle) return perEpoch;
    // The permutation is over all documents so that shards of one seed are disjoint.
    const all = Array.from({ length: documents.length }, (_, i) => i);
    new Rng(`${seed}:${epoch}`).shuffle(all);
    return all.filter((_, position) => position % shard.count === shard.index);
  };
  return {
    open(from: number): Iterator<ArrayLike<number>> {
      const n = perEpoch.length;
      let index = from;
      let epoch = -1;
      let order: number[] = [];
      return {
        next(): IteratorResult<ArrayLike<number>> {
          if (n === 0) return { done: true, value: undefined };
          const e = Math.floor(index / n);
          if (e >= epochs) return { done: true, value: undefined };
          if (e !== epoch) {
            epoch = e;
            order = orderOf(e);
          }
          const doc = documents[order[index % n]!]!;
          index++;
          return { done: false, value: doc };
        },
      };
    },
  };
}
