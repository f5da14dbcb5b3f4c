// What SentencePiece BPE needs to know about a model's pieces, as integer tables: symbols are keys
// (a piece's index, or for a character that is not itself a piece but is one side of a piece's
// split, an extra key past the last piece); a pair table maps two keys to the piece their
// concatenation is; and where a text can be cut because no piece spans two given characters.
import { PairTable } from "../bpe/pair-table.js";

export class BpeTables {
  private readonly pairs: PairTable;
  /** BMP character → its symbol key (-1: no merge can involve it). */
  private readonly bmpKey = new Int32Array(0x10000).fill(-1);
  private readonly astralKey = new Map<number, number>();
  /** Characters that some piece holds before / after another character. */
  private readonly bmpLeads = new Uint8Array(0x10000);
  private readonly bmpTrails = new Uint8Array(0x10000);
  private readonly astralLeads = new Set<number>();
  private readonly astralTrails = new Set<number>();
  /** Every adjacent character pair inside a piece. */
  private readonly bigrams: PairTable;

  /** `mergeable`: the pieces merges can produce (NORMAL, USER_DEFINED, UNUSED), text → index < `pieceCount`. */
  constructor(mergeable: ReadonlyMap<string, number>, pieceCount: number) {
    let extra = pieceCount;
    const keyOf = (s: string): number => {
      const id = mergeable.get(s);
      if (id !== undefined) return id;
      const cp = s.codePointAt(0)!;
      if (s.length !== (cp > 0xffff ? 2 : 1)) return -1; // longer than a character and not a piece
      const known = this.keyOfChar(cp);
      if (known >= 0) return known;
      this.setKey(cp, extra);
      return extra++;
    };
    // Single characters first, so that a character piece gets its own index as key.
    for (const [s, id] of mergeable) {
      const cp = s.codePointAt(0)!;
      if (s.length === (cp > 0xffff ? 2 : 1)) this.setKey(cp, id);
    }
    const splits: number[] = [];
    const bigrams: number[] = [];
    for (const [s, id] of mergeable) {
      let prevCp = -1;
      for (let i = 0; i < s.length;) {
        const cp = s.codePointAt(i)!;
        if (prevCp >= 0) {
          bigrams.push(prevCp, cp);
          this.markLead(prevCp);
          this.markTrail(cp);
          const left = keyOf(s.slice(0, i));
          const right = keyOf(s.slice(i));
          if (left >= 0 && right >= 0) splits.push(left, right, id);
        }
        prevCp = cp;
        i += cp > 0xffff ? 2 : 1;
      }
    }
    this.pairs = new PairTable(splits.length / 3 + 1);
    for (let k = 0; k < splits.length; k += 3) this.pairs.add(splits[k]!, splits[k + 1]!, 0, splits[k + 2]!);
    this.bigrams = new PairTable(bigrams.length / 2 + 1);
    for (let k = 0; k < bigrams.length; k += 2) this.bigrams.add(bigrams[k]!, bigrams[k + 1]!, 0, 0);
  }

  /** The key of a single character (code point), or -1 when no merge can involve it. */
  keyOfChar(cp: number): number {
    return cp > 0xffff ? (this.astralKey.get(cp) ?? -1) : this.bmpKey[cp]!;
  }

  /** The piece that symbols with keys a and b merge into, or -1. */
  merged(a: number, b: number): number {
    const slot = this.pairs.find(a, b);
    return slot < 0 ? -1 : this.pairs.mergedAt(slot);
  }

  /** Whether no piece can span the boundary between characters a and b. */
  canCut(a: number, b: number): boolean {
    const lead = a > 0xffff ? this.astralLeads.has(a) : this.bmpLeads[a] === 1;
    if (!lead) return true;
    const trail = b > 0xffff ? this.astralTrails.has(b) : this.bmpTrails[b] === 1;
    return !trail || this.bigrams.find(a, b) < 0;
  }

  private setKey(cp: number, key: number): void {
    if (cp > 0xffff) this.astralKey.set(cp, key);
    else this.bmpKey[cp] = key;
  }

  private markLead(cp: number): void {
    if (cp > 0xffff) this.astralLeads.add(cp);
    else this.bmpLeads[cp] = 1;
  }

  private markTrail(cp: number): void {
    if (cp > 0xffff) this.astralTrails.add(cp);
    else this.bmpTrails[cp] = 1;
  }
}
