// BeamSearch over each row's best candidates (stepTopK, what the backend's top-k gives) takes the
// same steps as over whole rows (step): the same beams, tokens, finished hypotheses and scores,
// with min-length and no-repeat-n-gram bans, many tied logits, the first step's single row, and
// exactly candidatesPerRow candidates.
import { topKRows } from "@glmjs/core";
import { describe, expect, it } from "vitest";
import { BeamSearch, type BeamSearchSettings } from "./beam-search.js";
import { thrownCode } from "@glmjs/test-utils/error-codes";

const VOCAB = 30;

/** Step logits: quantised to halves (ties everywhere), the end token made likely every third step (from the first, where the minimum length bans it). */
function stepLogits(step: number, rows: number): Float32Array {
  let s = 7 + step * 101;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const out = new Float32Array(rows * VOCAB).map(() => Math.round(next() * 12) / 2);
  if (step % 3 === 0) for (let r = 0; r < rows; r++) out[r * VOCAB + 1] = 7;
  return out;
}

function topOf(logits: Float32Array, rows: number, k: number) {
  const indices = new Int32Array(rows * k);
  const values = new Float32Array(rows * k);
  const logSumExp = new Float32Array(rows);
  topKRows(logits, rows, VOCAB, k, indices, values, logSumExp);
  return { k, indices, logits: values, logSumExp };
}

describe("BeamSearch.stepTopK", () => {
  const settings: BeamSearchSettings[] = [
    { numBeams: 3, lengthPenalty: 1, endIds: [1], minLength: 3, noRepeatNgramSize: 2, topK: 0, topP: 0, repetitionPenalty: 1 },
    { numBeams: 4, lengthPenalty: 0.7, endIds: [1, 2], minLength: 0, noRepeatNgramSize: 0, topK: 0, topP: 0, repetitionPenalty: 1 },
    { numBeams: 2, lengthPenalty: 1.5, endIds: [1], minLength: 5, noRepeatNgramSize: 1, topK: 0, topP: 0, repetitionPenalty: 1 },
  ];
  for (const s of settings) {
    it(`takes the same steps as whole rows (${s.numBeams} beams, min length ${s.minLength}, no-repeat ${s.noRepeatNgramSize})`, () => {
      const whole = new BeamSearch(s);
      const top = new BeamSearch(s);
      let rows = 1;
      for (let step = 0; step < 12 && !whole.done; step++) {
        const logits = stepLogits(step, rows);
        const k = top.candidatesPerRow(VOCAB);
        expect(k).toBe(whole.candidatesPerRow(VOCAB));
        expect(k).toBeGreaterThanOrEqual(s.numBeams * (1 + s.endIds.length));
        const a = whole.step(logits, rows, VOCAB);
        const b = top.stepTopK(topOf(logits, rows, k), rows, VOCAB);
        expect(b, `step ${step}`).toEqual(a);
        expect(top.beams).toEqual(whole.beams);
        rows = s.numBeams;
      }
      const [x, y] = [whole.finalize(), top.finalize()];
      expect(y.tokens).toEqual(x.tokens);
      expect(y.endedOn).toBe(x.endedOn);
      expect(Math.abs(y.score - x.score)).toBeLessThan(1e-5);
    });
  }

  it("takes the same steps when the banned tokens are each beam's best", () => {
    // No-repeat-1 bans every token a beam generated; its row puts exactly those first, so the
    // candidates that decide the step sit below them (a top-k without room for them would miss some).
    const s: BeamSearchSettings = { numBeams: 2, lengthPenalty: 1, endIds: [1, 2], minLength: 0, noRepeatNgramSize: 1, topK: 0, topP: 0, repetitionPenalty: 1 };
    for (let seed = 0; seed < 20; seed++) {
      const whole = new BeamSearch(s);
      const top = new BeamSearch(s);
      let rows = 1;
      for (let step = 0; step < 10 && !whole.done; step++) {
        const logits = stepLogits(step + 40 * seed, rows);
        whole.beams.forEach((beam, b) => {
          if (b < rows) for (const t of beam) logits[b * VOCAB + t] = 20 + t / 100;
        });
        const a = whole.step(logits, rows, VOCAB);
        expect(top.stepTopK(topOf(logits, rows, top.candidatesPerRow(VOCAB)), rows, VOCAB), `seed ${seed} step ${step}`).toEqual(a);
        rows = s.numBeams;
      }
      expect(top.finalize().tokens).toEqual(whole.finalize().tokens);
    }
  });

  it("asks for whole rows with a repetition penalty or a filter, and for enough candidates", () => {
    const base = settings[0]!;
    expect(new BeamSearch(base).needsWholeRows).toBe(false);
    expect(new BeamSearch({ ...base, repetitionPenalty: 1.3 }).needsWholeRows).toBe(true);
    expect(new BeamSearch({ ...base, topK: 5 }).needsWholeRows).toBe(true);
    const filtered = new BeamSearch({ ...base, topP: 0.9 });
    expect(() => filtered.stepTopK(topOf(stepLogits(0, 1), 1, 10), 1, VOCAB)).toThrow(/needs whole rows/);
    expect(thrownCode(() => filtered.stepTopK(topOf(stepLogits(0, 1), 1, 10), 1, VOCAB))).toBe("INPUT_INVALID");
    expect(thrownCode(() => new BeamSearch({ ...base, numBeams: 0 }))).toBe("OPTION_INVALID");
    const search = new BeamSearch(base);
    // Below the minimum length the end token is banned: one more candidate than 2·beams.
    expect(search.candidatesPerRow(VOCAB)).toBe(base.numBeams * 2 + 1);
    expect(() => search.stepTopK(topOf(stepLogits(0, 1), 1, 4), 1, VOCAB)).toThrow(/at least 7/);
    expect(search.candidatesPerRow(5)).toBe(5);
  });
});
