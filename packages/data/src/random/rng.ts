// A small seedable PRNG (xoshiro128**) whose whole state is four uint32 words, so it can be
// written to JSON and restored for exact resumption. Math.random cannot be seeded or saved.
import { GlmjsError } from "@glmjs/common";

/** JSON-serialisable PRNG state. */
export interface RngState {
  readonly algorithm: "xoshiro128**";
  readonly s: readonly [number, number, number, number];
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds from a number (any integer; high bits above 2^32 are folded in) or a string. */
  constructor(seed: number | string = 0) {
    const n = typeof seed === "string" ? hashString(seed) : (seed >>> 0) ^ Math.floor(seed / TWO_POW_32);
    const next = splitmix32(n);
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * An independent generator for item `index` (a non-negative integer below 2^53) of the stream
   * `seed`, as the original seeds a `random.Random(idx)` per dataset item: random access to
   * any item without drawing the ones before it. For one seed, distinct indices give distinct
   * states (each 32-bit half of the index goes through a bijective mixer).
   */
  static forItem(seed: number | string, index: number): Rng {
    if (!(Number.isInteger(index) && index >= 0 && index < TWO_POW_53))
      throw new GlmjsError("OPTION_INVALID", `Rng.forItem: index must be an integer in [0, 2^53), got ${index}`);
    // Keys from a separate domain, so that they are not the first draws of `new Rng(seed)`.
    const keys = new Rng(`item-stream:${String(seed)}`);
    const k0 = keys.nextU32();
    const k1 = keys.nextU32();
    const k2 = keys.nextU32();
    const k3 = keys.nextU32();
    const rng = new Rng(0);
    // (s0, s1) is a bijection of (low, high) word; every word depends on the low one, since
    // xoshiro128**'s first output reads s1 only.
    rng.s0 = fmix32((index >>> 0) ^ k0);
    rng.s1 = fmix32(rng.s0 ^ Math.floor(index / TWO_POW_32) ^ k1);
    rng.s2 = fmix32(rng.s1 ^ k2);
    rng.s3 = fmix32(rng.s0 ^ rng.s2 ^ k3);
    if ((rng.s0 | rng.s1 | rng.s2 | rng.s3) === 0) rng.s0 = 1;
    for (let i = 0; i < 4; i++) rng.nextU32();
    return rng;
  }

  static fromState(state: RngState): Rng {
    if (state.algorithm !== "xoshiro128**" || !Array.isArray(state.s) || state.s.length !== 4) {
      throw new GlmjsError("STATE_INVALID", `Rng.fromState: expected {algorithm: "xoshiro128**", s: [4 uint32]}, got ${JSON.stringify(state)}`);
    }
    const rng = new Rng(0);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.s.map((x) => x >>> 0) as [number, number, number, number];
    return rng;
  }

  state(): RngState {
    return { algorithm: "xoshiro128**", s: [this.s0, this.s1, this.s2, this.s3] };
  }

  /** Next uniform uint32. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits (like Python's random.random()). */
  float(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /**
   * Uniform integer in [0, n). Multiply-shift of one 32-bit draw: for the small ranges used
   * here (n ≤ 2^20) the deviation from uniform is below n / 2^32 ≤ 2.4e-4 relative, far under
   * any statistical test; larger ranges use a 53-bit float.
   */
  below(n: number): number {
    if (n <= 1) return 0;
    if (n <= 1048576) return Math.floor((this.nextU32() * n) / TWO_POW_32);
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive, like Python's randint). */
  int(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** In-place Fisher-Yates shuffle of the first `length` entries. */
  shuffle<T>(items: { [i: number]: T; length: number }, length = items.length): void {
    for (let i = length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
  }
}

/** MurmurHash3's 32-bit finaliser: a bijection on uint32 that spreads every input bit. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
