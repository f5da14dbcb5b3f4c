// The whole pretraining path in Chromium, no Node in sight, through the same recipe as `glm
// pretrain` (@glmjs/train's preparePretraining): a WordPiece tokenizer trained in the page on the
// training split, the held-out split, BlockDataset packing and the mixed blank-infilling objective
// fitted to the tokenizer, and the @glmjs/train loop writing metrics, plot and checkpoints to
// in-memory storage. Checks that the model learns, that a resumed run repeats an uninterrupted one
// exactly, and that no tensor leaks.
import { configureWasm } from "@glmjs/backend-wasm";
import { setWebGPUDeterministic } from "@glmjs/backend-webgpu";
import { GLMModel, tf, useBackend } from "@glmjs/core";
import type { BatchIteratorState } from "@glmjs/data";
import { trainTokenizer } from "@glmjs/tokenizer";
import {
  DEFAULT_TRAINER_OPTIONS,
  GLM_ADAMW,
  IteratorSource,
  MemoryStorage,
  Trainer,
  evaluate,
  preparePretraining,
  type EvalSet,
  type PreparedPretraining,
  type TrainRow,
  type TrainerOptions,
} from "@glmjs/train";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

configureWasm({ wasmPaths: inject("wasmDir") });

// Paragraphs of simple sentences from a seeded generator: a corpus with structure to learn.
function corpus(paragraphs: number): string[] {
  const subjects = ["the cat", "a dog", "the old man", "my sister", "the captain", "a young girl"];
  const verbs = ["saw", "liked", "followed", "found", "called", "watched"];
  const objects = ["the river", "a small house", "the ship", "an apple", "the garden", "the storm"];
  let seed = 11;
  const pick = <T>(a: T[]) => a[(seed = (seed * 1103515245 + 12345) % 2147483648) % a.length]!;
  return Array.from({ length: paragraphs }, () => Array.from({ length: 5 }, () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)}.`).join(" "));
}

let prepared: PreparedPretraining;

beforeAll(async () => {
  // 300 documents: every 20th run of 10 (documents 190–199) is held out; the tokenizer sees the rest.
  prepared = await preparePretraining({
    documents: corpus(300),
    tokenizer: (train) => trainTokenizer(train, { type: "wordpiece", vocabSize: 90 }),
    model: "tiny",
    objective: "mixed",
    batchSize: 4,
    seqLength: 48,
    seed: 3,
    evalBatches: 2,
  });
});

afterAll(async () => {
  await tf.setBackend("cpu");
});

function options(steps: number, total: number): TrainerOptions {
  return {
    ...DEFAULT_TRAINER_OPTIONS,
    steps,
    optimizer: GLM_ADAMW,
    schedule: { peakLr: 3e-3, decaySteps: total, warmupFraction: 0.1, style: "cosine", decayRatio: 0.1 },
    evalEvery: total / 2,
    checkpointEvery: total / 2,
    plotEvery: 2,
    seed: 3,
  };
}

async function run(storage: MemoryStorage, valid: EvalSet, steps: number, total: number, modelSeed: number, resume = false) {
  const model = GLMModel.fromConfig(prepared.config, { seed: 3 + modelSeed });
  const rows: TrainRow[] = [];
  // A fresh source per "page": the recipe's training batches, restorable from a checkpoint.
  const source = new IteratorSource<BatchIteratorState>((from) => prepared.trainBatches(from));
  const trainer = new Trainer(model, source, [valid], storage, options(steps, total), { onStep: (r) => rows.push(r) });
  if (resume) await trainer.resume();
  const result = await trainer.run();
  trainer.dispose();
  return { model, rows, result };
}

// WebGPU here is SwiftShader on the CPU, about 30× slower than wasm: a shorter run whose loss must
// still fall clearly. Exact resume on WebGPU needs its deterministic mode (tfjs's embedding
// gradient adds with atomics, in a different order each run).
const RUNS = [
  { backend: "wasm", steps: 24, minDrop: 1.5 },
  { backend: "webgpu", steps: 8, minDrop: 0.5 },
];

for (const { backend, steps, minDrop } of RUNS) {
  describe(`@glmjs/train on ${backend} in Chromium`, () => {
    it("learns the corpus and resumes exactly from in-memory checkpoints", async () => {
      await useBackend(backend);
      if (backend === "webgpu") setWebGPUDeterministic(true);
      const valid = prepared.evalSets[0]!;
      expect(valid.name).toBe("valid");
      expect(valid.batches).toHaveLength(2);

      const storage = new MemoryStorage();
      const fresh = GLMModel.fromConfig(prepared.config, { seed: 3 });
      const before = await evaluate(fresh, valid);
      fresh.dispose();
      const tensorsBefore = tf.memory().numTensors;
      const t0 = performance.now();
      const straight = await run(storage, valid, steps, steps, 0);
      console.info(`${backend}: ${steps} training steps of the tiny preset in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      expect(straight.result.reason).toBe("completed");
      const after = await evaluate(straight.model, valid);
      // From about ln(vocabulary) to well below it: the sentences' few words and their order.
      expect(before.loss).toBeGreaterThan(4.5);
      expect(after.loss).toBeLessThan(before.loss - minDrop);
      straight.model.dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);

      const metrics = (await storage.readText("metrics.jsonl"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { step: number; split?: string });
      expect(metrics.filter((r) => r.split === undefined).map((r) => r.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
      expect(metrics.filter((r) => r.split === "valid").map((r) => r.step)).toEqual([steps / 2, steps]);
      expect(await storage.readText("loss.svg")).toContain("<svg");

      // Stop half-way, then a "new page": another initialisation and a fresh source, restored from storage.
      const halves = new MemoryStorage();
      const first = await run(halves, valid, steps / 2, steps, 0);
      first.model.dispose();
      const second = await run(halves, valid, steps, steps, 100, true);
      second.model.dispose();
      expect([...first.rows, ...second.rows].map((r) => r.loss)).toEqual(straight.rows.map((r) => r.loss));
      expect(tf.getBackend()).toBe(backend);
    }, 600_000); // SwiftShader compiles each WebGPU program in seconds, and training needs many
  });
}
