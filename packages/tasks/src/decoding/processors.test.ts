import { Rng } from "@glmjs/data";
import { describe, expect, it } from "vitest";
import { bannedNgramTokens } from "./no-repeat-ngram.js";
import { kthLargest, minNewTokens, noRepeatNgram, repetitionPenalty, temperature, topK, topP } from "./processors.js";
import { sampleLogits } from "./sample.js";
import { logSumExp, logSoftmax } from "./log-softmax.js";

const history = (span: number[], seen: number[] = []) => ({ span, seen: new Set(seen) });

describe("logits processors", () => {
  it("top-k keeps the k best logits and every tie at the threshold", () => {
    const row = Float32Array.from([1, 5, 3, 5, 2, 3]);
    topK(2).apply(row, history([]));
    expect(Array.from(row)).toEqual([-Infinity, 5, -Infinity, 5, -Infinity, -Infinity]);
    const ties = Float32Array.from([1, 5, 3, 4, 3]);
    topK(3).apply(ties, history([]));
    expect(Array.from(ties)).toEqual([-Infinity, 5, 3, 4, 3]);
    expect(kthLargest([4, 1, 9, 7], 2)).toBe(7);
  });

  it("top-p keeps the smallest prefix whose probability exceeds p (the first token always)", () => {
    // probabilities 0.5, 0.3, 0.15, 0.05
    const probs = [0.15, 0.5, 0.05, 0.3];
    const row = () => Float32Array.from(probs.map(Math.log));
    const kept = (p: number) => {
      const r = row();
      topP(p).apply(r, history([]));
      return Array.from(r).flatMap((v, i) => (v > -Infinity ? [i] : []));
    };
    expect(kept(0.4)).toEqual([1]);
    expect(kept(0.55)).toEqual([1, 3]);
    expect(kept(0.7)).toEqual([1, 3]);
    expect(kept(0.85)).toEqual([0, 1, 3]);
    expect(kept(0.97)).toEqual([0, 1, 2, 3]);
    expect(kept(0.01)).toEqual([1]);
  });

  it("repetition penalty divides positive and multiplies negative logits of seen ids", () => {
    const row = Float32Array.from([2, -2, 4, 1]);
    const p = repetitionPenalty(2);
    expect(p.applies(history([], []))).toBe(false);
    p.apply(row, history([], [0, 1]));
    expect(Array.from(row)).toEqual([1, -4, 4, 1]);
  });

  it("min-new-tokens bans the stop ids only while the span is short", () => {
    const p = minNewTokens(2, [0, 3]);
    const row = Float32Array.from([1, 1, 1, 1]);
    expect(p.applies(history([7]))).toBe(true);
    p.apply(row, history([7]));
    expect(Array.from(row)).toEqual([-Infinity, 1, 1, -Infinity]);
    expect(p.applies(history([7, 8]))).toBe(false);
  });

  it("temperature divides the logits", () => {
    const row = Float32Array.from([1, -3]);
    temperature(0.5).apply(row, history([]));
    expect(Array.from(row)).toEqual([2, -6]);
  });

  it("no-repeat-n-gram bans what would repeat an n-gram of the generated tokens (fairseq's rule)", () => {
    expect(bannedNgramTokens([], 2)).toEqual([]);
    expect(bannedNgramTokens([5], 3)).toEqual([]);
    expect(bannedNgramTokens([5, 6, 5], 2)).toEqual([6]);
    expect(bannedNgramTokens([1, 2, 3, 1, 2], 3)).toEqual([3]);
    expect(bannedNgramTokens([1, 2, 3, 1, 2], 2)).toEqual([3]);
    expect(bannedNgramTokens([1, 2, 3, 1, 4], 2)).toEqual([]);
    expect(bannedNgramTokens([4, 4, 4], 2).sort()).toEqual([4, 4]);
    expect(bannedNgramTokens([3, 9, 3], 1).sort()).toEqual([3, 9]);
    const p = noRepeatNgram(2);
    const row = Float32Array.from([0, 0, 0, 0, 0, 0, 0]);
    expect(p.applies(history([5, 6]))).toBe(false);
    p.apply(row, history([5, 6, 5]));
    expect(row[6]).toBe(-Infinity);
    expect(row.filter((v) => v === -Infinity).length).toBe(1);
  });
});

describe("log-softmax and seeded sampling", () => {
  it("log-softmax sums to one and handles -Infinity", () => {
    const ls = logSoftmax([1, 2, -Infinity, 3]);
    expect(Array.from(ls).reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 12);
    expect(ls[2]).toBe(-Infinity);
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity);
  });

  it("draws each token with its softmax probability, reproducibly from a seed, never a banned one", () => {
    const logits = Float32Array.from([Math.log(0.6), Math.log(0.3), -Infinity, Math.log(0.1)]);
    const draw = (seed: number, n: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: n }, () => sampleLogits(logits, rng));
    };
    const a = draw(3, 20000);
    expect(draw(3, 20000)).toEqual(a);
    expect(draw(4, 50)).not.toEqual(a.slice(0, 50));
    const counts = [0, 0, 0, 0];
    for (const t of a) counts[t]!++;
    expect(counts[2]).toBe(0);
    // 4 standard deviations of a binomial with n = 20000.
    for (const [i, p] of [0.6, 0.3, 0, 0.1].entries()) expect(Math.abs(counts[i]! / 20000 - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / 20000) + 1e-9);
  });
});
