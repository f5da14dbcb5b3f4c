// Test helper: a synthetic vocabulary and corpus (no tokenizer needed).
import { Rng } from "../random/rng.js";
import type { SpecialIds } from "../objective/settings.js";

export const SYNTHETIC_SPECIAL: SpecialIds = { eos: 0, cls: 1, mask: 2, sop: 3, eop: 4, sMask: 5, gMask: 6, dBlock: 7 };
export const SYNTHETIC_VOCAB = 1000;

/** Token ids ≥ 8; every id divisible by 17 ends a sentence. */
export function syntheticSentenceEnd(): Uint8Array {
  const t = new Uint8Array(SYNTHETIC_VOCAB);
  for (let id = 8; id < SYNTHETIC_VOCAB; id++) if (id % 17 === 0) t[id] = 1;
  return t;
}

/** Documents of random lengths in [minLength, maxLength] with text ids only. */
export function syntheticDocuments(count: number, minLength: number, maxLength: number, seed = 1): Int32Array[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => {
    const doc = new Int32Array(rng.int(minLength, maxLength));
    for (let i = 0; i < doc.length; i++) doc[i] = rng.int(8, SYNTHETIC_VOCAB - 1);
    return doc;
  });
}
