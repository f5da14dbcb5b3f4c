// Token selection from the backend's top-k equals selection over whole rows: greedy's ids and
// log-probabilities, and seeded sampling with temperature, top-k and top-p — the same tokens and
// the same generator states afterwards, whether the bounded list decided a row or the whole row
// had to (ties at the top-k threshold, a nucleus wider than the list). Both paths are checked to
// be taken.
import { Rng } from "@glmjs/data";
import { tf, topKLogits } from "@glmjs/core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { StepOutput } from "../generation/session.js";
import { resolveDecoding } from "./options.js";
import { NUCLEUS_CANDIDATES } from "./sample-top.js";
import { type SelectionRow, createSelector } from "./selector.js";

const VOCAB = 1200;
const SPECIAL = { sop: 1, eop: 2, eos: 3, pad: 0, cls: 4, mask: 5, sMask: 6, gMask: 7 };

/** Rows of logits: realistic, a few equal maxima (ties), a flat tail (wide nucleus), float32 near-ties. */
function logitRows(): Float32Array {
  const rng = new Rng(5);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.float())) * Math.cos(2 * Math.PI * rng.float());
  const rows: number[][] = [];
  rows.push(Array.from({ length: VOCAB }, () => 3 * gauss()));
  rows.push(Array.from({ length: VOCAB }, () => 0.5 * gauss()));
  // Ten equal best logits: top-k below ten ties at the threshold.
  rows.push(Array.from({ length: VOCAB }, (_, i) => (i % 97 === 3 && i < 970 ? 6 : gauss())));
  // Quantised: many ties everywhere.
  rows.push(Array.from({ length: VOCAB }, () => Math.round(2 * gauss()) / 2));
  // Neighbouring float32 values: distinct raw logits that a temperature can make equal.
  rows.push(Array.from({ length: VOCAB }, (_, i) => (i < 40 ? 4 + i * 1e-7 : 2 * gauss())));
  return Float32Array.from(rows.flat());
}

/** The step output with and without the backend's top-k (k as the selector requests). */
function outputs(logits: tf.Tensor2D, k: number | undefined): { top: StepOutput; whole: StepOutput } {
  const whole = { logits };
  if (!k) return { top: whole, whole };
  const t = topKLogits(logits, k);
  return { top: { logits, topK: { indices: t.indices, logits: t.values, logSumExp: t.logSumExp } }, whole };
}

describe("token selection from the backend's top-k", () => {
  let logits: tf.Tensor2D;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    const data = logitRows();
    logits = tf.tensor2d(data, [data.length / VOCAB, VOCAB]);
  });

  it("greedy: top 1 gives the argmax and its log-probability; whole rows when a processor applies", async () => {
    const d = resolveDecoding({ specialIds: SPECIAL } as never, SPECIAL, VOCAB, "test");
    const selector = createSelector(d);
    const rows: SelectionRow[] = Array.from({ length: logits.shape[0] }, () => ({ span: [], seen: new Set<number>() }));
    const request = selector.request(rows, VOCAB);
    expect(request).toEqual({ topK: 1 });
    const { top, whole } = outputs(logits, request.topK);
    const a = await selector.select(top, rows);
    const b = await selector.select(whole, rows);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
    a.logProbs.forEach((v, i) => expect(Math.abs(v - b.logProbs[i]!)).toBeLessThan(2e-6));
    tf.dispose([top.topK!.indices, top.topK!.logits, top.topK!.logSumExp]);
    const penalised = createSelector(resolveDecoding({ repetitionPenalty: 1.2 } as never, SPECIAL, VOCAB, "test"));
    expect(penalised.request([{ span: [], seen: new Set([9]) }], VOCAB)).toEqual({ logits: true });
  });

  // Per configuration, rows the list decides for every seed and rows it never can: row 2's ten
  // equal maxima tie at a top-k threshold below ten, row 3's quantised logits tie at most
  // thresholds, and a flat row (1) or a huge temperature puts the nucleus beyond the list.
  // (Row 4's neighbouring float32 values, equal or not after a temperature, only check the draws.)
  const configs: { c: { topK?: number; topP?: number; temperature?: number }; decides: number[]; fallsBack: number[] }[] = [
    { c: { topK: 1 }, decides: [0, 1, 3, 4], fallsBack: [2] },
    { c: { topK: 5 }, decides: [0, 1, 4], fallsBack: [2, 3] },
    { c: { topK: 5, temperature: 0.7 }, decides: [0, 1, 4], fallsBack: [2, 3] },
    { c: { topK: 40, topP: 0.8, temperature: 1.3 }, decides: [0, 1, 2], fallsBack: [3, 4] },
    { c: { topK: 4, temperature: 1e4 }, decides: [0, 1], fallsBack: [2, 3] },
    { c: { topP: 0.5 }, decides: [0, 2, 4], fallsBack: [1, 3] },
    { c: { topP: 0.9, temperature: 0.8 }, decides: [0], fallsBack: [1] },
    { c: { topP: 0.95, temperature: 0.5 }, decides: [0, 2, 4], fallsBack: [1] },
    { c: { topP: 0.3, temperature: 1e4 }, decides: [], fallsBack: [0, 1, 2, 3, 4] },
  ];
  for (const { c, decides, fallsBack } of configs) {
    it(`sampling ${JSON.stringify(c)}: the same draws and generator states as over whole rows`, async () => {
      const d = resolveDecoding({ strategy: "sample", ...c } as never, SPECIAL, VOCAB, "test");
      const selector = createSelector(d);
      const rowsFor = (seed: number): SelectionRow[] => [{ span: [], seen: new Set<number>(), rng: new Rng(seed) }];
      const request = selector.request(rowsFor(0), VOCAB);
      expect(request.topK).toBe(c.topK ? c.topK + 1 : NUCLEUS_CANDIDATES + 1);
      expect(request.logits).toBe(true);
      const decidedByRow: number[] = [];
      for (let row = 0; row < logits.shape[0]; row++) {
        const one = tf.slice(logits, [row, 0], [1, -1]) as tf.Tensor2D;
        const { top, whole } = outputs(one, request.topK);
        const spy = vi.spyOn(one, "data");
        let decided = 0;
        for (let seed = 0; seed < 20; seed++) {
          const [ra, rb] = [rowsFor(seed), rowsFor(seed)];
          spy.mockClear();
          const a = await selector.select(top, ra);
          if (spy.mock.calls.length === 0) decided++;
          const b = await selector.select(whole, rb);
          expect(Array.from(a.ids), `row ${row} seed ${seed}`).toEqual(Array.from(b.ids));
          expect(Math.abs(a.logProbs[0]! - b.logProbs[0]!)).toBeLessThan(2e-6);
          expect(ra[0]!.rng!.state()).toEqual(rb[0]!.rng!.state());
        }
        spy.mockRestore();
        tf.dispose([one, top.topK!.indices, top.topK!.logits, top.topK!.logSumExp]);
        decidedByRow.push(decided);
      }
      for (const row of decides) expect(decidedByRow[row], `row ${row} decided by the list`).toBe(20);
      for (const row of fallsBack) expect(decidedByRow[row], `row ${row} needs the whole row`).toBe(0);
    });
  }
});
