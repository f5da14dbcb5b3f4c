// A deterministic train/held-out split by group (all examples of one source sentence or one
// meaning representation land on the same side), for sets published as a single split.
import { GlmjsError } from "@glmjs/common";

export interface GroupSplit<T> {
  train: T[];
  heldOut: T[];
}

/** FNV-1a of the key mixed with the seed: a stable, platform-independent hash. */
function hash(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

/** Puts a group in `heldOut` when the hash of its key (and seed) falls below `heldOutFraction`. */
export function splitByGroup<T>(items: readonly T[], keyOf: (item: T) => string, heldOutFraction: number, seed = 0): GroupSplit<T> {
  if (!(heldOutFraction > 0 && heldOutFraction < 1))
    throw new GlmjsError("OPTION_INVALID", `splitByGroup: heldOutFraction must be in (0, 1), got ${heldOutFraction}`);
  const out: GroupSplit<T> = { train: [], heldOut: [] };
  for (const item of items) (hash(keyOf(item), seed) < heldOutFraction ? out.heldOut : out.train).push(item);
  return out;
}
