// Longest match of a model's user-defined pieces (e.g. `<n>`) at a position: SentencePiece keeps
// such a piece whole, skips normalising it, and never merges it with its neighbours.

export class PrefixMatcher {
  /** Candidates by their first UTF-16 unit, longest first. */
  private readonly byFirst = new Map<number, string[]>();
  private readonly firstUnits = new Uint8Array(0x10000);

  constructor(pieces: readonly string[]) {
    for (const p of pieces) {
      if (p.length === 0) continue;
      const c = p.charCodeAt(0);
      this.firstUnits[c] = 1;
      const list = this.byFirst.get(c) ?? [];
      list.push(p);
      this.byFirst.set(c, list);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.byFirst.size === 0;
  }

  /** UTF-16 length of the longest piece that `text` holds at `i` (not past `end`), or 0. */
  match(text: string, i: number, end: number): number {
    const c = text.charCodeAt(i);
    if (this.firstUnits[c] === 0) return 0;
    for (const p of this.byFirst.get(c)!) if (i + p.length <= end && text.startsWith(p, i)) return p.length;
    return 0;
  }
}
