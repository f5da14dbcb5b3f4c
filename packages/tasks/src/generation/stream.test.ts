// Streaming (async iterator and callback) and cancellation.
import { type GLMModel, tf } from "@glmjs/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS, FIXTURE, type GenerateFixture, fixtureModel, fixtureSpecialIds, readFixtureJson } from "./fixture.test-helper.js";
import { infillBatchIds, infillIds, streamInfillIds } from "./infill.js";
import type { InfillEvent } from "./types.js";
import { eventStream } from "./stream.js";
import { rejectedCode } from "@glmjs/test-utils/error-codes";

const generate = readFixtureJson<GenerateFixture>("generate.json");

describe("eventStream", () => {
  it("lets the event loop run between events, so a timer (a click, a key) can abort a run whose steps never wait", async () => {
    const controller = new AbortController();
    // A run whose every step resolves at once, as decoding on wasm does: it checks the signal per event.
    async function* run(): AsyncGenerator<number, string> {
      for (let i = 0; i < 1000; i++) {
        if (controller.signal.aborted) throw controller.signal.reason;
        yield await Promise.resolve(i);
      }
      return "finished";
    }
    setTimeout(() => controller.abort(new Error("aborted by a timer")), 0);
    const stream = eventStream(run());
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const e of stream) seen.push(e);
      })(),
    ).rejects.toThrow("aborted by a timer");
    expect(seen.length).toBeLessThan(1000);
    await expect(stream.result).rejects.toThrow("aborted by a timer");
  });
});

describe.skipIf(!FIXTURE || !generate)("streaming and abort", () => {
  const specialIds = FIXTURE ? fixtureSpecialIds() : undefined!;
  const prompts = () => generate!.prompts.map((p) => p.context);

  describe.each(BACKENDS)("on %s", (backend) => {
    let model: GLMModel;
    beforeAll(async () => {
      model = await fixtureModel(backend);
    });
    afterAll(() => model?.dispose());

    it("streams every token and span, in order per row, matching the result; onToken sees the same", async () => {
      for (const strategy of ["greedy", "beam"] as const) {
        const seen: InfillEvent[] = [];
        const stream = streamInfillIds(model, prompts(), { specialIds, maxNewTokens: 8, strategy, onToken: (e) => seen.push(e) });
        const events: InfillEvent[] = [];
        for await (const e of stream) events.push(e);
        const result = await stream.result;
        expect(seen).toEqual(events);
        for (const [row, r] of result.entries()) {
          const mine = events.filter((e) => e.row === row);
          const tokens = r.spans.map((_, blank) =>
            mine.filter((e) => e.type === "token" && e.blank === blank).map((e) => (e.type === "token" ? e.tokenId : -1)),
          );
          expect(tokens).toEqual(r.spans.map((s) => s.ids));
          expect(mine.filter((e) => e.type === "span").map((e) => (e.type === "span" ? e.span : null))).toEqual(r.spans);
        }
        // The callback alone, without streaming, sees the same events.
        const viaCallback: InfillEvent[] = [];
        await infillBatchIds(model, prompts(), { specialIds, maxNewTokens: 8, strategy, onToken: (e) => viaCallback.push(e) });
        expect(viaCallback.map((e) => (e.type === "token" ? [e.row, e.blank, e.tokenId] : [e.row, e.blank]))).toEqual(
          events.map((e) => (e.type === "token" ? [e.row, e.blank, e.tokenId] : [e.row, e.blank])),
        );
      }
    });

    it("an AbortSignal stops a run: it rejects with the reason, frees its tensors, and later runs work", async () => {
      const before = tf.memory().numTensors;
      for (const strategy of ["greedy", "sample", "beam"] as const) {
        const controller = new AbortController();
        let tokens = 0;
        const run = infillIds(model, prompts()[1]!, {
          specialIds,
          maxNewTokens: 8,
          strategy,
          seed: 1,
          signal: controller.signal,
          onToken: (e) => {
            if (e.type === "token" && ++tokens === 2) controller.abort(new Error("enough"));
          },
        });
        await expect(run).rejects.toThrow("enough");
        // Beam search emits a blank's tokens when the blank is done: the abort takes effect before the next blank.
        if (strategy === "beam") expect(tokens).toBeGreaterThanOrEqual(2);
        else expect(tokens).toBe(2);
        expect(tf.memory().numTensors).toBe(before);
      }
      const already = new AbortController();
      already.abort();
      await expect(infillIds(model, prompts()[0]!, { specialIds, signal: already.signal })).rejects.toMatchObject({ name: "AbortError" });
      expect(tf.memory().numTensors).toBe(before);
      const after = await infillIds(model, prompts()[0]!, { specialIds, maxNewTokens: 8 });
      expect(after.ids).toEqual(generate!.prompts[0]!.final_tokens);
    });

    it("leaving a stream early stops the run and frees its tensors; result rejects with an AbortError", async () => {
      const before = tf.memory().numTensors;
      const stream = streamInfillIds(model, prompts(), { specialIds, maxNewTokens: 8 });
      let n = 0;
      for await (const e of stream) if (e.type === "token" && ++n === 3) break;
      // No signal fired, so no reason of its own: glmjs's AbortError, with a code.
      await expect(stream.result).rejects.toMatchObject({ name: "AbortError", code: "ABORTED" });
      expect(tf.memory().numTensors).toBe(before);
    });

    it("an abort during streaming ends the iteration with the reason", async () => {
      const controller = new AbortController();
      const stream = streamInfillIds(model, prompts(), { specialIds, maxNewTokens: 8, signal: controller.signal });
      const got: InfillEvent[] = [];
      await expect(
        (async () => {
          for await (const e of stream) {
            got.push(e);
            if (got.length === 2) controller.abort();
          }
        })(),
      ).rejects.toMatchObject({ name: "AbortError" });
      await expect(stream.result).rejects.toMatchObject({ name: "AbortError" });
    });
  });

  it("bad input fails with a clear message before any work", async () => {
    const model = await fixtureModel("cpu");
    try {
      const ctx = prompts()[0]!;
      const V = model.config.vocab_size;
      await expect(infillIds(model, ctx, {} as never)).rejects.toThrow(/specialIds is required/);
      await expect(infillIds(model, [...ctx, V], { specialIds })).rejects.toThrow(/context\[\d+\] = \d+ is not an id/);
      await expect(infillIds(model, ctx, { specialIds, strategy: "nucleus" as never })).rejects.toThrow(/strategy must be/);
      await expect(infillIds(model, ctx, { specialIds, maxNewTokens: model.config.max_sequence_length + 1 })).rejects.toThrow(/block positions/);
      await expect(infillIds(model, ctx, { specialIds, temperature: 0.5 })).rejects.toThrow(/temperature applies to strategy "sample"/);
      await expect(infillIds(model, ctx, { specialIds, minLength: 2, minNewTokens: 3 })).rejects.toThrow(/same setting/);
      await expect(infillIds(model, [], { specialIds })).rejects.toThrow(/empty/);
      await expect(infillIds(model, ctx, { specialIds: { ...specialIds, sop: undefined } as never })).rejects.toThrow(/specialIds.sop is missing/);
      expect(await rejectedCode(infillIds(model, ctx, {} as never))).toBe("OPTION_INVALID");
      expect(await rejectedCode(infillIds(model, [...ctx, V], { specialIds }))).toBe("INPUT_INVALID");
      expect(await rejectedCode(infillIds(model, ctx, { specialIds, temperature: 0.5 }))).toBe("OPTION_INVALID");
      expect(await rejectedCode(infillIds(model, ctx, { specialIds, maxNewTokens: model.config.max_sequence_length + 1 }))).toBe("SEQUENCE_TOO_LONG");
      expect(await rejectedCode(infillIds(model, ctx, { specialIds: { ...specialIds, sop: undefined } as never }))).toBe("SPECIAL_TOKEN_MISSING");
      // Ids a vocabulary lacks may be left out: here [sMASK] (the prompt's blanks are other mask kinds or stay unfilled).
      const { sMask: _s, ...withoutSMask } = specialIds;
      const r = await infillIds(model, ctx, { specialIds: withoutSMask as never, maxNewTokens: 2 });
      expect(r.spans.length).toBe(ctx.filter((t) => t === specialIds.mask || t === specialIds.gMask).length);
      const noBlank = ctx.filter((t) => ![specialIds.mask, specialIds.sMask, specialIds.gMask].includes(t));
      expect(await infillIds(model, noBlank, { specialIds })).toEqual({ ids: noBlank, spans: [] });
    } finally {
      model.dispose();
    }
  });
});
