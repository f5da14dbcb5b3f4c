// Sampling and the logits constraints, checked on the fixture model's real logits.
import { type GLMModel, tf, useBackend } from "@glmjs/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logSumExp } from "../decoding/log-softmax.js";
import { bannedNgramTokens } from "../decoding/no-repeat-ngram.js";
import { blankPositions } from "../decoding/special-ids.js";
import {
  BACKENDS,
  FIXTURE,
  type GenerateFixture,
  firstStepLogits,
  fixtureModel,
  fixtureSpecialIds,
  readFixtureJson,
  referenceGreedy,
} from "./fixture.test-helper.js";
import { infillBatchIds, infillIds } from "./infill.js";

const generate = readFixtureJson<GenerateFixture>("generate.json");

describe.skipIf(!FIXTURE || !generate)("sampling and constraints on real logits", () => {
  const specialIds = FIXTURE ? fixtureSpecialIds() : undefined!;
  const prompts = () => generate!.prompts.map((p) => p.context);

  describe.each(BACKENDS)("on %s", (backend) => {
    let model: GLMModel;
    beforeAll(async () => {
      model = await fixtureModel(backend);
    });
    afterAll(() => model?.dispose());

    it("the same seed gives the same tokens, other seeds other tokens", async () => {
      const opts = { specialIds, maxNewTokens: 8, strategy: "sample" as const };
      const a = await infillBatchIds(model, prompts(), { ...opts, seed: 11 });
      expect((await infillBatchIds(model, prompts(), { ...opts, seed: 11 })).map((r) => r.ids)).toEqual(a.map((r) => r.ids));
      const others = await Promise.all([12, 13, 14].map((seed) => infillBatchIds(model, prompts(), { ...opts, seed })));
      for (const o of others) expect(o.map((r) => r.ids)).not.toEqual(a.map((r) => r.ids));
    });

    it("top-k = 1 sampling is greedy decoding", async () => {
      const greedy = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 8 });
      const topOne = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 8, strategy: "sample", topK: 1, seed: 5 });
      expect(topOne.map((r) => r.ids)).toEqual(greedy.map((r) => r.ids));
    });

    it("top-k and top-p draw only from the allowed set of the real logits, and more than one member of it", async () => {
      const ctx = prompts()[0]!;
      const pos = blankPositions(ctx, specialIds)[0]!;
      const logits = firstStepLogits(model, ctx, pos, specialIds.sop);
      const order = Array.from(logits.keys()).sort((a, b) => logits[b]! - logits[a]!);
      const topFive = new Set(order.slice(0, 5));
      const lse = logSumExp(logits);
      const nucleus = new Set<number>();
      let cumulative = 0;
      for (const id of order) {
        if (cumulative > 0.5) break;
        nucleus.add(id);
        cumulative += Math.exp(logits[id]! - lse);
      }
      expect(nucleus.size).toBeGreaterThan(1);
      // 24 draws in one batch: 24 copies of the context, one seed each.
      const first = async (extra: object) => {
        const rows = await infillBatchIds(
          model,
          Array.from({ length: 24 }, () => ctx),
          { specialIds, maxNewTokens: 1, stopIds: [], strategy: "sample", seed: 0, ...extra },
        );
        return new Set(rows.map((r) => r.spans[0]!.ids[0]!));
      };
      const k = await first({ topK: 5, temperature: 3 });
      for (const id of k) expect(topFive.has(id)).toBe(true);
      expect(k.size).toBeGreaterThan(1);
      const p = await first({ topP: 0.5 });
      for (const id of p) expect(nucleus.has(id)).toBe(true);
      expect(p.size).toBeGreaterThan(1);
      // Without a filter the same seeds reach outside the top five.
      const free = await first({ temperature: 3 });
      expect([...free].some((id) => !topFive.has(id))).toBe(true);
    });

    it("no-repeat-n-gram: no span repeats a bigram, where plain greedy does", async () => {
      const plain = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 8 });
      const repeats = (ids: number[]) => ids.some((_, i) => i >= 2 && bannedNgramTokens(ids.slice(0, i), 2).includes(ids[i]!));
      expect(plain.some((r) => r.spans.some((s) => repeats(s.ids)))).toBe(true);
      for (const strategy of ["greedy", "sample"] as const) {
        const fixed = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 8, noRepeatNgramSize: 2, strategy, seed: 3 });
        for (const r of fixed) for (const s of r.spans) expect(repeats(s.ids)).toBe(false);
      }
    });

    it("min new tokens: a span that stopped on eop runs on; stop ids are never chosen early", async () => {
      const plain = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 8 });
      const stopped = plain.flatMap((r) => r.spans).filter((s) => s.stoppedOn !== null);
      expect(stopped.length).toBeGreaterThan(0);
      const min = Math.max(...stopped.map((s) => s.ids.length)) + 1;
      const longer = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 8, minNewTokens: min });
      for (const s of longer.flatMap((r) => r.spans)) expect(s.ids.length).toBeGreaterThanOrEqual(min);
    });

    it("repetition penalty: greedy equals argmax of the penalised logits, and changes repetitive spans", async () => {
      const penalty = 1.8;
      const special = new Set(Object.values(specialIds));
      for (const ctx of prompts()) {
        const blanks = blankPositions(ctx, specialIds);
        // The reference penalises the context and the current span: all there is on a single-blank prompt.
        if (blanks.length !== 1) continue;
        const ours = await infillIds(model, ctx, { specialIds, maxNewTokens: 6, repetitionPenalty: penalty });
        const reference = referenceGreedy(model, ctx, specialIds.sop, blanks, [specialIds.eop, specialIds.eos], 6, {
          process: (logits, span) => {
            const seen = new Set([...ctx, ...span].filter((t) => !special.has(t)));
            for (const id of seen) logits[id] = logits[id]! < 0 ? logits[id]! * penalty : logits[id]! / penalty;
          },
        });
        expect(ours.ids).toEqual(reference);
      }
      const plain = await infillIds(model, prompts()[0]!, { specialIds, maxNewTokens: 6 });
      const penalised = await infillIds(model, prompts()[0]!, { specialIds, maxNewTokens: 6, repetitionPenalty: penalty });
      const distinct = (ids: number[]) => new Set(ids).size;
      expect(distinct(penalised.spans[0]!.ids)).toBeGreaterThan(distinct(plain.spans[0]!.ids));
    });

    it("span scores are log-probabilities: greedy spans score above sampled ones on average and every score is ≤ 0", async () => {
      const greedy = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 6 });
      const sampled = await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 6, strategy: "sample", seed: 9, temperature: 2 });
      const total = (rs: typeof greedy) => rs.flatMap((r) => r.spans).reduce((s, x) => s + x.score, 0);
      for (const s of [...greedy, ...sampled].flatMap((r) => r.spans)) expect(s.score).toBeLessThanOrEqual(0);
      expect(total(greedy)).toBeGreaterThan(total(sampled));
    });
  });

  it("seeded sampling gives the same tokens on cpu and wasm", async () => {
    const opts = { specialIds, maxNewTokens: 8, strategy: "sample" as const, seed: 21, topP: 0.9 };
    const runOn = async (backend: string) => {
      const model = await fixtureModel(backend);
      try {
        expect(tf.getBackend()).toBe(backend);
        return (await infillBatchIds(model, prompts(), opts)).map((r) => r.ids);
      } finally {
        model.dispose();
      }
    };
    const cpu = await runOn("cpu");
    expect(await runOn("wasm")).toEqual(cpu);
    await useBackend("cpu");
  });
});
