// Applies BPE merges to one word (a sequence of symbol ids), with the original's semantics:
// take the pair of lowest rank, merge all its occurrences left to right, repeat.
// Short words use a plain array scan; long ones a heap over a linked list (O(n log n)), so a
// 1 MB run of letters does not take quadratic time.
import type { PairTable } from "./pair-table.js";

const SHORT = 48;

/** Merges `syms[0..n)` in place; returns the new length. */
export function mergeWord(syms: Int32Array, n: number, pairs: PairTable): number {
  return n <= SHORT ? mergeShort(syms, n, pairs) : mergeLong(syms, n, pairs);
}

export function mergeShort(syms: Int32Array, n: number, pairs: PairTable): number {
  while (n > 1) {
    let best = 0x7fffffff;
    let a = -1;
    let b = -1;
    let m = -1;
    for (let i = 0; i + 1 < n; i++) {
      const slot = pairs.find(syms[i]!, syms[i + 1]!);
      if (slot >= 0) {
        const r = pairs.rankAt(slot);
        if (r < best) {
          best = r;
          a = syms[i]!;
          b = syms[i + 1]!;
          m = pairs.mergedAt(slot);
        }
      }
    }
    if (m < 0) break;
    let w = 0;
    for (let i = 0; i < n;) {
      if (i + 1 < n && syms[i] === a && syms[i + 1] === b) {
        syms[w++] = m;
        i += 2;
      } else syms[w++] = syms[i++]!;
    }
    n = w;
  }
  return n;
}

/** Heap of (rank, position) candidates, validated when popped. */
export function mergeLong(syms: Int32Array, n: number, pairs: PairTable): number {
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  // Heap entries: rank, left position, left symbol, right symbol (parallel arrays).
  let cap = n * 2 + 16;
  let hRank: Int32Array = new Int32Array(cap);
  let hPos: Int32Array = new Int32Array(cap);
  let hA: Int32Array = new Int32Array(cap);
  let hB: Int32Array = new Int32Array(cap);
  let size = 0;
  const less = (i: number, j: number): boolean => hRank[i]! < hRank[j]! || (hRank[i] === hRank[j] && hPos[i]! < hPos[j]!);
  const swap = (i: number, j: number): void => {
    let t = hRank[i]!;
    hRank[i] = hRank[j]!;
    hRank[j] = t;
    t = hPos[i]!;
    hPos[i] = hPos[j]!;
    hPos[j] = t;
    t = hA[i]!;
    hA[i] = hA[j]!;
    hA[j] = t;
    t = hB[i]!;
    hB[i] = hB[j]!;
    hB[j] = t;
  };
  const push = (left: number): void => {
    const right = next[left]!;
    if (right < 0) return;
    const slot = pairs.find(syms[left]!, syms[right]!);
    if (slot < 0) return;
    if (size === cap) {
      cap *= 2;
      const grow = (a: Int32Array): Int32Array => {
        const g = new Int32Array(cap);
        g.set(a);
        return g;
      };
      hRank = grow(hRank);
      hPos = grow(hPos);
      hA = grow(hA);
      hB = grow(hB);
    }
    let i = size++;
    hRank[i] = pairs.rankAt(slot);
    hPos[i] = left;
    hA[i] = syms[left]!;
    hB[i] = syms[right]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(i, p)) break;
      swap(i, p);
      i = p;
    }
  };
  const pop = (): void => {
    size--;
    if (size > 0) {
      swap(0, size);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let s = i;
        if (l < size && less(l, s)) s = l;
        if (r < size && less(r, s)) s = r;
        if (s === i) break;
        swap(i, s);
        i = s;
      }
    }
  };
  const alive = new Uint8Array(n).fill(1);
  for (let i = 0; i + 1 < n; i++) push(i);
  while (size > 0) {
    const left = hPos[0]!;
    const a = hA[0]!;
    const b = hB[0]!;
    pop();
    if (!alive[left] || syms[left] !== a) continue;
    const right = next[left]!;
    if (right < 0 || syms[right] !== b) continue;
    const slot = pairs.find(a, b);
    syms[left] = pairs.mergedAt(slot);
    alive[right] = 0;
    const after = next[right]!;
    next[left] = after;
    if (after >= 0) prev[after] = left;
    if (prev[left]! >= 0) push(prev[left]!);
    push(left);
  }
  let w = 0;
  for (let i = 0; i >= 0 && i < n; i = next[i]!) syms[w++] = syms[i]!;
  return w;
}
