// generateSeq2seq: each output is the infilling of the example's Part A (as fine-tuning builds
// it), decoded; batching changes nothing; the target length caps the output.
import "@glmjs/backend-wasm";
import { GLMModel, tf, useBackend } from "@glmjs/core";
import type { GLMTokenizer } from "@glmjs/tokenizer";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticConfig, syntheticSentiment, syntheticTokenizer } from "../test/synthetic-cloze.test-helper.js";
import { infillIds } from "../generation/infill.js";
import { decodeSafely } from "../generation/wrap.js";
import { generateSeq2seq } from "./seq2seq-generate.js";
import { Seq2seqTask } from "./seq2seq-task.js";

describe("generateSeq2seq on wasm", () => {
  let tok: GLMTokenizer;
  beforeAll(async () => {
    await useBackend("wasm");
    tok = await syntheticTokenizer();
  });

  it("decodes infillIds of each example's Part A, the same in any batch, capped at the target length", async () => {
    const model = GLMModel.fromConfig(syntheticConfig(tok.paddedVocabSize), { seed: 3 });
    const task = new Seq2seqTask(tok, { format: "custom", sourceLength: 12, targetLength: 5 });
    const examples = syntheticSentiment(5, 8).map((e) => ({ source: e.sentence }));
    const expected: string[] = [];
    for (const e of examples) {
      const r = await infillIds(model, task.buildSeq2seqPrompt(e), { specialIds: task.special, maxNewTokens: 5 });
      expect(r.spans[0]!.ids.length).toBeLessThanOrEqual(5);
      expected.push(decodeSafely(tok, r.spans[0]!.ids).trim());
    }
    // A random model rarely stops early: the outputs are not empty, so the comparison means something.
    expect(expected.filter((t) => t.length > 0).length).toBeGreaterThan(2);
    const tensors = tf.memory().numTensors;
    const progress: number[] = [];
    expect(await generateSeq2seq(model, tok, task, examples, { batchSize: 2, onProgress: (done) => progress.push(done) })).toEqual(expected);
    expect(progress).toEqual([2, 4, 5]);
    expect(await generateSeq2seq(model, tok, task, examples, { batchSize: 5 })).toEqual(expected);
    expect(tf.memory().numTensors).toBe(tensors);
    // Beam search runs too (one example at a time) and respects the cap.
    const beams = await generateSeq2seq(model, tok, task, examples.slice(0, 2), { strategy: "beam", numBeams: 3 });
    expect(beams).toHaveLength(2);
    for (const b of beams) expect(tok.encode(b).length).toBeLessThanOrEqual(5);
    model.dispose();
  });
});
