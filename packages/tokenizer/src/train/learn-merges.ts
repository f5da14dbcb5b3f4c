// The BPE learning loop shared by the byte-level BPE and WordPiece trainers: repeatedly merge the
// most frequent adjacent symbol pair (ties: the pair seen first), updating pair counts only in
// the words that contain it (a lazy max-heap keeps picking the best pair cheap), until the
// wanted number of new vocabulary entries exists (a merge whose result is already an entry adds
// a rule but no entry) or no pair is frequent enough.

import { BinaryHeap } from "../text/binary-heap.js";

export interface LearnInput {
  /** Each distinct word as its initial symbols, with its count. */
  words: { symbols: string[]; count: number }[];
  /** How many new symbols (vocabulary entries) the merges must create. */
  newSymbols: number;
  /** Symbols that are vocabulary entries already (merging into one creates nothing new). */
  existing: ReadonlySet<string>;
  /** Pairs seen fewer times than this are never merged. */
  minFrequency: number;
  /** The merged symbol of a pair (WordPiece drops the `##` of the right part). */
  join: (a: string, b: string) => string;
}

export interface Learned {
  merges: [string, string][];
  /** The new symbols, in the order they were created (at most `newSymbols`). */
  created: string[];
  /** Why fewer than `newSymbols` were created: "no pairs" (every word is one symbol) or "min frequency". */
  shortBecause?: "no pairs" | "min frequency";
}

export function learnMerges(input: LearnInput): Learned {
  const symId = new Map<string, number>();
  const symStr: string[] = [];
  const intern = (s: string): number => {
    let id = symId.get(s);
    if (id === undefined) {
      id = symStr.length;
      symId.set(s, id);
      symStr.push(s);
    }
    return id;
  };
  const words = input.words.map((w) => ({ syms: w.symbols.map(intern), count: w.count }));
  const SHIFT = 2 ** 22;
  const key = (a: number, b: number): number => a * SHIFT + b;
  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const order = new Map<number, number>(); // first-seen order, for deterministic ties
  const bump = (k: number, by: number, w: number): void => {
    pairCount.set(k, (pairCount.get(k) ?? 0) + by);
    if (by > 0) {
      let set = pairWords.get(k);
      if (!set) pairWords.set(k, (set = new Set()));
      set.add(w);
      if (!order.has(k)) order.set(k, order.size);
    }
  };
  words.forEach((w, wi) => {
    for (let i = 0; i + 1 < w.syms.length; i++) bump(key(w.syms[i]!, w.syms[i + 1]!), w.count, wi);
  });

  // Lazy max-heap of [count, -order, key].
  const heap = new BinaryHeap<[number, number, number]>((a, b) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]));
  const push = (e: [number, number, number]): void => heap.push(e);
  for (const [k, c] of pairCount) push([c, -order.get(k)!, k]);

  const merges: [string, string][] = [];
  const created: string[] = [];
  const known = new Set(input.existing);
  let shortBecause: Learned["shortBecause"] = "no pairs";
  while (created.length < input.newSymbols && heap.size) {
    const [c, , k] = heap.pop()!;
    const current = pairCount.get(k) ?? 0;
    if (current !== c) {
      if (current > 0) push([current, -order.get(k)!, k]);
      continue;
    }
    if (c <= 0) continue;
    if (c < input.minFrequency) {
      shortBecause = "min frequency";
      break;
    }
    const a = Math.floor(k / SHIFT);
    const b = k - a * SHIFT;
    const joined = input.join(symStr[a]!, symStr[b]!);
    const m = intern(joined);
    merges.push([symStr[a]!, symStr[b]!]);
    if (!known.has(joined)) {
      known.add(joined);
      created.push(joined);
    }
    const touched = new Set<number>();
    for (const wi of pairWords.get(k) ?? []) {
      const w = words[wi]!;
      const s = w.syms;
      let has = false;
      for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) has = true;
      if (!has) continue;
      for (let i = 0; i + 1 < s.length; i++) {
        const pk = key(s[i]!, s[i + 1]!);
        bump(pk, -w.count, wi);
        touched.add(pk);
      }
      const out: number[] = [];
      for (let i = 0; i < s.length;) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          out.push(m);
          i += 2;
        } else out.push(s[i++]!);
      }
      w.syms = out;
      for (let i = 0; i + 1 < out.length; i++) {
        const pk = key(out[i]!, out[i + 1]!);
        bump(pk, w.count, wi);
        touched.add(pk);
      }
    }
    pairWords.delete(k);
    pairCount.delete(k);
    for (const pk of touched) {
      const pc = pairCount.get(pk) ?? 0;
      if (pc > 0) push([pc, -order.get(pk)!, pk]);
    }
  }
  return created.length >= input.newSymbols ? { merges, created } : { merges, created, shortBecause };
}
