import { describe, expect, it } from "vitest";
import { Rng } from "./rng.js";

describe("Rng", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(seqA);
  });

  it("resumes exactly from a JSON round-tripped state", () => {
    const a = new Rng("corpus");
    for (let i = 0; i < 100; i++) a.float();
    const saved = JSON.parse(JSON.stringify(a.state()));
    const b = Rng.fromState(saved);
    expect(Array.from({ length: 50 }, () => b.float())).toEqual(Array.from({ length: 50 }, () => a.float()));
  });

  it("rejects a malformed state", () => {
    expect(() => Rng.fromState({ algorithm: "mt19937", s: [1, 2, 3, 4] } as never)).toThrow(
      expect.objectContaining({ code: "STATE_INVALID", message: expect.stringMatching(/xoshiro128/) }),
    );
  });

  it("draws uniform integers and floats", () => {
    const rng = new Rng(7);
    const counts: number[] = Array.from({ length: 6 }, () => 0);
    const n = 60000;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      counts[rng.below(6)]++;
      const f = rng.float();
      lo = Math.min(lo, f);
      hi = Math.max(hi, f);
      sum += f;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    for (const c of counts) expect(Math.abs(c - n / 6)).toBeLessThan(5 * Math.sqrt(n / 6));
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    const seen = new Set(Array.from({ length: 1000 }, () => rng.int(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });

  it("shuffles into a permutation", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    new Rng(1).shuffle(items);
    expect([...items].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(items).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe("Rng.forItem", () => {
  it("gives each item of a seed its own reproducible stream, without drawing earlier items", () => {
    const draw = (rng: Rng) => Array.from({ length: 6 }, () => rng.nextU32());
    expect(draw(Rng.forItem(3, 1000))).toEqual(draw(Rng.forItem(3, 1000)));
    const firsts = new Set<number>();
    for (let i = 0; i < 5000; i++) firsts.add(Rng.forItem(3, i).nextU32());
    // 5000 32-bit draws: a collision has probability ≈ 0.3 %; identical streams would give 1 value.
    expect(firsts.size).toBeGreaterThanOrEqual(4999);
    expect(draw(Rng.forItem(4, 1000))).not.toEqual(draw(Rng.forItem(3, 1000)));
    expect(draw(Rng.forItem(3, 2 ** 40 + 1000))).not.toEqual(draw(Rng.forItem(3, 1000)));
  });

  it("draws uniformly across neighbouring items", () => {
    // Items are seeded from consecutive indices: their first draws must still look uniform.
    const counts = Array.from({ length: 10 }, () => 0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[Rng.forItem(9, i).below(10)]!++;
    for (const c of counts) expect(Math.abs(c - n / 10)).toBeLessThan(5 * Math.sqrt(n / 10));
  });

  it("rejects a negative or fractional index", () => {
    expect(() => Rng.forItem(1, -1)).toThrow(/index/);
    expect(() => Rng.forItem(1, 1.5)).toThrow(/index/);
  });
});
