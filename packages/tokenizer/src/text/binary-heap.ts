// A binary heap ordered by `better(a, b)` (true when a must come out before b). Used by the
// SentencePiece BPE merge loop and BPE vocabulary training, which both pop the best pair first.
export class BinaryHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly better: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  /** Removes and returns the best item; undefined when empty. */
  pop(): T | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const a = 2 * i + 1;
        const b = a + 1;
        let s = i;
        if (a < h.length && this.better(h[a]!, h[s]!)) s = a;
        if (b < h.length && this.better(h[b]!, h[s]!)) s = b;
        if (s === i) break;
        [h[i], h[s]] = [h[s]!, h[i]!];
        i = s;
      }
    }
    return top;
  }
}
