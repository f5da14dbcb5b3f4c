// Fill scores against core's loss and against generation's own span scores; top candidates against the first step's logits.
import { type GLMModel, tf } from "@glmjs/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logSumExp } from "../decoding/log-softmax.js";
import {
  BACKENDS,
  FIXTURE,
  type GenerateFixture,
  firstStepLogits,
  fixtureModel,
  fixtureSpecialIds,
  readFixtureJson,
} from "../generation/fixture.test-helper.js";
import { infillIds } from "../generation/infill.js";
import { scoreFillsIds } from "./score-fills.js";
import { topCandidatesIds } from "./top-candidates.js";

const generate = readFixtureJson<GenerateFixture>("generate.json");

/** Mean cross-entropy of one Part A / Part B sequence through core's loss (an independent path). */
function coreLoss(model: GLMModel, partA: number[], maskPos: number, sop: number, text: number[]): number {
  const ids = [...partA, sop, ...text.slice(0, -1)];
  const n = ids.length;
  const t = model.loss({
    batchSize: 1,
    seqLength: n,
    inputIds: Int32Array.from(ids),
    positionIds: Int32Array.from([...partA.map((_, i) => i), ...text.map(() => maskPos)]),
    blockPositionIds: Int32Array.from([...partA.map(() => 0), ...text.map((_, k) => k + 1)]),
    targets: Int32Array.from([...partA.map(() => 0), ...text]),
    lossMask: Float32Array.from([...partA.map(() => 0), ...text.map(() => 1)]),
    sep: Int32Array.from([partA.length]),
  });
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

describe.skipIf(!FIXTURE || !generate)("fill scores and top candidates", () => {
  const specialIds = FIXTURE ? fixtureSpecialIds() : undefined!;
  describe.each(BACKENDS)("on %s", (backend) => {
    let model: GLMModel;
    beforeAll(async () => {
      model = await fixtureModel(backend);
    });
    afterAll(() => model?.dispose());

    it("scoring the greedy fills gives back the greedy spans' log-probabilities", async () => {
      for (const p of generate!.prompts) {
        const r = await infillIds(model, p.context, { specialIds, maxNewTokens: 8 });
        const fills = r.spans.map((s) => s.ids);
        if (r.spans.some((s) => s.stoppedOn === specialIds.eos && specialIds.eos !== specialIds.eop)) continue;
        // A span that stopped on eop is scored with its end; a cut one without (its last token predicted, never fed).
        const scored = await scoreFillsIds(model, p.context, fills, { specialIds, appendEnd: r.spans.map((s) => s.stoppedOn !== null) });
        r.spans.forEach((s, i) => expect(Math.abs(scored.blanks[i]!.logProb - s.score), `blank ${i}`).toBeLessThan(1e-4));
        const withEnd = await scoreFillsIds(model, p.context, fills, { specialIds });
        expect(withEnd.blanks.map((b) => b.tokenLogProbs.length)).toEqual(fills.map((f) => f.length + 1));
        expect(withEnd.logProb).toBeCloseTo(
          withEnd.blanks.reduce((a, b) => a + b.logProb, 0),
          10,
        );
        for (const b of withEnd.blanks) for (const v of b.tokenLogProbs) expect(v).toBeLessThanOrEqual(0);
      }
    });

    it("a fill's score matches core's cross-entropy of the same Part A / Part B sequence", async () => {
      const p = generate!.prompts.find((x) => x.spans.length === 1)!;
      const pos = p.spans[0]!.mask_position;
      const fill = [17, 23, 42].map((x) => x % model.config.vocab_size);
      const s = await scoreFillsIds(model, p.context, [fill], { specialIds });
      const loss = coreLoss(model, p.context, pos, specialIds.sop, [...fill, specialIds.eop]);
      expect(Math.abs(-s.logProb / (fill.length + 1) - loss)).toBeLessThan(1e-5);
    });

    it("top candidates: each blank's best first tokens with the probabilities of its first decoding step", async () => {
      for (const p of generate!.prompts) {
        const c = await topCandidatesIds(model, p.context, 4, { specialIds });
        expect(c.map((b) => b.position)).toEqual(p.spans.map((s) => s.mask_position));
        for (const b of c) {
          // Given the context alone (no earlier fill), as the first step of a blank decoded first.
          const logits = firstStepLogits(model, p.context, b.position, specialIds.sop);
          const lse = logSumExp(logits);
          const order = Array.from(logits.keys()).sort((x, y) => logits[y]! - logits[x]!);
          expect(b.candidates.map((x) => x.id)).toEqual(order.slice(0, 4));
          for (const x of b.candidates) expect(Math.abs(x.logProb - (logits[x.id]! - lse))).toBeLessThan(1e-4);
        }
        // The first blank is decoded first: its best candidate is greedy's first choice (or its stop).
        const first = p.spans[0]!;
        expect(c[0]!.candidates[0]!.id).toBe(first.generated[0] ?? first.stopped_on);
      }
    });

    it("leaks no tensor and rejects bad input clearly", async () => {
      const p = generate!.prompts[0]!;
      await scoreFillsIds(model, p.context, [[10]], { specialIds });
      const before = tf.memory().numTensors;
      await scoreFillsIds(model, p.context, [[10, 11]], { specialIds });
      expect(tf.memory().numTensors).toBe(before);
      await expect(scoreFillsIds(model, p.context, [], { specialIds })).rejects.toThrow(/1 blank\(s\), 0 fill/);
    });
  });
});
