// The merge agenda of SentencePiece BPE (bpe_model.cc's priority queue): candidate pairs ordered
// by score, then leftmost first, on parallel typed arrays (no object per candidate).

/** Max-heap of merge candidates by (score, then leftmost), on parallel typed arrays. */
export class PairHeap {
  private score: Float64Array;
  private l: Int32Array;
  private r: Int32Array;
  private n: Int32Array;
  private m: Int32Array;
  size = 0;
  /** The last popped candidate. */
  left = 0;
  right = 0;
  length = 0;
  piece = 0;

  constructor(capacity: number) {
    const cap = Math.max(16, capacity);
    this.score = new Float64Array(cap);
    this.l = new Int32Array(cap);
    this.r = new Int32Array(cap);
    this.n = new Int32Array(cap);
    this.m = new Int32Array(cap);
  }

  private before(i: number, j: number): boolean {
    const a = this.score[i]!;
    const b = this.score[j]!;
    return a > b || (a === b && this.l[i]! < this.l[j]!);
  }

  private swap(i: number, j: number): void {
    const s = this.score[i]!;
    this.score[i] = this.score[j]!;
    this.score[j] = s;
    let t = this.l[i]!;
    this.l[i] = this.l[j]!;
    this.l[j] = t;
    t = this.r[i]!;
    this.r[i] = this.r[j]!;
    this.r[j] = t;
    t = this.n[i]!;
    this.n[i] = this.n[j]!;
    this.n[j] = t;
    t = this.m[i]!;
    this.m[i] = this.m[j]!;
    this.m[j] = t;
  }

  push(score: number, l: number, r: number, length: number, piece: number): void {
    if (this.size === this.score.length) this.grow();
    let i = this.size++;
    this.score[i] = score;
    this.l[i] = l;
    this.r[i] = r;
    this.n[i] = length;
    this.m[i] = piece;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Removes the best candidate into left/right/length/piece. */
  pop(): void {
    this.left = this.l[0]!;
    this.right = this.r[0]!;
    this.length = this.n[0]!;
    this.piece = this.m[0]!;
    const last = --this.size;
    if (last === 0) return;
    this.swap(0, last);
    let i = 0;
    for (;;) {
      const a = 2 * i + 1;
      const b = a + 1;
      let best = i;
      if (a < last && this.before(a, best)) best = a;
      if (b < last && this.before(b, best)) best = b;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private grow(): void {
    const cap = this.score.length * 2;
    const f = new Float64Array(cap);
    f.set(this.score);
    this.score = f;
    const g = (a: Int32Array): Int32Array => {
      const x = new Int32Array(cap);
      x.set(a);
      return x;
    };
    this.l = g(this.l);
    this.r = g(this.r);
    this.n = g(this.n);
    this.m = g(this.m);
  }
}
