import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { isInvalidOptionError, objectivePresets } from "@glmjs/data";
import { trainTokenizer } from "@glmjs/tokenizer";
import { lossTokens } from "../loop/batch-source.js";
import { preparePretraining, preparePretrainingData, pretrainingRecord } from "./prepare-pretraining.js";
import { checkPretrainingShape, trainingStepBytes, type PretrainingShape } from "./sizes.js";

/** Paragraphs of simple sentences from a seeded generator; one has curly quotes. */
function corpus(paragraphs: number): string[] {
  const subjects = ["the cat", "a dog", "the old man", "my sister", "the captain", "a young girl"];
  const verbs = ["saw", "liked", "followed", "found", "called", "watched"];
  const objects = ["the river", "a small house", "the ship", "an apple", "the garden", "the storm"];
  let seed = 11;
  const pick = <T>(a: T[]) => a[(seed = (seed * 1103515245 + 12345) % 2147483648) % a.length]!;
  const docs = Array.from({ length: paragraphs }, () => Array.from({ length: 5 }, () => `${pick(subjects)} ${pick(verbs)} ${pick(objects)}.`).join(" "));
  docs[3] = "\u201cthe cat\u201d saw the river \u2013 then the ship. " + docs[3];
  return docs;
}

const shape: PretrainingShape = { model: "tiny", batchSize: 4, seqLength: 48, seed: 3, evalBatches: 2 };

function refusal(f: () => unknown): { option: string; value: unknown; message: string } {
  try {
    f();
  } catch (e) {
    if (isInvalidOptionError(e)) return { option: e.option, value: e.value, message: e.message };
    throw e;
  }
  throw new Error("accepted");
}

describe("checkPretrainingShape", () => {
  it("accepts a run the tiny preset can hold and reports its largest row", () => {
    const checked = checkPretrainingShape(shape);
    expect(checked.config.max_sequence_length).toBe(512);
    // mixed objective: token and sentence blanks at 15 % of 48 → up to 7 spans → 48 + 14.
    expect(checked.maxRowLength).toBe(62);
    expect(checked.stepBytes).toBe(trainingStepBytes(checked.config, 4, 48));
  });

  it("refuses sizes before any work, naming the option and the limit", () => {
    const tooLong = refusal(() => checkPretrainingShape({ ...shape, seqLength: 5000 }));
    expect(tooLong.option).toBe("seqLength");
    expect(tooLong.message).toMatch(/seqLength must be at most 512, the tiny model's max_sequence_length/);
    expect(() => checkPretrainingShape({ ...shape, seqLength: 512 })).not.toThrow();
    expect(refusal(() => checkPretrainingShape({ ...shape, seqLength: 1e9 })).option).toBe("seqLength");
    const short = refusal(() => checkPretrainingShape({ ...shape, seqLength: 32 }));
    expect(short.message).toMatch(/seqLength must be an integer >= 34 \(this objective re-cuts/);
    expect(() => checkPretrainingShape({ ...shape, seqLength: 32, objective: "token" })).not.toThrow();
    expect(refusal(() => checkPretrainingShape({ ...shape, batchSize: 0 })).option).toBe("batchSize");
    expect(refusal(() => checkPretrainingShape({ ...shape, evalBatches: -1 })).option).toBe("evalBatches");
    expect(refusal(() => checkPretrainingShape({ ...shape, heldOut: { every: 1 } })).option).toBe("heldOut.every");
    expect(refusal(() => checkPretrainingShape({ ...shape, dropout: 1 })).option).toBe("dropout");
    expect(refusal(() => checkPretrainingShape({ ...shape, model: "huge" })).message).toMatch(
      /model must be a preset \(glm-base, .*tiny, small, base\) or a config, got "huge"/,
    );
    expect(refusal(() => checkPretrainingShape({ ...shape, objective: "nope" })).option).toBe("objective");
  });

  it("refuses a step that cannot fit in the memory limit: the batch, or the length when one sample is too much", () => {
    const config = checkPretrainingShape(shape).config;
    const limit = trainingStepBytes(config, 64, 48);
    expect(() => checkPretrainingShape({ ...shape, batchSize: 64, memoryLimitBytes: limit })).not.toThrow();
    const batch = refusal(() => checkPretrainingShape({ ...shape, batchSize: 65, memoryLimitBytes: limit }));
    expect(batch.option).toBe("batchSize");
    expect(batch.message).toMatch(
      /batchSize is too large: a training step of 65 × 48 tokens needs at least [\d.]+ GiB .* more than the [\d.]+ GiB available; use a smaller batch/,
    );
    const length = refusal(() => checkPretrainingShape({ ...shape, model: "glm-10b", seqLength: 1024, batchSize: 1, memoryLimitBytes: 2 ** 34 }));
    expect(length.option).toBe("seqLength");
  });
});

describe("preparePretraining", () => {
  const documents = corpus(300);

  it("splits first, trains the tokenizer on the training split only, and builds source, held-out sets and baseline", async () => {
    let seen: readonly string[] = [];
    const prepared = await preparePretraining({
      ...shape,
      documents,
      tokenizer: async (train) => {
        seen = train;
        return trainTokenizer(train, { type: "wordpiece", vocabSize: 90 });
      },
    });
    // Every 20th run of 10 documents is held out: documents 190 … 199 of 300.
    expect(seen).toHaveLength(290);
    expect(prepared.train).toHaveLength(290);
    expect(prepared.heldOut).toHaveLength(10);
    expect(seen).not.toContain(documents[195]);
    // English punctuation is standardised before the tokenizer sees the text (GLM.md §3.7).
    expect(seen[3]).toMatch(/^"the cat" saw the river - then/);
    expect(prepared.config.vocab_size).toBe(prepared.tokenizer.paddedVocabSize);
    expect(prepared.objective.preset).toBe("glm-10b-multitask");
    expect(prepared.evalSets.map((s) => [s.name, s.batches.length])).toEqual([["valid", 2]]);
    const unigram = prepared.evalSets[0]!.unigramLoss!;
    expect(unigram).toBeGreaterThan(1);
    expect(unigram).toBeLessThan(Math.log(prepared.tokenizer.vocabSize));
    expect(prepared.record).toEqual(pretrainingRecord(shape));
    expect(prepared.record).toMatchObject({ preset: "tiny", objective: "mixed", packing: "block", batch: 4, seqLen: 48, seed: 3, keepPunctuation: false });
    // The source yields the batches trainBatches() builds, and no row is longer than maxRowLength.
    const direct = prepared.trainBatches();
    for (let i = 0; i < 5; i++) {
      const a = (await prepared.source.next())!;
      const b = (await direct.next())!;
      expect(Array.from(a.inputIds)).toEqual(Array.from(b.inputIds));
      expect(a.seqLength).toBeLessThanOrEqual(prepared.maxRowLength);
      expect(lossTokens(a)).toBeGreaterThan(0);
    }
    // Resuming the source from a state gives the batches that followed it.
    const state = prepared.source.state();
    const next = (await prepared.source.next())!;
    prepared.source.restore(state);
    expect(Array.from((await prepared.source.next())!.targets)).toEqual(Array.from(next.targets));
  }, 60_000);

  it("keeps punctuation when asked, adds extra held-out sets, and says when nothing is held out", async () => {
    const tokenizer = await trainTokenizer(documents, { type: "wordpiece", vocabSize: 90 });
    const data = await preparePretrainingData({ ...shape, documents: documents.slice(0, 150), tokenizer, keepPunctuation: true });
    expect(data.heldOut).toHaveLength(0);
    expect(data.notes.at(-1)).toMatch(/no document is held out: the corpus has 150 documents .* document 191/);
    const curly = data.encode(["“the”"])[0]!;
    const plain = (await preparePretrainingData({ ...shape, documents: ["x"], tokenizer })).encode(["“the”"])[0]!;
    expect(Array.from(plain)).toEqual(tokenizer.encode('"the"'));
    expect(Array.from(curly)).toEqual(tokenizer.encode("“the”"));
    const prepared = await preparePretraining({ ...shape, documents, tokenizer, extraEvalSets: [{ name: "other", documents: documents.slice(0, 20) }] });
    expect(prepared.evalSets.map((s) => s.name)).toEqual(["valid", "other"]);
  }, 60_000);

  it("says why when every sample is dropped (documents too short for the blanks)", async () => {
    const words = Array.from({ length: 400 }, () => "hello");
    const tokenizer = await trainTokenizer(words, { type: "wordpiece", vocabSize: 17 });
    const error = await preparePretraining({ ...shape, objective: "token", documents: words, tokenizer }).then(
      () => new Error("prepared"),
      (e: Error) => e,
    );
    expect(error.message).toMatch(
      /every sample was dropped: the objective found no room for its blanks in documents this short \(380 training documents of 1\.0 tokens on average, samples of up to 48 tokens\)/,
    );
    expect(GlmjsError.is(error, "NO_SAMPLES")).toBe(true);
  }, 60_000);

  it("objective presets keep their released settings when the tokenizer has every command token", async () => {
    const tokenizer = await trainTokenizer(documents, { type: "wordpiece", vocabSize: 90 });
    const data = await preparePretrainingData({ ...shape, documents, tokenizer, objective: "token" });
    expect(data.objective.settings).toEqual(objectivePresets.token);
    expect(data.notes).toEqual([]);
  }, 60_000);
});
