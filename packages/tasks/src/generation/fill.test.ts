// The text-level API on small random models with real tokenizers: wrapping as the original,
// splicing fills back into the text, streaming deltas, batching, errors.
import { GLMModel, tf } from "@glmjs/core";
import { sharedPath } from "@glmjs/test-utils";
import { type GLMTokenizer, loadTokenizer, trainTokenizer } from "@glmjs/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scoreFills, scoreFillsIds } from "../scoring/score-fills.js";
import { topCandidates } from "../scoring/top-candidates.js";
import { fill, fillBatch, fillStream, generate } from "./fill.js";
import { infillIds } from "./infill.js";
import { spliceFills, tokenizerSpecialIds, wrapForGeneration } from "./wrap.js";
import { rejectedCode } from "@glmjs/test-utils/error-codes";

const CORPUS = [
  "Tsinghua University is located in Beijing. The cat sat on the mat.",
  "GLM fills blanks in text: it reads the context both ways and writes each blank left to right.",
  "A model with a small vocabulary still tokenizes every word of this sentence.",
];

function smallModel(vocab: number, seed = 3): GLMModel {
  return GLMModel.fromConfig({ num_layers: 1, hidden_size: 32, num_attention_heads: 2, max_sequence_length: 64, vocab_size: vocab }, { seed });
}

describe("wrapping and splicing", () => {
  let tok: GLMTokenizer;
  beforeAll(async () => {
    tok = await trainTokenizer(CORPUS, { type: "wordpiece", vocabSize: 50 });
  });

  it("wraps as the original: [CLS] + text + eos, no eos after a final [gMASK]", () => {
    const s = tok.special;
    const w = wrapForGeneration(tok, "The cat [MASK] on the mat.");
    expect(w.ids).toEqual([s.cls, ...tok.encode("The cat [MASK] on the mat."), s.eos]);
    expect(w.blanks).toEqual([{ start: 8, end: 14 }]);
    const g = wrapForGeneration(tok, "The cat sat [gMASK]");
    expect(g.ids.at(-1)).toBe(s.gMask);
    expect(g.ids[0]).toBe(s.cls);
    const two = wrapForGeneration(tok, "[sMASK] The cat [MASK].");
    expect(two.blanks.map((b) => b.start)).toEqual([0, 16]);
  });

  it("splices fills into the text; a fill with its own leading space takes the mask's", () => {
    expect(spliceFills("The [MASK] sat.", [{ start: 4, end: 10 }], ["cat"])).toBe("The cat sat.");
    expect(spliceFills("The [MASK] sat.", [{ start: 4, end: 10 }], [" cat"])).toBe("The cat sat.");
    expect(
      spliceFills(
        "[MASK] and [MASK]",
        [
          { start: 0, end: 6 },
          { start: 11, end: 17 },
        ],
        ["a", "b c"],
      ),
    ).toBe("a and b c");
  });
});

describe("fill, fillStream, fillBatch, generate, fill scores and candidates from text", () => {
  const tokenizers: [string, () => Promise<GLMTokenizer | undefined>][] = [
    ["trained WordPiece", () => trainTokenizer(CORPUS, { type: "wordpiece", vocabSize: 50 })],
    [
      "GPT-2 BPE (shared/vocab)",
      async () => {
        const v = sharedPath("vocab", "gpt2-vocab.json");
        return v ? loadTokenizer(v) : undefined;
      },
    ],
  ];
  describe.each(tokenizers)("with a %s tokenizer", (_name, make) => {
    let tok: GLMTokenizer | undefined;
    let model: GLMModel;
    beforeAll(async () => {
      tok = await make();
      if (tok) model = smallModel(tok.paddedVocabSize);
    });
    afterAll(() => model?.dispose());

    it("fill equals infillIds on the wrapped ids, with decoded blanks spliced into the text", async () => {
      if (!tok) return console.warn("SKIPPED: tokenizer files absent");
      const text = "Tsinghua University is located in [MASK]. The cat [MASK] on the mat.";
      const r = await fill(model, tok, text, { maxNewTokens: 4 });
      const ids = await infillIds(model, wrapForGeneration(tok, text).ids, { specialIds: tokenizerSpecialIds(tok), maxNewTokens: 4 });
      expect(r.ids).toEqual(ids.ids);
      expect(r.blanks.map((b) => b.ids)).toEqual(ids.spans.map((s) => s.ids));
      expect(r.blanks.map((b) => b.text)).toEqual(ids.spans.map((s) => tok!.decode(s.ids.filter((t) => tok!.idToToken(t) !== undefined))));
      expect(r.text).toBe(
        spliceFills(
          text,
          wrapForGeneration(tok, text).blanks,
          r.blanks.map((b) => b.text),
        ),
      );
      expect(r.text.startsWith("Tsinghua University is located in")).toBe(true);
      expect(r.text).not.toContain("[MASK]");
    });

    it("fillStream's deltas add up to each blank's text, and its result equals fill's", async () => {
      if (!tok) return;
      const text = "[MASK] is where the cat [MASK] on the mat.";
      const stream = fillStream(model, tok, text, { maxNewTokens: 5, strategy: "sample", seed: 4 });
      const byBlank = new Map<number, string>();
      for await (const e of stream) {
        if (e.type === "token") {
          byBlank.set(e.blank, (byBlank.get(e.blank) ?? "") + e.delta);
          expect(e.text.startsWith(byBlank.get(e.blank)!)).toBe(true);
        }
      }
      const result = await stream.result;
      expect(result).toEqual(await fill(model, tok, text, { maxNewTokens: 5, strategy: "sample", seed: 4 }));
      result.blanks.forEach((b, i) => expect(byBlank.get(i) ?? "").toBe(b.text));
    });

    it("fillBatch equals one fill per text; generate continues a prompt", async () => {
      if (!tok) return;
      const texts = ["The cat [MASK].", "A model with a [MASK] vocabulary still [MASK] every word.", "GLM fills [sMASK]"];
      const batch = await fillBatch(model, tok, texts, { maxNewTokens: 3 });
      for (const [i, t] of texts.entries()) {
        const one = await fill(model, tok, t, { maxNewTokens: 3 });
        expect(batch[i]!.ids).toEqual(one.ids);
        expect(batch[i]!.text).toBe(one.text);
      }
      const g = await generate(model, tok, "The cat sat on", { maxNewTokens: 4 });
      expect(g.text.startsWith("The cat sat on")).toBe(true);
      expect(g.blanks.length).toBe(1);
      expect(g.ids.includes(tok.special.eos)).toBe(false); // [gMASK] at the end: no eos
    });

    it("scores fills through the id-level function; candidates are sorted probabilities", async () => {
      if (!tok) return;
      const text = "The cat [MASK] on the mat.";
      const special = tokenizerSpecialIds(tok);
      const s = await scoreFills(model, tok, text, [" sat"]);
      expect(s).toEqual(await scoreFillsIds(model, wrapForGeneration(tok, text).ids, [tok.encode(" sat")], { specialIds: special }));
      const c = await topCandidates(model, tok, "The [MASK] sat on the [MASK].", 5);
      expect(c.length).toBe(2);
      for (const b of c) {
        expect(b.candidates.length).toBe(5);
        const probs = b.candidates.map((x) => x.probability);
        expect([...probs].sort((a, z) => z - a)).toEqual(probs);
        expect(probs.reduce((a, v) => a + v, 0)).toBeLessThanOrEqual(1 + 1e-6);
        for (const x of b.candidates) expect(typeof x.text).toBe("string");
      }
    });

    it("refuses a text without blanks and a tokenizer of another vocabulary", async () => {
      if (!tok) return;
      await expect(fill(model, tok, "no blank here")).rejects.toThrow(/no blank; put \[MASK\]/);
      expect(await rejectedCode(fill(model, tok, "no blank here"))).toBe("INPUT_INVALID");
      const other = smallModel(tok.paddedVocabSize + 128);
      try {
        await expect(fill(other, tok, "The [MASK].")).rejects.toThrow(/does not match the model's vocab_size/);
        expect(await rejectedCode(fill(other, tok, "The [MASK]."))).toBe("TOKENIZER_MISMATCH");
      } finally {
        other.dispose();
      }
      const before = tf.memory().numTensors;
      await fill(model, tok, "The [MASK].", { maxNewTokens: 2 });
      await topCandidates(model, tok, "The [MASK].", 3);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
