// End to end on real data: 20 LAMBADA passages and a WikiText-2 excerpt, BERT WordPiece
// tokenizer, a tiny randomly initialised GLM. A random model is right on almost no passage and its
// perplexity is about the vocabulary size (its logits are nearly flat).
import { readFile } from "node:fs/promises";
import { GLMModel, useBackend } from "@glmjs/core";
import { loadTokenizer, type GLMTokenizer } from "@glmjs/tokenizer";
import { sharedPath } from "@glmjs/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readLambada } from "./read-lambada.js";
import { evaluateLambada } from "./evaluate-lambada.js";
import { evaluatePerplexity } from "./evaluate-perplexity.js";
import { lambadaIds, lambadaRow } from "./lambada.js";
import { lmSpecialIds } from "./lm-row.js";
import { windowCount } from "./perplexity-windows.js";

const vocab = sharedPath("vocab", "bert-base-uncased-vocab.txt");
const lambada = sharedPath("data", "lambada", "lambada_development_plain_text.txt");
const wikitext = sharedPath("data", "wikitext2", "valid.txt");
const SEQ = 128;

describe.skipIf(!vocab || !lambada)("real data with a random tiny GLM", () => {
  let tokenizer: GLMTokenizer;
  let model: GLMModel;
  beforeAll(async () => {
    await useBackend("cpu");
    tokenizer = await loadTokenizer(vocab as string);
    model = GLMModel.fromConfig(
      { num_layers: 2, vocab_size: tokenizer.paddedVocabSize, hidden_size: 32, num_attention_heads: 2, max_sequence_length: SEQ },
      { seed: 3 },
    );
  });
  afterAll(() => model?.dispose());

  it("LAMBADA: 20 passages end to end", async () => {
    const passages = await readLambada(lambada as string);
    expect(passages.length).toBe(4869);
    const special = lmSpecialIds(tokenizer);
    // The rows: |context| + |answer| + 3 positions (or seqLength when truncated), answer scored in Part B.
    for (const p of passages.slice(0, 20)) {
      const { contextIds, answerIds } = lambadaIds(tokenizer, p);
      const { row, truncated } = lambadaRow(contextIds, answerIds, special, { seqLength: SEQ });
      expect(row.inputIds.length).toBe(Math.min(contextIds.length + answerIds.length + 3, SEQ));
      expect(row.sep).toBe(contextIds.length - truncated + 3);
      expect(row.lossMask.filter(Boolean).length).toBe(answerIds.length);
      expect(row.targets.slice(row.sep)).toEqual(answerIds);
    }
    const progress: number[] = [];
    const r = await evaluateLambada(model, tokenizer, passages, { limit: 20, seqLength: SEQ, onProgress: (p) => progress.push(p.done) });
    expect(r.count).toBe(20);
    expect(progress.at(-1)).toBe(20);
    expect(r.answerTokens).toBeGreaterThanOrEqual(20);
    expect(r.accuracy).toBeLessThanOrEqual(0.1);
    const v = tokenizer.paddedVocabSize;
    expect(Number.isFinite(r.answerPerplexity)).toBe(true);
    expect(r.answerPerplexity).toBeGreaterThan(v / 2);
    expect(r.answerPerplexity).toBeLessThan(2 * v);
  });

  it.skipIf(!wikitext)("WikiText-2: perplexity of an excerpt in sliding windows", async () => {
    const text = (await readFile(wikitext as string, "utf8")).slice(0, 1500);
    const r = await evaluatePerplexity(model, tokenizer, text, { seqLength: SEQ, stride: 64 });
    expect(r.windows).toBe(windowCount(r.tokens, { seqLength: SEQ, stride: 64 }));
    expect(r.windows).toBeGreaterThan(2);
    expect(r.scoredTokens).toBe(r.tokens - 1);
    const v = tokenizer.paddedVocabSize;
    expect(r.perplexity).toBeGreaterThan(v / 2);
    expect(r.perplexity).toBeLessThan(2 * v);
    expect(r.adjustedPerplexity).toBeCloseTo(Math.exp(r.sumNll / (r.originalWords - 1)), 3);
  });
});
