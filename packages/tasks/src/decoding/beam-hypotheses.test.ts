import { describe, expect, it } from "vitest";
import { BeamHypotheses } from "./beam-hypotheses.js";
import { BeamSearch } from "./beam-search.js";

describe("BeamHypotheses (the original's n-best list)", () => {
  it("scores by sum / length ** lengthPenalty and keeps the best numBeams", () => {
    const h = new BeamHypotheses(2, 1);
    h.add([1, 2], -4, 9, null); // -2
    h.add([1, 2, 3, 4], -4, 9, null); // -1
    h.add([5], -3, 9, null); // -3: worse than the worst kept (-2), not added
    expect(h.size).toBe(2);
    expect(h.best().score).toBe(-1);
    h.add([], -0.5, 9, null); // length counts as 1: -0.5
    expect(h.best().tokens).toEqual([]);
    expect(h.size).toBe(2);
  });

  it("is done when full and the best running score cannot beat the worst kept", () => {
    const h = new BeamHypotheses(1, 1);
    expect(h.isDone(-1, 3)).toBe(false);
    h.add([1, 2], -2, 9, null); // -1
    expect(h.isDone(-2.9, 3)).toBe(false); // -0.967 > -1
    expect(h.isDone(-3, 3)).toBe(true);
  });

  it("prefers the latest hypothesis among equal scores", () => {
    const h = new BeamHypotheses(3, 0);
    h.add([1], -1, 9, null);
    h.add([2], -1, 9, null);
    expect(h.best().tokens).toEqual([2]);
  });
});

describe("BeamSearch on hand-made logits", () => {
  const V = 4;
  const END = 3;
  const row = (...p: number[]) => p.map(Math.log);
  it("takes first candidates from beam 0 only, closes hypotheses on an end token ranked within numBeams", () => {
    const s = new BeamSearch({ numBeams: 2, lengthPenalty: 1, endIds: [END], minLength: 0, noRepeatNgramSize: 0, topK: 0, topP: 0, repetitionPenalty: 1 });
    const first = s.step(Float32Array.from(row(0.5, 0.3, 0.1, 0.1)), 1, V);
    expect(first.sourceBeams).toEqual([0, 0]);
    expect(first.nextTokens).toEqual([0, 1]);
    // beam 0 (token 0, log 0.5) now prefers END: that closes [0] with score log(0.5·0.6)/1.
    const second = s.step(Float32Array.from([...row(0.1, 0.2, 0.1, 0.6), ...row(0.7, 0.1, 0.1, 0.1)]), 2, V);
    expect(second.sourceBeams).toEqual([1, 0]);
    expect(second.nextTokens).toEqual([0, 1]);
    const best = s.finalize();
    // Running beams: [1, 0] with log(0.3·0.7)/2 = -0.780, [0, 1] with log(0.5·0.2)/2; finished [0]: log(0.3) = -1.204.
    expect(best.tokens).toEqual([1, 0]);
    expect(best.score).toBeCloseTo(Math.log(0.3 * 0.7) / 2, 6);
    expect(best.endedOn).toBeNull();
    expect(best.beam).toBe(0);
  });

  it("bans end tokens below minLength and repeated n-grams", () => {
    const s = new BeamSearch({ numBeams: 1, lengthPenalty: 1, endIds: [END], minLength: 2, noRepeatNgramSize: 1, topK: 0, topP: 0, repetitionPenalty: 1 });
    expect(s.step(Float32Array.from(row(0.4, 0.1, 0.1, 0.4)), 1, V).nextTokens).toEqual([0]);
    // token 0 is now banned (1-gram repeat), END is banned (length 1 < 2): token 1 or 2.
    expect(s.step(Float32Array.from(row(0.7, 0.2, 0.05, 0.05)), 1, V).nextTokens).toEqual([1]);
  });
});
