// Randomness inside a training step (dropout) comes from a counter-based generator: the seed for
// micro-batch k of step t is a hash of (run seed, t, k). Its whole state is therefore the run seed
// plus the step counter, both saved in every checkpoint, and a resumed run draws exactly the same
// dropout masks as an uninterrupted one (as JAX/Philox-style RNGs do).

export interface StepRngState {
  algorithm: "hash32(seed, step, micro)";
  seed: number;
  step: number;
}

export function stepSeed(seed: number, step: number, micro: number): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const word of [step >>> 0, Math.floor(step / 4294967296) >>> 0, micro >>> 0]) {
    h = Math.imul(h ^ word, 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  // tfjs seeds are plain numbers; keep them positive and below 2^31.
  return (h >>> 0) % 2147483647;
}
