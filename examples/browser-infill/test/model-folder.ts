// A small model folder for the end-to-end test, made in the test (no weights are committed): a
// WordPiece tokenizer and a 2-layer GLM trained for a few seconds on paragraphs of a dozen simple
// sentences (so the page fills words, not noise), written as model.save() and tokenizer.save()
// write a folder: config.json, model.safetensors, tokenizer.json.
import "@glmjs/backend-wasm";
import { GLMModel, useBackend } from "@glmjs/core";
import { trainTokenizer, type GLMTokenizer } from "@glmjs/tokenizer";
import { DEFAULT_TRAINER_OPTIONS, GLM_ADAMW, MemoryStorage, Trainer, preparePretraining } from "@glmjs/train";

const SENTENCES = [
  "The cat sat on the mat and looked at the garden.",
  "The old man walked to the river in the morning.",
  "She found a small house near the forest.",
  "The children played in the park until the sun went down.",
  "A young girl read a long letter from her brother at sea.",
  "The captain watched the storm from the deck of the ship.",
  "The dog slept by the fire all night.",
  "We ate bread and cheese under the old tree.",
];

/** Paragraphs of five sentences drawn by a seeded generator. */
function paragraphs(count: number): string[] {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  return Array.from({ length: count }, () => Array.from({ length: 5 }, () => SENTENCES[next() % SENTENCES.length]).join(" "));
}

export async function writeModelFolder(dir: string, steps = 100): Promise<{ model: GLMModel; tokenizer: GLMTokenizer }> {
  await useBackend("wasm");
  const prepared = await preparePretraining({
    documents: paragraphs(60),
    tokenizer: (train) => trainTokenizer(train, { type: "wordpiece", vocabSize: 70 }),
    model: { num_layers: 2, hidden_size: 64, num_attention_heads: 4, max_sequence_length: 128 },
    objective: "token",
    batchSize: 8,
    seqLength: 64,
    seed: 3,
    evalBatches: 0,
  });
  const model = GLMModel.fromConfig(prepared.config, { seed: 5 });
  const trainer = new Trainer(model, prepared.source, [], new MemoryStorage(), {
    ...DEFAULT_TRAINER_OPTIONS,
    steps,
    optimizer: GLM_ADAMW,
    schedule: { peakLr: 1e-2, decaySteps: steps, warmupFraction: 0.1, style: "cosine", decayRatio: 0.1 },
    evalEvery: 0,
    checkpointEvery: 0,
    plotEvery: steps,
    seed: 3,
  });
  const result = await trainer.run();
  trainer.dispose();
  if (result.reason !== "completed") throw new Error(`training the test model stopped: ${result.message}`);
  const tokenizer = prepared.tokenizer as GLMTokenizer;
  await model.save(dir);
  await tokenizer.save(dir);
  return { model, tokenizer };
}
