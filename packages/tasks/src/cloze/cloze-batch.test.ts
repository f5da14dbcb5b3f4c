// The batched training/evaluation path agrees with the ids-level API, and the batch layout.
import { GLMModel, tf, useBackend } from "@glmjs/core";
import type { GLMTokenizer } from "@glmjs/tokenizer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticConfig, syntheticSentiment, syntheticTokenizer } from "../test/synthetic-cloze.test-helper.js";
import { buildClozeBatch } from "./cloze-batch.js";
import { clozeLogits, clozeLoss } from "./cloze-head.js";
import { ClozeTrainableModel } from "./cloze-model.js";
import { clozeScoresIds, singleTokenLogitsIds } from "./cloze-scores.js";
import { ClozeTask } from "./cloze-task.js";

function arrayOf(t: tf.Tensor2D): number[][] {
  const out = t.arraySync();
  t.dispose();
  return out;
}

describe("cloze batches", () => {
  let tok: GLMTokenizer;
  let model: GLMModel;
  beforeAll(async () => {
    await useBackend("cpu");
    tok = await syntheticTokenizer();
    model = GLMModel.fromConfig(syntheticConfig(tok.paddedVocabSize), { seed: 2 });
  });
  afterAll(() => model.dispose());

  const examples = syntheticSentiment(5, 7);
  const contextOf = (task: ClozeTask, ex: { sentence: string }) => {
    const row = task.encode({ sentence: ex.sentence }).rows[0]!;
    return row.ids.slice(1, row.sep - 1); // without [CLS] and eos
  };

  it("single-token head: batched logits equal singleTokenLogitsIds; lossMask marks one position per example", async () => {
    const task = new ClozeTask(tok, { pattern: "{sentence} It was [MASK].", verbalizer: "0=terrible,1=great" });
    const batch = buildClozeBatch(
      task,
      examples.map((e) => task.encode(e)),
    );
    expect(batch.batchSize).toBe(5);
    expect(Array.from(batch.labels)).toEqual(examples.map((e) => Number(e.label)));
    for (let i = 0; i < 5; i++) {
      const mask = Array.from(batch.lossMask.subarray(i * batch.seqLength, (i + 1) * batch.seqLength));
      expect(mask.reduce((a, b) => a + b, 0)).toBe(1);
      expect(mask.indexOf(1)).toBe(batch.sep[i]);
      expect(batch.inputIds[i * batch.seqLength + batch.sep[i]!]).toBe(tok.special.sop);
    }
    const logits = arrayOf(tf.tidy(() => clozeLogits(model, batch)));
    for (let i = 0; i < 5; i++) {
      const ref = await singleTokenLogitsIds(
        model,
        contextOf(task, examples[i]!),
        task.answerIds.map((a) => a[0]!),
        { specialIds: tok.special },
      );
      logits[i]!.forEach((v, c) => expect(v).toBeCloseTo(ref.logits[c]!, 5));
    }
  });

  it("multi-token answers: batched scores equal clozeScoresIds (length penalty too), rows example-major", async () => {
    const task = new ClozeTask(tok, { pattern: "{sentence} It was [MASK].", verbalizer: "0=rather dreadful,1=great", lengthPenalty: 1 });
    expect(task.mode).toBe("multi");
    const batch = buildClozeBatch(
      task,
      examples.map((e) => task.encode(e)),
    );
    expect(batch.batchSize).toBe(10);
    expect(batch.examples).toBe(5);
    // One loss position per example, in the gold label's row.
    for (let i = 0; i < 5; i++) {
      for (let c = 0; c < 2; c++) {
        const row = i * 2 + c;
        const n = batch.lossMask.subarray(row * batch.seqLength, (row + 1) * batch.seqLength).reduce((a, b) => a + b, 0);
        expect(n).toBe(c === Number(examples[i]!.label) ? 1 : 0);
      }
    }
    const scores = arrayOf(tf.tidy(() => clozeLogits(model, batch)));
    for (let i = 0; i < 5; i++) {
      const ref = await clozeScoresIds(model, contextOf(task, examples[i]!), task.answerIds, { specialIds: tok.special, lengthPenalty: 1 });
      scores[i]!.forEach((v, c) => expect(v).toBeCloseTo(ref[c]!, 5));
    }
  });

  it("the loss is the mean cross-entropy over the label scores, with gradients, and leaks nothing", () => {
    const task = new ClozeTask(tok, { pattern: "{sentence} It was [MASK].", verbalizer: "0=terrible,1=great" });
    const batch = buildClozeBatch(
      task,
      examples.map((e) => task.encode(e)),
    );
    const trainable = new ClozeTrainableModel(model);
    const before = tf.memory().numTensors;
    const logitsTensor = tf.tidy(() => clozeLogits(model, batch));
    const logits = logitsTensor.arraySync() as number[][];
    logitsTensor.dispose();
    const expected = logits.reduce((s, row, i) => s + Math.log(Math.exp(row[0]!) + Math.exp(row[1]!)) - row[batch.labels[i]!]!, 0) / logits.length;
    const { value, grads } = tf.variableGrads(() => trainable.loss(batch), [...model.namedVariables().values()]);
    expect(value.dataSync()[0]).toBeCloseTo(expected, 5);
    expect(Object.keys(grads)).toHaveLength(model.namedVariables().size);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => trainable.loss({ ...batch, kind: undefined } as never)).toThrow(/expected a ClozeBatch/);
    const unlabeled = buildClozeBatch(
      task,
      examples.map((e) => task.encode({ sentence: e.sentence })),
    );
    expect(() => tf.tidy(() => clozeLoss(model, unlabeled))).toThrow(/no labelled example/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
