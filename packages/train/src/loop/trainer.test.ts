import { describe, expect, it } from "vitest";
import { GLMModel, tf } from "@glmjs/core";
import type { GLMBatch } from "@glmjs/data";
import { MemoryStorage, type TrainStorage } from "../storage/train-storage.js";
import { GLM_ADAMW } from "../optimizer/adamw.js";
import { evaluate } from "./evaluate.js";
import type { TrainRow } from "../metrics/metrics-log.js";
import { Trainer } from "./trainer.js";
import { DEFAULT_TRAINER_OPTIONS, type TrainerOptions } from "./trainer-options.js";
import { lossTokens, type BatchSource } from "./batch-source.js";
import type { TrainableModel } from "./trainable-model.js";
import { SyntheticSource, TINY, concatBatches, syntheticBatch } from "./synthetic.test-helper.js";

function options(overrides: Partial<TrainerOptions> = {}): TrainerOptions {
  const steps = overrides.steps ?? 6;
  return {
    ...DEFAULT_TRAINER_OPTIONS,
    steps,
    optimizer: GLM_ADAMW,
    schedule: { peakLr: 3e-3, decaySteps: steps, warmupFraction: 0.2, style: "cosine", decayRatio: 0.1 },
    evalEvery: 0,
    checkpointEvery: 0,
    plotEvery: 1000,
    ...overrides,
  };
}

async function train(model: TrainableModel, source: BatchSource, storage: TrainStorage, o: TrainerOptions, resume = false) {
  const rows: TrainRow[] = [];
  const trainer = new Trainer(model, source, [{ name: "valid", batches: [syntheticBatch(99, 0, 4)] }], storage, o, { onStep: (r) => rows.push(r) });
  if (resume) await trainer.resume();
  const result = await trainer.run();
  trainer.dispose();
  return { rows, result, trainer };
}

const snapshot = (model: GLMModel) => new Map([...model.namedVariables()].map(([n, v]) => [n, Float32Array.from(v.dataSync())]));

describe("Trainer", () => {
  it("lowers the loss on a learnable pattern and logs metrics rows, evaluations, checkpoints and the plot", async () => {
    const model = GLMModel.fromConfig(TINY, { seed: 1 });
    const storage = new MemoryStorage();
    const o = options({ steps: 30, evalEvery: 15, checkpointEvery: 10, plotEvery: 10 });
    const { rows, result } = await train(model, new SyntheticSource(1, 2), storage, { ...o, schedule: { ...o.schedule, peakLr: 1e-2 } });
    expect(result.reason).toBe("completed");
    expect(result.step).toBe(30);
    const first = rows.slice(0, 3).reduce((s, r) => s + r.loss, 0) / 3;
    const last = rows.slice(-3).reduce((s, r) => s + r.loss, 0) / 3;
    // ln(96) ≈ 4.56 at the start; 30 steps learn at least the frequent targets (eop).
    expect(last).toBeLessThan(first - 0.2);
    const lines = (await storage.readText("metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const evals = lines.filter((l) => l.split === "valid");
    expect(evals.map((e) => e.step)).toEqual([15, 30]);
    expect(lines.filter((l) => l.split === undefined)).toHaveLength(30);
    expect(lines[0]).toHaveProperty("grad_norm");
    expect(lines[0]).toHaveProperty("tokens_per_s");
    expect(evals[1].perplexity).toBeCloseTo(Math.exp(evals[1].loss), 3);
    expect(await storage.readText("loss.svg")).toContain("<svg");
    const latest = JSON.parse(await storage.readText("checkpoints/latest.json"));
    expect(latest.step).toBe(30);
    const best = JSON.parse(await storage.readText("checkpoints/best.json"));
    expect(await storage.exists(best.file)).toBe(true);
    model.dispose();
  });

  it("applies, with accumulation, exactly the gradient of one batch holding every micro-batch", async () => {
    // With β1 = β2 = 0, no weight decay, no clipping and a constant rate, AdamW's first update is
    // p ← p − lr · g / (|g| + ε): invertible, so the applied gradient is read back from the weights as
    // g = u·ε / (1 − |u|) with u = (p₀ − p₁) / lr. (After a normal AdamW step, ≈ lr·sign(g), and with
    // clipping on, a wrong gradient scale would not show.)
    const micro = [syntheticBatch(5, 0), syntheticBatch(5, 1)];
    const tokens = micro.map(lossTokens);
    expect(tokens[0]).not.toBe(tokens[1]); // so weighting by tokens and plain averaging differ
    const epsilon = 1;
    const lr = 1;
    const model = GLMModel.fromConfig(TINY, { seed: 2 });
    const before = snapshot(model);
    const o = options({
      steps: 1,
      accumulation: 2,
      clipNorm: 0,
      optimizer: { beta1: 0, beta2: 0, epsilon, weightDecay: 0 },
      schedule: { peakLr: lr, decaySteps: 1, warmupFraction: 0, style: "constant", decayRatio: 1 },
    });
    const { rows } = await train(model, new SyntheticSource(5, 2), new MemoryStorage(), o);
    const applied = new Map<string, Float32Array>();
    for (const [name, after] of snapshot(model)) {
      applied.set(
        name,
        after.map((p, i) => {
          const u = (before.get(name)![i]! - p) / lr;
          return (u * epsilon) / (1 - Math.abs(u));
        }),
      );
    }

    // The reference: gradients of the mean loss over the joined batch, and of each micro-batch alone.
    const reference = GLMModel.fromConfig(TINY, { seed: 2 });
    const gradientsOf = (batch: GLMBatch) => {
      const vars = reference.namedVariables();
      const { value, grads } = tf.variableGrads(() => reference.loss(batch), [...vars.values()]);
      value.dispose();
      const out = new Map([...vars].map(([name, v]) => [name, Float32Array.from(grads[v.name]!.dataSync())]));
      tf.dispose(Object.values(grads));
      return out;
    };
    const whole = gradientsOf(concatBatches(micro));
    const [ga, gb] = micro.map(gradientsOf);
    let scale = 0;
    let sumSquares = 0;
    let appliedError = 0;
    let plainMeanError = 0;
    for (const [name, g] of whole) {
      const got = applied.get(name)!;
      for (let i = 0; i < g.length; i++) {
        scale = Math.max(scale, Math.abs(g[i]!));
        sumSquares += g[i]! ** 2;
        appliedError = Math.max(appliedError, Math.abs(got[i]! - g[i]!));
        plainMeanError = Math.max(plainMeanError, Math.abs((ga!.get(name)![i]! + gb!.get(name)![i]!) / 2 - g[i]!));
      }
    }
    expect(scale).toBeGreaterThan(1e-3);
    expect(appliedError).toBeLessThan(1e-4 * scale);
    // What the test tells apart: plain averaging of unequal micro-batches is off by far more.
    expect(plainMeanError).toBeGreaterThan(1e-2 * scale);
    expect(rows[0]!.grad_norm).toBeCloseTo(Math.sqrt(sumSquares), 5);
    expect(rows[0]!.loss_tokens).toBe(tokens[0]! + tokens[1]!);
    model.dispose();
    reference.dispose();
  });

  it("leaves frozen parameters bit-identical", async () => {
    const model = GLMModel.fromConfig(TINY, { seed: 3 });
    const before = snapshot(model);
    const frozen = (n: string) => n.startsWith("word_embeddings") || n.includes("layers.0.");
    const { trainer } = await train(model, new SyntheticSource(3), new MemoryStorage(), options({ steps: 3, frozen }));
    expect(trainer.trainableNames().some(frozen)).toBe(false);
    let frozenChecked = 0;
    for (const [name, after] of snapshot(model)) {
      const same = after.every((v, i) => v === before.get(name)![i]);
      if (frozen(name)) {
        expect(same, name).toBe(true);
        frozenChecked++;
      } else if (name.endsWith("dense.weight")) expect(same, name).toBe(false);
    }
    expect(frozenChecked).toBeGreaterThan(3);
    model.dispose();
  });

  it("resumes exactly: losses after a resume equal those of an uninterrupted run", async () => {
    const o = options({ steps: 8, checkpointEvery: 4, evalEvery: 4 });
    const straight = GLMModel.fromConfig(TINY, { seed: 4 });
    const full = await train(straight, new SyntheticSource(11), new MemoryStorage(), o);

    const storage = new MemoryStorage();
    const firstHalf = GLMModel.fromConfig(TINY, { seed: 4 });
    const part1 = await train(firstHalf, new SyntheticSource(11), storage, { ...o, steps: 4 });
    firstHalf.dispose();
    // A new process: a differently initialised model and a fresh data source, restored from storage.
    const restarted = GLMModel.fromConfig(TINY, { seed: 999 });
    const part2 = await train(restarted, new SyntheticSource(11), storage, o, true);
    expect(part2.result.step).toBe(8);
    expect([...part1.rows, ...part2.rows].map((r) => r.loss)).toEqual(full.rows.map((r) => r.loss));
    expect([...part2.rows].map((r) => r.grad_norm)).toEqual(full.rows.slice(4).map((r) => r.grad_norm));
    const logged = (await storage.readText("metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(logged.filter((l) => l.split === undefined).map((l) => l.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const a = snapshot(straight);
    for (const [name, v] of snapshot(restarted))
      expect(
        v.every((x, i) => x === a.get(name)![i]),
        name,
      ).toBe(true);
    straight.dispose();
    restarted.dispose();
  });

  it("resumes exactly with dropout on: each step's masks come from (seed, step, micro-batch)", async () => {
    const DROPPY = { ...TINY, embedding_dropout_prob: 0.2, attention_dropout_prob: 0.2, output_dropout_prob: 0.2 };
    const o = options({ steps: 6, checkpointEvery: 3, lossOptions: { training: true } });
    const straight = GLMModel.fromConfig(DROPPY, { seed: 4 });
    const full = await train(straight, new SyntheticSource(11), new MemoryStorage(), o);
    const storage = new MemoryStorage();
    const firstHalf = GLMModel.fromConfig(DROPPY, { seed: 4 });
    const part1 = await train(firstHalf, new SyntheticSource(11), storage, { ...o, steps: 3 });
    firstHalf.dispose();
    const restarted = GLMModel.fromConfig(DROPPY, { seed: 999 });
    const part2 = await train(restarted, new SyntheticSource(11), storage, o, true);
    expect([...part1.rows, ...part2.rows].map((r) => r.loss)).toEqual(full.rows.map((r) => r.loss));
    // Dropout really is on: the same model without it scores the first batch differently.
    const plain = GLMModel.fromConfig(DROPPY, { seed: 4 });
    const noDropout = plain.loss(syntheticBatch(11, 0));
    expect(noDropout.dataSync()[0]).not.toBe(full.rows[0]!.loss);
    noDropout.dispose();
    plain.dispose();
    straight.dispose();
    restarted.dispose();
  });

  it("skips a step whose loss is NaN (policy skip) and stops with a checkpoint (policy stop)", async () => {
    const poisonAt = 2; // the third batch
    const poisoned = (model: GLMModel): TrainableModel => ({
      config: model.config,
      namedVariables: () => model.namedVariables(),
      forward: (i, o) => model.forward(i, o),
      loss: (batch: GLMBatch, o) =>
        tf.tidy(() =>
          batch.sep[0] === -5 ? tf.mul(model.loss({ ...batch, sep: new Int32Array(batch.batchSize).fill(4) }, o), NaN) : model.loss(batch, o),
        ) as tf.Scalar,
    });
    class PoisonSource extends SyntheticSource {
      override next(): GLMBatch {
        const i = this.index;
        const b = super.next();
        if (i === poisonAt) b.sep[0] = -5;
        return b;
      }
    }
    const model = GLMModel.fromConfig(TINY, { seed: 6 });
    let beforePoison: Map<string, Float32Array> | undefined;
    const rows: TrainRow[] = [];
    const messages: string[] = [];
    const trainer = new Trainer(poisoned(model), new PoisonSource(6), [], new MemoryStorage(), options({ steps: 5 }), {
      onStep: (r) => {
        rows.push(r);
        if (r.step === 2) beforePoison = snapshot(model);
        if (r.step === 3) {
          for (const [n, v] of snapshot(model))
            expect(
              v.every((x, i) => x === beforePoison!.get(n)![i]),
              n,
            ).toBe(true);
        }
      },
      onMessage: (m) => messages.push(m),
    });
    const result = await trainer.run();
    trainer.dispose();
    expect(result.reason).toBe("completed");
    expect(rows[2]!.skipped).toBe(true);
    expect(rows.filter((r) => r.skipped)).toHaveLength(1);
    expect(messages.join("\n")).toMatch(/step 3: loss is NaN; update skipped/);

    const storage = new MemoryStorage();
    const stopper = new Trainer(poisoned(model), new PoisonSource(6), [], storage, options({ steps: 5, nanPolicy: "stop" }));
    const stopped = await stopper.run();
    stopper.dispose();
    expect(stopped.reason).toBe("non-finite");
    expect(stopped.message).toMatch(/step 3: loss is NaN/);
    expect(JSON.parse(await storage.readText("checkpoints/latest.json")).step).toBe(2);
    model.dispose();
  });

  it("passes over batches without loss tokens", async () => {
    class EmptyEvery3 extends SyntheticSource {
      override next(): GLMBatch {
        const b = super.next();
        if (this.index % 3 === 0) b.lossMask.fill(0);
        return b;
      }
    }
    const model = GLMModel.fromConfig(TINY, { seed: 12 });
    const { rows, result } = await train(model, new EmptyEvery3(12), new MemoryStorage(), options({ steps: 4 }));
    expect(result.reason).toBe("completed");
    expect(rows.every((r) => r.loss_tokens > 0 && Number.isFinite(r.loss))).toBe(true);
    model.dispose();
  });

  it("never points latest.json at a checkpoint whose write failed", async () => {
    class FailingStorage extends MemoryStorage {
      writes = 0;
      override async writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
        if (path.endsWith(".safetensors") && ++this.writes === 2) throw new Error("disk full");
        return super.writeBytesAtomic(path, bytes);
      }
    }
    const storage = new FailingStorage();
    const model = GLMModel.fromConfig(TINY, { seed: 9 });
    await expect(train(model, new SyntheticSource(9), storage, options({ steps: 4, checkpointEvery: 2 }))).rejects.toThrow(/disk full/);
    expect(JSON.parse(await storage.readText("checkpoints/latest.json")).step).toBe(2);
    expect(await storage.list("checkpoints")).toEqual(["latest.json", "step-0000002.safetensors"]);
    const restarted = GLMModel.fromConfig(TINY, { seed: 10 });
    const trainer = new Trainer(restarted, new SyntheticSource(9), [], storage, options({ steps: 4 }));
    expect(await trainer.resume()).toBe(2);
    trainer.dispose();
    model.dispose();
    restarted.dispose();
  });

  it("keeps the tensor count flat over a few hundred steps with evaluation and checkpoints", async () => {
    const model = GLMModel.fromConfig({ ...TINY, num_layers: 1, hidden_size: 16 }, { seed: 7 });
    const counts: number[] = [];
    const trainer = new Trainer(
      model,
      new SyntheticSource(7, 1, 12),
      [{ name: "valid", batches: [syntheticBatch(98, 0, 1, 12)] }],
      new MemoryStorage(),
      options({ steps: 250, evalEvery: 50, checkpointEvery: 100, plotEvery: 100 }),
      {
        onStep: (r) => counts.push(r.num_tensors),
      },
    );
    await trainer.run();
    trainer.dispose();
    expect(counts).toHaveLength(250);
    expect(Math.max(...counts.slice(5))).toBe(counts[5]);
    expect(Math.min(...counts.slice(5))).toBe(counts[5]);
    model.dispose();
  }, 120_000);

  it("scores held-out batches consistently with the model's own loss", async () => {
    const model = GLMModel.fromConfig(TINY, { seed: 8 });
    const batch = syntheticBatch(8, 0, 3);
    const r = await evaluate(model, { name: "x", batches: [batch] });
    const own = model.loss(batch);
    expect(r.loss).toBeCloseTo(own.dataSync()[0]!, 4);
    own.dispose();
    expect(r.tokens).toBe(batch.lossMask.reduce((s, x) => s + x, 0));
    expect(r.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.accuracy).toBeLessThanOrEqual(1);
    model.dispose();
  });
  it("uses an evaluation set's own score() instead of the LM evaluation, and picks the best checkpoint by its loss", async () => {
    const model = GLMModel.fromConfig(TINY, { seed: 8 });
    const storage = new MemoryStorage();
    const seen: TrainableModel[] = [];
    // A task score that depends on the weights (so it changes as training goes) and reports extra metrics.
    const losses = [0.9, 0.4, 0.6];
    let call = 0;
    const taskSet = {
      name: "task",
      batches: [],
      async score(m: TrainableModel) {
        seen.push(m);
        const loss = losses[call++]!;
        return { loss, accuracy: 1 - loss / 2, tokens: 12, metrics: { macro_f1: 0.5 + call / 10 } };
      },
    };
    const trainer = new Trainer(model, new SyntheticSource(3, 2), [taskSet], storage, options({ steps: 6, evalEvery: 2 }));
    const result = await trainer.run();
    trainer.dispose();
    expect(result.reason).toBe("completed");
    expect(seen).toHaveLength(3);
    expect(seen.every((m) => m === model)).toBe(true);
    const evals = (await storage.readText("metrics.jsonl"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((l) => l.split === "task");
    expect(evals.map((e) => [e.step, e.loss, e.accuracy, e.tokens])).toEqual([
      [2, 0.9, 0.55, 12],
      [4, 0.4, 0.8, 12],
      [6, 0.6, 0.7, 12],
    ]);
    expect(evals.map((e) => e.metrics.macro_f1)).toEqual([0.6, 0.7, 0.8]);
    expect(evals[1].perplexity).toBeCloseTo(Math.exp(0.4), 5);
    expect(result.best).toEqual({ step: 4, split: "task", loss: 0.4 });
    const best = JSON.parse(await storage.readText("checkpoints/best.json"));
    expect(best.step).toBe(4);
    model.dispose();
  });

  it("names the set when score() returns no loss", async () => {
    const model = GLMModel.fromConfig(TINY, { seed: 8 });
    const broken = { name: "broken", batches: [], score: async () => ({}) as unknown as { loss: number } };
    const trainer = new Trainer(model, new SyntheticSource(3, 2), [broken], new MemoryStorage(), options({ steps: 1 }));
    await expect(trainer.evaluateAll()).rejects.toThrow(/evaluation set "broken": score\(\) must return \{ loss/);
    trainer.dispose();
    model.dispose();
  });
});
