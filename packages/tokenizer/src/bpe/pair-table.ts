// Open-addressing hash table from a symbol pair (a, b) to (rank, merged symbol), on typed
// arrays: the BPE inner loop does millions of these lookups.
import { GlmjsError } from "@glmjs/common";

export class PairTable {
  private readonly mask: number;
  private readonly keyA: Int32Array;
  private readonly keyB: Int32Array;
  private readonly ranks: Int32Array;
  private readonly merged: Int32Array;
  size = 0;

  constructor(capacityHint: number) {
    let cap = 16;
    while (cap < capacityHint * 2) cap <<= 1;
    this.mask = cap - 1;
    this.keyA = new Int32Array(cap).fill(-1);
    this.keyB = new Int32Array(cap);
    this.ranks = new Int32Array(cap);
    this.merged = new Int32Array(cap);
  }

  private slot(a: number, b: number): number {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 0;
    h ^= h >>> 15;
    let i = h & this.mask;
    for (;;) {
      const k = this.keyA[i]!;
      if (k === -1 || (k === a && this.keyB[i] === b)) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds or replaces a pair (a repeated merge line takes the later rank, as Python's dict does). */
  add(a: number, b: number, rank: number, merged: number): void {
    const i = this.slot(a, b);
    if (this.keyA[i] !== -1) {
      this.ranks[i] = rank;
      this.merged[i] = merged;
      return;
    }
    if ((this.size + 1) * 2 > this.mask + 1) throw new GlmjsError("INTERNAL", "PairTable over capacity");
    this.keyA[i] = a;
    this.keyB[i] = b;
    this.ranks[i] = rank;
    this.merged[i] = merged;
    this.size++;
  }

  /** Slot index of the pair, or -1. */
  find(a: number, b: number): number {
    const i = this.slot(a, b);
    return this.keyA[i] === -1 ? -1 : i;
  }

  rankAt(slot: number): number {
    return this.ranks[slot]!;
  }

  mergedAt(slot: number): number {
    return this.merged[slot]!;
  }
}
