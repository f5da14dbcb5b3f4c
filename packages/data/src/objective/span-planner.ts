// Span choice: placing Poisson-length spans inside the documents of a packed sample
// (GLM.md §4.3 steps 2-4) and cutting a sample into sentences (§4.4).
import type { Rng } from "../random/rng.js";

/** Reusable scratch space so that span planning allocates nothing per sample. */
export class SpanPlanner {
  private docStart: Int32Array = new Int32Array(16);
  private docLength: Int32Array = new Int32Array(16);
  private places = new Int32Array(64);

  constructor(
    private readonly eos: number,
    private readonly cls: number,
  ) {}

  /**
   * Places spans of the given lengths (already in random order) into the documents of `text`
   * and writes (start, end) pairs to `out` in document order. Returns the number placed; the
   * caller drops the sample when it is smaller than `count` (as the original does).
   */
  place(text: Int32Array, lengths: Int32Array, count: number, ratio: number, rng: Rng, out: Int32Array): number {
    const n = text.length;
    // Documents, walked from the last eos backwards as the original does (the order matters
    // only for ties in the stable sort below).
    let docs = 0;
    let lastIndex = n;
    for (let index = text.lastIndexOf(this.eos); ; index = index > 0 ? text.lastIndexOf(this.eos, index - 1) : -1) {
      let start = index;
      if (start + 1 < n && text[start + 1] === this.cls) start++;
      let length = lastIndex - start - 1;
      if (lastIndex === n && length > 0) length--;
      this.pushDoc(docs++, start + 1, length);
      lastIndex = index;
      if (index < 0) break;
    }
    // Stable insertion sort by length, ascending.
    const ds = this.docStart;
    const dl = this.docLength;
    for (let i = 1; i < docs; i++) {
      const s = ds[i]!;
      const l = dl[i]!;
      let j = i;
      while (j > 0 && dl[j - 1]! > l) {
        ds[j] = ds[j - 1]!;
        dl[j] = dl[j - 1]!;
        j--;
      }
      ds[j] = s;
      dl[j] = l;
    }
    let next = 0;
    let placed = 0;
    for (let d = 0; d < docs; d++) {
      const length = dl[d]!;
      let sum = 0;
      let take = 0;
      if (d === docs - 1) {
        while (next + take < count && lengths[next + take]! + sum + take <= length) sum += lengths[next + take++]!;
      } else {
        const budget = Math.floor(length * ratio);
        while (next + take < count && lengths[next + take]! + sum <= budget) sum += lengths[next + take++]!;
      }
      if (take > 0) {
        this.placeInDocument(lengths, next, take, sum, length, ds[d]!, rng, out, placed);
        placed += take;
        next += take;
      }
    }
    return placed;
  }

  /** k spans inside one document with at least one unmasked token between neighbours. */
  private placeInDocument(
    lengths: Int32Array,
    from: number,
    k: number,
    sum: number,
    docLength: number,
    offset: number,
    rng: Rng,
    out: Int32Array,
    outAt: number,
  ): void {
    if (this.places.length < k) this.places = new Int32Array(k * 2);
    const places = this.places;
    const range = docLength - sum - k + 2;
    for (let i = 0; i < k; i++) {
      const p = rng.below(range);
      let j = i;
      while (j > 0 && places[j - 1]! > p) {
        places[j] = places[j - 1]!;
        j--;
      }
      places[j] = p;
    }
    for (let i = 0; i < k; i++) {
      const len = lengths[from + i]!;
      const start = offset + places[i]!;
      out[2 * (outAt + i)] = start;
      out[2 * (outAt + i) + 1] = start + len;
      offset += len + 1;
    }
  }

  private pushDoc(i: number, start: number, length: number): void {
    if (i >= this.docStart.length) {
      const grow = (a: Int32Array): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.docStart = grow(this.docStart);
      this.docLength = grow(this.docLength);
    }
    this.docStart[i] = start;
    this.docLength[i] = length;
  }
}

/**
 * Sentences of a sample as (start, end) pairs (GLM.md §4.4): a sentence ends after a
 * sentence-end token; an eos closes the current fragment without making it a sentence; a
 * trailing fragment at the end of the sample is a sentence. Returns the number of sentences.
 */
export function findSentences(text: Int32Array, sentenceEnd: Uint8Array, eos: number, cls: number, out: Int32Array): number {
  let count = 0;
  let last = text[0] === cls ? 1 : 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const t = text[i]!;
    if (sentenceEnd[t] === 1) {
      if (last < i + 1) {
        out[2 * count] = last;
        out[2 * count + 1] = i + 1;
        count++;
      }
      last = i + 1;
    } else if (t === eos) {
      last = i + 1;
    }
  }
  if (last < n) {
    out[2 * count] = last;
    out[2 * count + 1] = n;
    count++;
  }
  return count;
}
