// The worker-thread prefetcher yields exactly the synchronous iterator's batches. The worker
// runs compiled code, so this needs `pnpm --filter @glmjs/data build` first.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { arrayDocuments } from "./document-source.js";
import { createBatchIterator } from "./batch-iterator.js";
import { createPrefetchingBatchIterator } from "./prefetch-node.js";
import type { PrefetchSpec } from "./prefetch-protocol.js";
import { tokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { SYNTHETIC_SPECIAL as SP, syntheticDocuments, syntheticSentenceEnd } from "../test-helpers/synthetic.js";

const workerUrl = new URL("../../dist/pipeline/prefetch-worker-node.js", import.meta.url);
const built = existsSync(fileURLToPath(workerUrl));
if (!built) console.warn(`[glmjs tests] SKIPPING prefetch worker tests: ${fileURLToPath(workerUrl)} is absent (run pnpm --filter @glmjs/data build)`);

const docs = syntheticDocuments(120, 10, 900, 12);
const base = {
  batchSize: 3,
  seqLength: 200,
  special: SP,
  sentenceEnd: syntheticSentenceEnd(),
  objective: "glm-10b-multitask" as const,
  seed: 7,
};
const spec = (extra: Partial<PrefetchSpec> = {}): PrefetchSpec => ({ ...base, documents: { kind: "tokens", documents: docs, seed: 1, epochs: 1 }, ...extra });

describe.skipIf(!built)("createPrefetchingBatchIterator (worker_threads)", () => {
  it("yields the same batches as the synchronous iterator, then ends", async () => {
    const sync = createBatchIterator({ ...base, documents: arrayDocuments(docs, { seed: 1, epochs: 1 }) });
    const worker = createPrefetchingBatchIterator(spec(), { workerUrl, depth: 3 });
    try {
      let count = 0;
      for (;;) {
        const [a, b] = await Promise.all([sync.next(), worker.next()]);
        expect(b).toEqual(a);
        if (!a) break;
        expect(worker.state()).toEqual(sync.state());
        count++;
      }
      expect(count).toBeGreaterThan(20);
    } finally {
      await worker.close();
    }
  });

  it("resumes from a state it reported", async () => {
    const first = createPrefetchingBatchIterator(spec(), { workerUrl });
    for (let i = 0; i < 5; i++) await first.next();
    const state = first.state();
    const sixth = await first.next();
    await first.close();
    const resumed = createPrefetchingBatchIterator(spec({ resumeFrom: state }), { workerUrl });
    expect(await resumed.next()).toEqual(sixth);
    await resumed.close();
  });

  it("packs an indexed corpus with block packing, as the synchronous iterator does", async () => {
    const corpus = tokenizedCorpus(docs);
    const sync = createBatchIterator({ ...base, documents: corpus, block: { samples: 12 } });
    const worker = createPrefetchingBatchIterator({ ...base, documents: { kind: "indexed", ...corpus }, block: { samples: 12 } }, { workerUrl, depth: 2 });
    try {
      for (let i = 0; i < 5; i++) {
        const [a, b] = await Promise.all([sync.next(), worker.next()]);
        expect(b).toEqual(a);
        if (!a) break;
        expect(worker.state()).toEqual(sync.state());
      }
      expect(worker.state().packer).toMatchObject({ kind: "block", nextSample: 12 });
    } finally {
      await worker.close();
    }
  });

  it("reports a failing spec as an error on next()", async () => {
    const bad = createPrefetchingBatchIterator(spec({ objective: "nope" as never }), { workerUrl });
    await expect(bad.next()).rejects.toThrow(/objective must be a preset/);
    await bad.close();
  });
});
