// Greedy and beam infilling against the original's golden outputs (generate.json, tasks.json).
import { type GLMModel, tf } from "@glmjs/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, type BeamCase, FIXTURE, type GenerateFixture, fixtureModel, fixtureSpecialIds, readFixtureJson } from "./fixture.test-helper.js";
import { infillBatchIds, infillIds } from "./infill.js";

const generate = readFixtureJson<GenerateFixture>("generate.json");
const tasks = readFixtureJson<{ beam: BeamCase[] }>("tasks.json");

describe.skipIf(!FIXTURE)("infilling on the model fixture", () => {
  describe.each(BACKENDS)("on %s", (backend) => {
    let model: GLMModel;
    const specialIds = FIXTURE ? fixtureSpecialIds() : undefined!;
    beforeAll(async () => {
      model = await fixtureModel(backend);
    });
    afterAll(() => model?.dispose());

    it.skipIf(!generate)("greedy: every prompt of generate.json, ids and spans identical", async () => {
      const g = generate!;
      for (const [p, prompt] of g.prompts.entries()) {
        const r = await infillIds(model, prompt.context, { specialIds, maxNewTokens: g.settings.out_seq_length, stopIds: g.settings.end_tokens });
        expect(r.ids, `prompt ${p} final_tokens`).toEqual(prompt.final_tokens);
        expect(
          r.spans.map((s) => s.ids),
          `prompt ${p} spans`,
        ).toEqual(prompt.spans.map((s) => s.generated));
        expect(r.spans.map((s) => s.stoppedOn)).toEqual(prompt.spans.map((s) => s.stopped_on));
        expect(r.spans.map((s) => s.position)).toEqual(prompt.spans.map((s) => s.mask_position));
      }
    });

    it.skipIf(!tasks)("beam search: every case of tasks.json, ids identical and score within 1e-4", async () => {
      for (const [j, c] of tasks!.beam.entries()) {
        const s = c.settings;
        const r = await infillIds(model, c.context, {
          specialIds,
          strategy: "beam",
          numBeams: s.num_beams,
          lengthPenalty: s.length_penalty,
          minLength: s.min_length,
          noRepeatNgramSize: s.no_repeat_ngram_size,
          maxNewTokens: s.max_new_tokens,
        });
        expect(r.spans.length).toBe(1);
        expect(r.spans[0]!.ids, `beam case ${j}`).toEqual(c.generated);
        expect(Math.abs(r.spans[0]!.score - c.best_score), `beam case ${j} score ${r.spans[0]!.score} vs ${c.best_score}`).toBeLessThan(1e-4);
      }
    });

    it("leaks no tensor over repeated calls", async () => {
      const g = generate!;
      const ctx = g.prompts[0]!.context;
      await infillIds(model, ctx, { specialIds, maxNewTokens: 4 });
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        await infillIds(model, ctx, { specialIds, maxNewTokens: 4 });
        await infillBatchIds(
          model,
          g.prompts.map((p) => p.context),
          { specialIds, maxNewTokens: 4, strategy: "sample", seed: 1 },
        );
        await infillIds(model, ctx, { specialIds, maxNewTokens: 4, strategy: "beam", numBeams: 3 });
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
