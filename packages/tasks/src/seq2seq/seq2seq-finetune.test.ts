// Seq2seq fine-tuning through the Trainer on wasm: the target loss falls, held-out scores improve,
// resumption is exact with dropout on, nothing leaks.
import "@glmjs/backend-wasm";
import { GLMModel, tf, useBackend } from "@glmjs/core";
import type { GLMTokenizer } from "@glmjs/tokenizer";
import { MemoryStorage, type TrainRow } from "@glmjs/train";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticConfig, syntheticSentiment, syntheticTokenizer } from "../test/synthetic-cloze.test-helper.js";
import { evaluateSeq2seqBatches } from "./seq2seq-eval.js";
import { buildSeq2seqBatch } from "./seq2seq-batch.js";
import { createSeq2seqTrainer } from "./seq2seq-finetune.js";
import { buildSamples } from "./seq2seq-source.js";
import { Seq2seqTask } from "./seq2seq-task.js";

/** source = a synthetic sentence; target = "it was great ." or "it was terrible ." by its cue. */
const examples = (n: number, seed: number) =>
  syntheticSentiment(n, seed).map((e) => ({ source: e.sentence, target: `it was ${e.label === "1" ? "great" : "terrible"} .` }));
const TASK = { format: "custom" as const, sourceLength: 12, targetLength: 8 };

describe("seq2seq fine-tuning on wasm", () => {
  let tok: GLMTokenizer;
  beforeAll(async () => {
    await useBackend("wasm");
    tok = await syntheticTokenizer();
  });

  it("lowers the target loss and raises held-out token accuracy", async () => {
    const model = GLMModel.fromConfig(syntheticConfig(tok.paddedVocabSize), { seed: 5 });
    const heldOut = examples(48, 77);
    const task = new Seq2seqTask(tok, TASK);
    const heldBatches = [buildSeq2seqBatch(buildSamples(task, heldOut, "held"), tok.special.pad)];
    const before = await evaluateSeq2seqBatches(model, heldBatches);
    const rows: TrainRow[] = [];
    const storage = new MemoryStorage();
    const tensors = tf.memory().numTensors;
    const f = createSeq2seqTrainer({
      model,
      tokenizer: tok,
      task,
      train: examples(128, 5),
      evalSets: [{ name: "held", examples: heldOut, extra: async () => ({ answer_exact: 0.5 }) }],
      storage,
      steps: 30,
      batchSize: 8,
      lr: 3e-3,
      evalEvery: 30,
      callbacks: { onStep: (r) => rows.push(r) },
    });
    expect(f.stepsPerEpoch).toBe(16);
    await f.trainer.run();
    f.trainer.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    const after = await evaluateSeq2seqBatches(model, heldBatches);
    const mean = (r: TrainRow[]) => r.reduce((s, x) => s + x.loss, 0) / r.length;
    expect(mean(rows.slice(-5))).toBeLessThan(mean(rows.slice(0, 5)) - 1);
    expect(after.loss).toBeLessThan(before.loss - 1);
    expect(after.accuracy).toBeGreaterThan(before.accuracy + 0.3);
    expect(after.tokens).toBe(48 * 5); // " it was great/terrible ." + eop
    const evalRow = (await storage.readText("metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .find((l) => l.split === "held");
    expect(evalRow.loss).toBeCloseTo(after.loss, 5);
    expect(evalRow.metrics).toEqual({ answer_exact: 0.5 });
    model.dispose();
  });

  it("resumes exactly with dropout and label smoothing on", async () => {
    const run = async (storage: MemoryStorage, stopAfter?: number, resume = false) => {
      const model = GLMModel.fromConfig(syntheticConfig(tok.paddedVocabSize), { seed: 9 });
      const losses: number[] = [];
      const f = createSeq2seqTrainer({
        model,
        tokenizer: tok,
        task: TASK,
        train: examples(40, 9),
        storage,
        steps: 6,
        batchSize: 8,
        lr: 3e-3,
        evalEvery: 0,
        checkpointEvery: 3,
        callbacks: {
          onStep: (r) => {
            losses.push(r.loss);
            if (r.step === stopAfter) f.trainer.requestStop();
          },
        },
      });
      expect(f.trainer.options.lossOptions).toEqual({ labelSmoothing: 0.1, training: true });
      if (resume) expect(await f.trainer.resume()).toBe(3);
      await f.trainer.run();
      f.trainer.dispose();
      const weights = [...model.namedVariables().values()].map((v) => Array.from(v.dataSync()));
      model.dispose();
      return { losses, weights };
    };
    const whole = await run(new MemoryStorage());
    const storage = new MemoryStorage();
    const first = await run(storage, 3);
    const second = await run(storage, undefined, true);
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);
    expect(second.weights).toEqual(whole.weights);
  });
});
