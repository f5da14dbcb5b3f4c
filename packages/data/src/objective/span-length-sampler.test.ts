import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { SpanLengthSampler } from "./span-length-sampler.js";

describe("SpanLengthSampler", () => {
  const sampler = new SpanLengthSampler(3, 40);

  it("has the zero-truncated Poisson(3) probabilities of GLM.md §4.3", () => {
    const expected = [0.1572, 0.2358, 0.2358, 0.1768, 0.1061, 0.0531, 0.0227, 0.0085, 0.0028, 0.0009];
    expected.forEach((p, i) => expect(sampler.probability(i + 1)).toBeCloseTo(p, 4));
    expect(sampler.probability(0)).toBe(0);
    expect(sampler.probability(40)).toBe(0);
    let mean = 0;
    for (let k = 1; k <= 39; k++) mean += k * sampler.probability(k);
    expect(mean).toBeCloseTo(3.157, 3);
  });

  it("draws lengths with those frequencies, only in 1…39", () => {
    const rng = new Rng(3);
    const n = 50000;
    const counts = new Map<number, number>();
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const k = sampler.draw(rng.float());
      lo = Math.min(lo, k);
      hi = Math.max(hi, k);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(lo).toBe(1);
    expect(hi).toBeLessThanOrEqual(39);
    for (let k = 1; k <= 6; k++) {
      const p = sampler.probability(k);
      expect(Math.abs((counts.get(k) ?? 0) / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
    expect(sampler.draw(0)).toBe(1);
    expect(sampler.draw(0.999999999999)).toBeLessThanOrEqual(39);
  });
});
