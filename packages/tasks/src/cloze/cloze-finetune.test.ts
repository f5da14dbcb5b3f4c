// Fine-tuning through @glmjs/train's Trainer on wasm: the model really learns a separable task,
// resumes exactly, writes metrics rows, and leaks no tensors.
import "@glmjs/backend-wasm";
import { GLMModel, tf, useBackend } from "@glmjs/core";
import type { GLMTokenizer } from "@glmjs/tokenizer";
import { MemoryStorage, type TrainRow } from "@glmjs/train";
import { beforeAll, describe, expect, it } from "vitest";
import { syntheticConfig, syntheticSentiment, syntheticTokenizer } from "../test/synthetic-cloze.test-helper.js";
import { classifyCloze, evaluateCloze } from "./classify.js";
import { createClozeTrainer } from "./cloze-finetune.js";

const TASK = { pattern: "{sentence} It was [MASK].", verbalizer: "0=terrible,1=great", maxLength: 32 };

describe("cloze fine-tuning on wasm", () => {
  let tok: GLMTokenizer;
  beforeAll(async () => {
    await useBackend("wasm");
    tok = await syntheticTokenizer();
  });

  it("learns a separable task: train loss falls and held-out accuracy rises far above chance", async () => {
    const model = GLMModel.fromConfig(syntheticConfig(tok.paddedVocabSize), { seed: 6 });
    const heldOut = syntheticSentiment(128, 99);
    const storage = new MemoryStorage();
    const rows: TrainRow[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const f = createClozeTrainer({
      model,
      tokenizer: tok,
      task: TASK,
      train: syntheticSentiment(256, 6),
      evalSets: [{ name: "held", examples: heldOut }],
      storage,
      steps: 40,
      batchSize: 16,
      lr: 3e-3,
      evalEvery: 20,
      callbacks: { onStep: (r) => rows.push(r) },
    });
    expect(f.task.mode).toBe("single");
    expect(f.stepsPerEpoch).toBe(16);
    const before = await evaluateCloze(model, f.task, heldOut);
    const result = await f.trainer.run();
    f.trainer.dispose();
    expect(result.reason).toBe("completed");
    const after = await evaluateCloze(model, f.task, heldOut);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const mean = (r: TrainRow[]) => r.reduce((s, x) => s + x.loss, 0) / r.length;
    expect(mean(rows.slice(-5))).toBeLessThan(mean(rows.slice(0, 5)) - 0.3);
    expect(before.accuracy).toBeLessThan(0.65);
    expect(after.accuracy).toBeGreaterThan(0.85);
    expect(after.loss).toBeLessThan(before.loss);
    // Metrics rows: one per step (loss_tokens counts examples), and the held-out set's task score.
    const lines = (await storage.readText("metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.split === undefined)).toHaveLength(40);
    expect(lines[0].loss_tokens).toBe(16);
    const evals = lines.filter((l) => l.split === "held");
    expect(evals.map((e) => e.step)).toEqual([20, 40]);
    expect(evals[1].accuracy).toBeCloseTo(after.accuracy, 6);
    expect(evals[1].tokens).toBe(128);
    expect(await storage.readText("loss.svg")).toContain("<svg");
    // Zero-shot style prediction API on the trained model: probabilities over the labels.
    const predictions = await classifyCloze(model, f.task, heldOut.slice(0, 8));
    predictions.forEach((p, i) => {
      expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.label).toBe(f.task.labels[p.labelIndex]);
      expect(p.labelIndex).toBe(after.predictions[i]!.labelIndex);
    });
    model.dispose();
  });

  it("applies the config's dropout while training (seeded per step: two runs are identical), and not with dropout: false", async () => {
    const train = syntheticSentiment(32, 5);
    const losses = async (dropout: boolean) => {
      const model = GLMModel.fromConfig(
        { ...syntheticConfig(tok.paddedVocabSize), embedding_dropout_prob: 0.2, attention_dropout_prob: 0.2, output_dropout_prob: 0.2 },
        { seed: 4 },
      );
      const out: number[] = [];
      const f = createClozeTrainer({
        model,
        tokenizer: tok,
        task: TASK,
        train,
        storage: new MemoryStorage(),
        steps: 3,
        batchSize: 8,
        lr: 3e-3,
        evalEvery: 0,
        checkpointEvery: 0,
        dropout,
        callbacks: { onStep: (r) => out.push(r.loss) },
      });
      await f.trainer.run();
      f.trainer.dispose();
      model.dispose();
      return out;
    };
    const withDropout = await losses(true);
    expect(await losses(true)).toEqual(withDropout);
    const without = await losses(false);
    // Same weights, same first batch: only the dropout masks make the first loss differ.
    expect(withDropout[0]).not.toBe(without[0]);
  });

  // syntheticConfig keeps the config's default dropout (0.1), which cloze fine-tuning applies:
  // the masks are seeded per step, so this is exact resumption with dropout on.
  it("resumes exactly: stopped half-way and resumed, the losses and weights equal an uninterrupted run's bit for bit", async () => {
    const train = syntheticSentiment(64, 3);
    const common = { tokenizer: tok, task: TASK, train, steps: 8, batchSize: 12, lr: 3e-3, evalEvery: 0, checkpointEvery: 2 };
    const run = async (storage: MemoryStorage, stopAfter?: number, resume = false) => {
      const model = GLMModel.fromConfig(syntheticConfig(tok.paddedVocabSize), { seed: 4 });
      const losses: number[] = [];
      const f = createClozeTrainer({
        ...common,
        model,
        storage,
        callbacks: {
          onStep: (r) => {
            losses.push(r.loss);
            if (r.step === stopAfter) f.trainer.requestStop();
          },
        },
      });
      if (resume) expect(await f.trainer.resume()).toBe(4);
      const result = await f.trainer.run();
      f.trainer.dispose();
      const weights = [...model.namedVariables().values()].map((v) => Array.from(v.dataSync()));
      model.dispose();
      return { losses, result, weights };
    };
    const whole = await run(new MemoryStorage());
    const storage = new MemoryStorage();
    // 64 examples, batches of 12: the epoch boundary (6 batches, the last of 4) falls after the resume.
    const first = await run(storage, 4);
    expect(first.result.reason).toBe("interrupted");
    const second = await run(storage, undefined, true);
    expect(second.result.reason).toBe("completed");
    expect([...first.losses, ...second.losses]).toEqual(whole.losses);
    expect(second.weights).toEqual(whole.weights);
    const steps = (await storage.readText("metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
