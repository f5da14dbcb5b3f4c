// A cache from a substring of some text to its token ids that is probed with (text, start, end):
// no substring is allocated on a hit, which is most of the time (words repeat). Open addressing
// over plain arrays; when half full it starts over (bounded memory).

export class WordCache {
  private keys: (string | undefined)[];
  private values: (Int32Array | undefined)[];
  private used = 0;
  private readonly mask: number;

  constructor(
    slots = 1 << 18,
    /** Compare and hash with ASCII A–Z folded to lower case (the stored keys are lower case). */
    private readonly foldAscii = false,
  ) {
    this.mask = slots - 1;
    this.keys = Array.from({ length: slots }, () => undefined);
    this.values = Array.from({ length: slots }, () => undefined);
  }

  hash(text: string, start: number, end: number): number {
    let h = 0x811c9dc5;
    if (this.foldAscii) {
      for (let i = start; i < end; i++) {
        let c = text.charCodeAt(i);
        if (c >= 65 && c <= 90) c |= 32;
        h = Math.imul(h ^ c, 16777619);
      }
    } else for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return (h ^ (h >>> 15)) >>> 0;
  }

  /** The cached value for text[start, end), given its hash. */
  get(text: string, start: number, end: number, hash: number): Int32Array | undefined {
    const len = end - start;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const k = this.keys[i];
      if (k === undefined) return undefined;
      if (k.length === len && this.same(k, text, start)) return this.values[i];
    }
  }

  set(key: string, hash: number, value: Int32Array): void {
    if ((this.used + 1) * 2 > this.mask + 1) {
      this.keys.fill(undefined);
      this.values.fill(undefined);
      this.used = 0;
    }
    let i = hash & this.mask;
    while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.values[i] = value;
    this.used++;
  }

  private same(k: string, text: string, start: number): boolean {
    if (this.foldAscii) {
      for (let j = 0; j < k.length; j++) {
        let c = text.charCodeAt(start + j);
        if (c >= 65 && c <= 90) c |= 32;
        if (k.charCodeAt(j) !== c) return false;
      }
      return true;
    }
    for (let j = 0; j < k.length; j++) if (k.charCodeAt(j) !== text.charCodeAt(start + j)) return false;
    return true;
  }
}
