// Batched infilling equals unbatched infilling row by row; the truncated-span quirk and its option.
import { type GLMModel, tf } from "@glmjs/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blankPositions } from "../decoding/special-ids.js";
import {
  BACKENDS,
  type BeamCase,
  FIXTURE,
  type GenerateFixture,
  expectSameInfill,
  fixtureModel,
  fixtureSpecialIds,
  readFixtureJson,
  referenceGreedy,
} from "./fixture.test-helper.js";
import { infillBatchIds, infillIds } from "./infill.js";

const generate = readFixtureJson<GenerateFixture>("generate.json");
const tasks = readFixtureJson<{ beam: BeamCase[] }>("tasks.json");

describe.skipIf(!FIXTURE || !generate)("batched infilling and the truncation quirk", () => {
  describe.each(BACKENDS)("on %s", (backend) => {
    let model: GLMModel;
    const specialIds = FIXTURE ? fixtureSpecialIds() : undefined!;
    // Contexts of different lengths and blank counts (some without [CLS]/eos, as tasks.json builds them).
    const contexts = () => [...generate!.prompts.map((p) => p.context), ...(tasks?.beam.slice(0, 3).map((c) => c.context) ?? [])];
    beforeAll(async () => {
      model = await fixtureModel(backend);
    });
    afterAll(() => model?.dispose());

    it("runs on the backend under test", () => {
      expect(tf.getBackend()).toBe(backend);
    });

    it("greedy: every row of a padded batch equals its unbatched result (rows ending at different steps)", async () => {
      for (const maxNewTokens of [3, 8, 12]) {
        const single = [];
        for (const c of contexts()) single.push(await infillIds(model, c, { specialIds, maxNewTokens }));
        const batched = await infillBatchIds(model, contexts(), { specialIds, maxNewTokens });
        expectSameInfill(batched, single);
        // Rows really do end at different steps (a row with two blanks, rows stopping on eop).
        expect(new Set(batched.map((r) => r.ids.length)).size).toBeGreaterThan(1);
      }
    });

    it("sampling: row i of a batch equals an unbatched run with the row's seed", async () => {
      const seeds = contexts().map((_, i) => 100 + 7 * i);
      const opts = { specialIds, maxNewTokens: 6, strategy: "sample" as const, temperature: 1.5, topK: 20 };
      const batched = await infillBatchIds(model, contexts(), { ...opts, seed: seeds });
      for (const [i, c] of contexts().entries()) expectSameInfill(batched[i]!, await infillIds(model, c, { ...opts, seed: seeds[i]! }));
      // A single seed gives row i the seed + i.
      expectSameInfill(
        await infillBatchIds(model, contexts(), { ...opts, seed: 100 }),
        await Promise.all(contexts().map((c, i) => infillIds(model, c, { ...opts, seed: 100 + i }))),
      );
    });

    it("beam search over a batch: each row as alone", async () => {
      const opts = { specialIds, maxNewTokens: 5, strategy: "beam" as const, numBeams: 3 };
      const batched = await infillBatchIds(model, contexts(), opts);
      for (const [i, c] of contexts().entries()) expectSameInfill(batched[i]!, await infillIds(model, c, opts));
    });

    it("reproduces the original's quirk by default: a span cut by maxNewTokens never feeds its last token", async () => {
      // A context with two blanks where the first span is cut (its greedy span runs past 3 tokens).
      const ctx = generate!.prompts.find((p) => p.spans.length > 1 && p.spans[0]!.generated.length > 3)!.context;
      const blanks = blankPositions(ctx, specialIds);
      const stop = [specialIds.eop, specialIds.eos];
      for (const max of [2, 3, 4]) {
        const quirk = await infillIds(model, ctx, { specialIds, maxNewTokens: max });
        const fed = await infillIds(model, ctx, { specialIds, maxNewTokens: max, feedTruncatedToken: true });
        expect(quirk.ids).toEqual(referenceGreedy(model, ctx, specialIds.sop, blanks, stop, max, { feedTruncated: false }));
        expect(fed.ids).toEqual(referenceGreedy(model, ctx, specialIds.sop, blanks, stop, max, { feedTruncated: true }));
        expect(quirk.spans[0]).toEqual(fed.spans[0]);
        expect(quirk.spans[0]!.stoppedOn).toBeNull();
        expect(quirk.spans[0]!.ids.length).toBe(max);
      }
      // The two settings do differ on this model for some length (the later blank sees a different history).
      const differs = [];
      for (const max of [2, 3, 4]) {
        const a = await infillIds(model, ctx, { specialIds, maxNewTokens: max });
        const b = await infillIds(model, ctx, { specialIds, maxNewTokens: max, feedTruncatedToken: true });
        differs.push(JSON.stringify(a.spans[1]) !== JSON.stringify(b.spans[1]));
      }
      expect(differs).toContain(true);
    });

    it("the quirk option works with beam search and in a batch", async () => {
      const ctx = generate!.prompts.find((p) => p.spans.length > 1)!.context;
      for (const feedTruncatedToken of [false, true]) {
        const one = await infillIds(model, ctx, { specialIds, maxNewTokens: 3, feedTruncatedToken });
        const many = await infillBatchIds(model, [contexts()[0]!, ctx], { specialIds, maxNewTokens: 3, feedTruncatedToken });
        expectSameInfill(many[1]!, one);
        const beam = await infillIds(model, ctx, { specialIds, maxNewTokens: 3, feedTruncatedToken, strategy: "beam", numBeams: 1 });
        // One beam without constraints is greedy search.
        expect(beam.ids).toEqual(one.ids);
      }
    });
  });
});
