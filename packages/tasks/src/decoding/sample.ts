// Seeded categorical sampling from a row of logits, on the CPU: the same logits and the same
// generator state give the same token on every backend.
import { GlmjsError } from "@glmjs/common";
import type { Rng } from "@glmjs/data";

/** Draws index i with probability softmax(logits)_i (entries at -Infinity are never drawn). */
export function sampleLogits(logits: ArrayLike<number>, rng: Rng): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (max === -Infinity) throw new GlmjsError("ALL_TOKENS_BANNED", "sampling: every token is banned (all logits are -Infinity)");
  let z = 0;
  for (let i = 0; i < logits.length; i++) z += Math.exp(logits[i]! - max);
  const u = rng.float() * z;
  let cumulative = 0;
  let last = -1;
  for (let i = 0; i < logits.length; i++) {
    const w = Math.exp(logits[i]! - max);
    if (w === 0) continue;
    cumulative += w;
    last = i;
    if (u < cumulative) return i;
  }
  // Rounding left u at or past the total: the last token with any weight.
  return last;
}
