// evaluateLambada with the glm-tiny-a fixture model and a hand-made word → ids tokenizer: the
// accuracy decision looks at every answer position (cases built from the model's own argmax),
// batching changes nothing, tensors are freed; on cpu and wasm.
import "@glmjs/backend-wasm";
import { type GLMModel, loadModel, tf, useBackend } from "@glmjs/core";
import { fixtureDir } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateLambada, type LambadaResult } from "./evaluate-lambada.js";
import { lambadaRow } from "./lambada.js";
import type { LmTokenizer } from "./lm-row.js";
import { scoreRows } from "./score-rows.js";

const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");
// Small ids are inside any fixture's vocabulary; the case is built from the model's own predictions.
const SPECIAL = { cls: 1, eos: 0, sop: 3, mask: 2, gMask: 4 };

/** "w17" → [17]; a word listed in `words` → its ids. */
function wordTokenizer(words: Record<string, number[]> = {}): LmTokenizer {
  return {
    encode: (text) =>
      text
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .flatMap((w) => words[w] ?? [Number(w.slice(1))]),
    special: SPECIAL,
  };
}

const CONTEXT = "w10 w11 w12 w13 w14";
/** Per-passage results of the first backend, which the next one must reproduce. */
const reference: { backend?: string; nll?: number[]; predicted?: number[][] } = {};
const M = { ...SPECIAL, mask: SPECIAL.gMask };

for (const backend of ["cpu", "wasm"]) {
  describe.skipIf(!dir)(`evaluateLambada on ${backend}`, () => {
    let model: GLMModel;
    beforeAll(async () => {
      await useBackend(backend);
      model = await loadModel(dir as string);
    });
    afterAll(() => model?.dispose());

    /** Argmax at the two answer positions of CONTEXT + [a0, a1] (the second depends on a0 only, the first on neither). */
    async function argmaxes(a0: number, a1: number): Promise<number[]> {
      const ctx = CONTEXT.split(" ").map((w) => Number(w.slice(1)));
      const [s] = await scoreRows(model, [lambadaRow(ctx, [a0, a1], M, { seqLength: 64 }).row]);
      return s.argmax;
    }

    it("counts a passage only when the argmax is right at every answer position", async () => {
      const [g0] = await argmaxes(5, 5);
      const [, g1] = await argmaxes(g0, 5);
      const other = (t: number) => (t === 7 ? 8 : 7);
      const [, h1] = await argmaxes(other(g0), 5);
      const cases: [string, number[], boolean][] = [
        ["both right", [g0, g1], true],
        ["first right, second wrong", [g0, other(g1)], false],
        ["first wrong, second right", [other(g0), h1], false],
      ];
      for (const [name, answer, correct] of cases) {
        const r = await evaluateLambada(model, wordTokenizer({ ans: answer }), [`${CONTEXT} ans`], { returnPassages: true });
        expect(r.correct, name).toBe(correct ? 1 : 0);
        expect(r.passages?.[0].answerIds, name).toEqual(answer);
        // Teacher-forced: position 0 predicts g0 whatever the answer; position 1 sees the true first answer token.
        expect(r.passages?.[0].predictedIds, name).toEqual([g0, answer[0] === g0 ? g1 : h1]);
      }
    });

    it("gives the same result in any batch size and on every backend, reports progress, honours limit, frees its tensors", async () => {
      const passages = [
        `${CONTEXT} w30`,
        "w40 w41 w42 w43 w44 w45 w46 w47 w48 w49 w50 w51 w52 w53 w54 w55 w56 w57 w58 w59 w60",
        "w61 w62",
        `w70 w71 w72 ${CONTEXT} ans`,
        "w80 w81 w82 w83 w84 w85 w86 w87",
      ];
      const tok = wordTokenizer({ ans: [90, 91, 92] });
      const one = await evaluateLambada(model, tok, passages, { batchSize: 1, returnPassages: true });
      const progress: number[] = [];
      const before = tf.memory().numTensors;
      const three = await evaluateLambada(model, tok, passages, { batchSize: 3, returnPassages: true, onProgress: (p) => progress.push(p.done) });
      expect(tf.memory().numTensors).toBe(before);
      expect(progress).toEqual([0, 3, 5]);
      expect(three.count).toBe(5);
      expect(three.answerTokens).toBe(1 + 1 + 1 + 3 + 1);
      expect(three.correct).toBe(one.correct);
      three.passages?.forEach((p, i) => {
        expect(p.predictedIds).toEqual(one.passages?.[i].predictedIds);
        expect(p.nll).toBeCloseTo(one.passages?.[i].nll as number, 4);
      });
      expect(three.meanAnswerNll).toBeCloseTo(three.passages!.reduce((s, p) => s + p.nll, 0) / 7, 6);
      expect(three.answerPerplexity).toBeCloseTo(Math.exp(three.meanAnswerNll), 6);
      const nll = three.passages!.map((p) => p.nll);
      const predicted = three.passages!.map((p) => p.predictedIds);
      if (!reference.backend) Object.assign(reference, { backend, nll, predicted });
      else {
        expect(predicted, `same predictions as ${reference.backend}`).toEqual(reference.predicted);
        nll.forEach((v, i) => expect(Math.abs(v - reference.nll![i]), `passage ${i} NLL vs ${reference.backend}`).toBeLessThan(1e-4));
      }
      const limited = await evaluateLambada(model, tok, passages, { limit: 2 });
      expect(limited.count).toBe(2);
    });

    it("truncates long passages to seqLength and runs the unidirectional layout", async () => {
      const long = Array.from({ length: 40 }, (_, i) => `w${100 + i}`).join(" ");
      const r = await evaluateLambada(model, wordTokenizer(), [long], { seqLength: 16, returnPassages: true });
      // 39 context tokens + 1 answer + 3 = 43 positions for 16: 27 dropped.
      expect(r.passages?.[0].truncatedTokens).toBe(27);
      expect(r.truncatedPassages).toBe(1);
      const uni: LambadaResult = await evaluateLambada(model, wordTokenizer({ ans: [90, 91] }), [`${CONTEXT} ans`], { mode: "unidirectional" });
      expect(uni.answerTokens).toBe(2);
      expect(Number.isFinite(uni.meanAnswerNll)).toBe(true);
    });

    it("stops when aborted and explains bad input", async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(evaluateLambada(model, wordTokenizer(), [`${CONTEXT} w3`], { signal: controller.signal })).rejects.toThrow(/abort/i);
      await expect(evaluateLambada(model, wordTokenizer(), [])).rejects.toThrow(/no passages/);
      const beyond = model.config.vocab_size + 5;
      await expect(evaluateLambada(model, wordTokenizer(), [`w1 w${beyond}`])).rejects.toThrow(
        new RegExp(`target ${beyond} .* outside the model's vocabulary`),
      );
    });
  });
}
