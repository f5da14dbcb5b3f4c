// The seq2seq layout against hand-worked examples (a toy word-level tokenizer keeps the ids
// readable), and the padding's invisibility in a batch.
import { GLMModel, tf, useBackend } from "@glmjs/core";
import { describe, expect, it } from "vitest";
import type { TaskTokenizer } from "../cloze/cloze-task.js";
import { buildSeq2seqBatch } from "./seq2seq-batch.js";
import { Seq2seqTask } from "./seq2seq-task.js";
import { thrownCode } from "@glmjs/test-utils/error-codes";
import { GlmjsError } from "@glmjs/common";
import { buildSamples } from "./seq2seq-source.js";

const WORDS: Record<string, number> = { "Content:": 10, the: 11, cat: 12, sat: 13, a: 14, "Question:": 20, "Answer:": 21 };
/** Ids: pad 0, eos 1, [CLS] 2, [MASK] 3, [sMASK] 4, [gMASK] 5, sop 6, eop 7; words from WORDS (spaces ignored). */
const toy: TaskTokenizer = {
  special: { pad: 0, eos: 1, cls: 2, mask: 3, sMask: 4, gMask: 5, sop: 6, eop: 7 },
  encode: (text) =>
    text
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => {
        const id = WORDS[w];
        if (id === undefined) throw new Error(`toy tokenizer: unknown word ${w}`);
        return id;
      }),
};

describe("seq2seq layout (hand-worked)", () => {
  it("summary: [CLS] [M] ' Content:' ' '+source, padded to sourceLength; Part B at the mask's position", () => {
    const task = new Seq2seqTask(toy, { format: "summary", sourceLength: 8, targetLength: 4 });
    const s = task.buildSample({ source: "the cat sat", target: "a cat" });
    expect(s.inputIds).toEqual([2, 3, 10, 11, 12, 13, 0, 0, 6, 14, 12]);
    expect(s.positionIds).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 1, 1, 1]);
    expect(s.blockPositionIds).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    expect(s.targets).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 14, 12, 7]);
    expect(s.lossMask).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(s.sep).toBe(8);
    expect(task.buildSeq2seqPrompt("the cat sat")).toEqual([2, 3, 10, 11, 12, 13, 0, 0]);
    // Source cut at the end, target cut to targetLength (eop lost, as in the original).
    const cut = new Seq2seqTask(toy, { format: "summary", sourceLength: 5, targetLength: 2, mask: "sMASK" }).buildSample({
      source: "the cat sat",
      target: "a cat",
    });
    expect(cut.inputIds).toEqual([2, 4, 10, 11, 12, 6, 14]);
    expect(cut.targets.slice(cut.sep)).toEqual([14, 12]);
    expect([cut.truncatedSource, cut.truncatedTarget]).toEqual([1, 1]);
  });

  it("custom: [CLS] source [M] [eos], the source cut at its start; unpadded when padSource is off", () => {
    const task = new Seq2seqTask(toy, { format: "custom", sourceLength: 5, targetLength: 8, padSource: false });
    const s = task.buildSample({ source: "the cat sat", target: "a cat" });
    expect(s.inputIds).toEqual([2, 12, 13, 3, 1, 6, 14, 12]);
    expect(s.positionIds).toEqual([0, 1, 2, 3, 4, 3, 3, 3]);
    expect(s.sep).toBe(5);
    expect(s.truncatedSource).toBe(1);
  });

  it("question generation: [CLS] source ' Question:' [M] ' Answer: '+answer, cut around the answer", () => {
    const task = new Seq2seqTask(toy, { format: "question-generation", sourceLength: 8, targetLength: 8 });
    expect(task.buildSeq2seqPrompt({ source: "the a the a cat sat", answer: "cat" })).toEqual([2, 11, 14, 12, 13, 3, 21, 12]);
    expect(task.buildSeq2seqPrompt({ source: "the cat" })).toEqual([2, 11, 12, 20, 3, 0, 0, 0]);
    expect(() => task.buildSample({ source: "the cat" })).toThrow(/needs a target/);
    expect(() => task.buildSample({ source: " ", target: "a" })).toThrow(/source is empty/);
    expect(thrownCode(() => task.buildSample({ source: "the cat" }))).toBe("EXAMPLE_INVALID");
    expect(thrownCode(() => task.buildSample({ source: " ", target: "a" }))).toBe("EXAMPLE_INVALID");
    expect(thrownCode(() => new Seq2seqTask(toy, { format: "poem" as never }))).toBe("OPTION_INVALID");
    // Naming the example keeps the code, and the original error as the cause.
    let wrapped: unknown;
    try {
      buildSamples(
        task,
        [
          { source: "the cat", target: "a" },
          { source: " ", target: "a" },
        ],
        "train",
      );
    } catch (e) {
      wrapped = e;
    }
    expect(GlmjsError.is(wrapped, "EXAMPLE_INVALID")).toBe(true);
    expect((wrapped as Error).message).toBe("train example 2: seq2seq example: the source is empty");
    expect(GlmjsError.is((wrapped as Error).cause, "EXAMPLE_INVALID")).toBe(true);
  });

  it("a row's loss is the same alone and in a right-padded batch", async () => {
    await useBackend("cpu");
    const model = GLMModel.fromConfig({ num_layers: 1, hidden_size: 16, num_attention_heads: 2, vocab_size: 32, max_sequence_length: 16 }, { seed: 3 });
    const task = new Seq2seqTask(toy, { format: "custom", sourceLength: 8, targetLength: 6, padSource: false });
    const a = task.buildSample({ source: "the cat sat", target: "a cat sat the" });
    const b = task.buildSample({ source: "a", target: "the" });
    const loss = (samples: (typeof a)[]) => tf.tidy(() => model.loss(buildSeq2seqBatch(samples, 0)).dataSync()[0]!);
    const batch = buildSeq2seqBatch([a, b], 0);
    expect(batch.seqLength).toBe(a.inputIds.length);
    const na = a.lossMask.filter(Boolean).length;
    const nb = b.lossMask.filter(Boolean).length;
    expect(loss([a, b])).toBeCloseTo((loss([a]) * na + loss([b]) * nb) / (na + nb), 5);
    model.dispose();
  });
});
