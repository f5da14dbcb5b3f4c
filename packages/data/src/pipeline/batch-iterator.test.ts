import { describe, expect, it } from "vitest";
import { arrayDocuments } from "./document-source.js";
import { createBatchIterator, type BatchIteratorOptions } from "./batch-iterator.js";
import { SYNTHETIC_SPECIAL as SP, syntheticDocuments, syntheticSentenceEnd } from "../test-helpers/synthetic.js";
import type { BuiltBatch } from "../batch.js";
import { tokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { BlockDatasetPacker } from "../packing/block-dataset-packer.js";

const docs = syntheticDocuments(200, 10, 1200, 8);

function options(extra: Partial<BatchIteratorOptions> = {}): BatchIteratorOptions {
  return {
    documents: arrayDocuments(docs, { seed: 5, epochs: 2 }),
    batchSize: 4,
    seqLength: 256,
    special: SP,
    sentenceEnd: syntheticSentenceEnd(),
    objective: "glm-10b-multitask",
    seed: 99,
    ...extra,
  };
}

async function take(it: { next(): Promise<BuiltBatch | undefined> }, n: number): Promise<BuiltBatch[]> {
  const out: BuiltBatch[] = [];
  for (let i = 0; i < n; i++) {
    const b = await it.next();
    if (!b) break;
    out.push(b);
  }
  return out;
}

describe("createBatchIterator", () => {
  it("produces the same batches for the same seed and different ones for another seed", async () => {
    const a = await take(createBatchIterator(options()), 12);
    const b = await take(createBatchIterator(options()), 12);
    const c = await take(createBatchIterator(options({ seed: 100 })), 12);
    expect(a.length).toBe(12);
    expect(b).toEqual(a);
    expect(c.map((x) => x.inputIds)).not.toEqual(a.map((x) => x.inputIds));
  });

  it("resumes exactly from a JSON state", async () => {
    const it1 = createBatchIterator(options());
    const first = await take(it1, 7);
    const state = JSON.parse(JSON.stringify(it1.state()));
    expect(state.batches).toBe(7);
    const rest = await take(it1, 8);
    const resumed = await take(createBatchIterator(options({ resumeFrom: state })), 8);
    expect(resumed).toEqual(rest);
    expect(first.length).toBe(7);
  });

  it("ends after the configured epochs and pads to padTo", async () => {
    const it1 = createBatchIterator({ ...options(), documents: arrayDocuments(docs.slice(0, 10), { epochs: 1, shuffle: false }), padTo: 700 });
    const all = await take(it1, 1000);
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThan(1000);
    for (const b of all) {
      expect(b.seqLength).toBe(700);
      expect(b.inputIds.length).toBe(b.batchSize * 700);
    }
    expect(await it1.next()).toBeUndefined();
  });

  it("shards documents disjointly", () => {
    const seen = new Set<ArrayLike<number>>();
    for (let shard = 0; shard < 3; shard++) {
      const stream = arrayDocuments(docs, { seed: 2, shard: { index: shard, count: 3 } }).open(0) as Iterator<ArrayLike<number>>;
      for (let r = stream.next(); !r.done; r = stream.next()) {
        expect(seen.has(r.value)).toBe(false);
        seen.add(r.value);
      }
    }
    expect(seen.size).toBe(docs.length);
  });

  it("rejects an unknown preset", () => {
    expect(() => createBatchIterator(options({ objective: "nope" as never }))).toThrow(
      /objective must be a preset \(glm-large-blank, .*\) or settings, got "nope"/,
    );
  });

  describe("on an in-memory TokenizedCorpus", () => {
    const corpus = tokenizedCorpus(docs);
    const block = (extra: Partial<BatchIteratorOptions> = {}) => options({ documents: corpus, ...extra });

    it("packs as the original's BlockDataset by default, samples drawn from (seed, index)", async () => {
      const it1 = createBatchIterator(block({ objective: "token" }));
      const [first] = await take(it1, 1);
      expect(it1.state().packer).toEqual({ kind: "block", nextSample: 4, documents: docs.length, tokens: corpus.tokens.length });
      // Sample 2 of the batch is the block packer's sample 2 of the same seed.
      const table = syntheticSentenceEnd();
      const raw = new BlockDatasetPacker(corpus, { seqLength: 256, eos: SP.eos, cls: SP.cls, isSentenceEnd: (id) => table[id] === 1, seed: 99 }).sample(2);
      expect(first!.textLengths[2]).toBe(raw.text.length);
      expect(first!.inputIds[2 * first!.seqLength]).toBe(SP.cls);
    });

    it("is deterministic and resumes exactly from a JSON state taken mid-stream", async () => {
      const a = await take(createBatchIterator(block()), 11);
      expect(await take(createBatchIterator(block()), 11)).toEqual(a);
      const it1 = createBatchIterator(block());
      await take(it1, 6);
      const state = JSON.parse(JSON.stringify(it1.state()));
      expect(state.packer.nextSample).toBe(24);
      const rest = await take(it1, 5);
      expect(await take(createBatchIterator(block({ resumeFrom: state })), 5)).toEqual(rest);
      expect(rest).toEqual(a.slice(6, 11));
    });

    it("ends after block.samples, and still packs sequentially on request", async () => {
      const limited = await take(createBatchIterator(block({ block: { samples: 10 } })), 100);
      expect(limited.map((b) => b.batchSize)).toEqual([4, 4, 2]);
      const seq = createBatchIterator(block({ packing: "sequential" }));
      await take(seq, 2);
      expect(seq.state().packer).not.toHaveProperty("kind");
      expect((seq.state().packer as { nextDocument: number }).nextDocument).toBeGreaterThan(0);
    });

    it("refuses a state saved with the other packing, and block packing of a stream", async () => {
      const it1 = createBatchIterator(block());
      await take(it1, 1);
      expect(() => createBatchIterator(options({ resumeFrom: it1.state() }))).toThrow(/saved with block packing/);
      expect(() => createBatchIterator(options({ packing: "block" }))).toThrow(/needs an in-memory TokenizedCorpus/);
      expect(() => createBatchIterator(options({ packing: "block" }))).toThrow(expect.objectContaining({ code: "OPTION_INVALID" }));
      expect(() => createBatchIterator(options({ resumeFrom: it1.state() }))).toThrow(expect.objectContaining({ code: "STATE_INVALID" }));
      expect(() => createBatchIterator(block({ packing: "random" as never }))).toThrow(/packing must be "block" or "sequential"/);
    });
  });
});
