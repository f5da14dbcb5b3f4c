// evaluatePerplexity with the glm-tiny-a fixture model: the summed NLL equals the log-softmax of
// core's full forward logits at the scored positions (an independent path), every token but the
// first is scored once, and the two perplexities follow from the counts.
import { type GLMModel, loadModel, tf, useBackend } from "@glmjs/core";
import { fixtureDir } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluatePerplexity } from "./evaluate-perplexity.js";
import type { LmRow, LmTokenizer } from "./lm-row.js";
import { perplexityWindow, windowCount } from "./perplexity-windows.js";

const dir = fixtureDir("GLMJS_MODEL_FIXTURE", "fixtures", "glm-tiny-a");
const SPECIAL = { cls: 1, eos: 0, sop: 3, mask: 2, gMask: 4 };

/** Each whitespace-separated word "w<k>" is token k; anything else is token 9. */
const tokenizer: LmTokenizer = {
  encode: (text) =>
    text
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => (/^w\d+$/.test(w) ? Number(w.slice(1)) : 9)),
  special: SPECIAL,
};

/** −log softmax(logits)[target] summed over a row's scored positions, from model.forward's full logits. */
async function forwardNll(model: GLMModel, r: LmRow): Promise<number> {
  const { logits } = model.forward({ inputIds: [r.inputIds], positionIds: [r.positionIds], blockPositionIds: [r.blockPositionIds], sep: [r.sep] });
  const logp = tf.logSoftmax(logits, -1);
  const values = (await logp.array()) as number[][][];
  tf.dispose([logits, logp]);
  return r.lossMask.reduce((s, m, t) => s - (m ? values[0][t][r.targets[t]] : 0), 0);
}

describe.skipIf(!dir)("evaluatePerplexity", () => {
  let model: GLMModel;
  beforeAll(async () => {
    await useBackend("cpu");
    model = await loadModel(dir as string);
  });
  afterAll(() => model?.dispose());

  const text = Array.from({ length: 45 }, (_, i) => `w${20 + ((i * 7) % 50)}`).join(" ");

  for (const mode of ["bidirectional", "unidirectional"] as const) {
    it(`sums the NLL of every token after the first once (${mode})`, async () => {
      const options = { seqLength: 12, stride: 4, mode, detokenize: "none" as const };
      const before = tf.memory().numTensors;
      const progress: number[] = [];
      const r = await evaluatePerplexity(model, tokenizer, text, { ...options, batchSize: 3, onProgress: (p) => progress.push(p.done) });
      expect(tf.memory().numTensors).toBe(before);
      expect(progress).toEqual([0, 3, 6, 9, 10]);
      // 45 tokens, windows of 11 every 4: ceil((45 − 11) / 4) + 1 = 10.
      expect([r.tokens, r.scoredTokens, r.windows, r.originalWords]).toEqual([45, 44, 10, 45]);
      const ids = tokenizer.encode(text);
      let want = 0;
      for (let w = 0; w < windowCount(ids.length, options); w++)
        want += await forwardNll(model, perplexityWindow(ids, w, { ...SPECIAL, mask: SPECIAL.gMask }, options));
      expect(r.sumNll).toBeCloseTo(want, 3);
      expect(r.perplexity).toBeCloseTo(Math.exp(want / 44), 2);
      expect(r.adjustedPerplexity).toBeCloseTo(Math.exp(want / 44), 2);
    });
  }

  it("detokenises WikiText and counts the original space-separated words for the adjusted perplexity", async () => {
    // 10 space-separated words in the file (w20 w21 @-@ w22 w23 , w24 w25 w26 w27); detokenised,
    // " @-@ " joins and the space before "," goes: w20 w21-w22 w23, w24 w25 w26 w27 = 7 tokens.
    const raw = " w20 w21 @-@ w22 w23 , w24 w25 w26 w27 \n";
    const r = await evaluatePerplexity(model, tokenizer, raw, { seqLength: 8, stride: 2 });
    expect(r.originalWords).toBe(10);
    expect(r.tokens).toBe(7);
    expect(r.adjustedPerplexity).toBeCloseTo(Math.exp(r.sumNll / 9), 6);
    expect(r.perplexity).toBeCloseTo(Math.exp(r.sumNll / 6), 6);
    // The default stride for a short window is a quarter of it.
    expect((await evaluatePerplexity(model, tokenizer, text, { seqLength: 17 })).stride).toBe(4);
    await expect(evaluatePerplexity(model, tokenizer, "w5", {})).rejects.toThrow(/at least 2 are needed/);
  });
});
