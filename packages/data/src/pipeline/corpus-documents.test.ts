// Corpus files → tokenizer → batches, resumed exactly from a saved state.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { corpusDocuments } from "./corpus-documents.js";
import { createBatchIterator, type BatchIteratorOptions } from "./batch-iterator.js";
import { SYNTHETIC_SPECIAL as SP, syntheticSentenceEnd } from "../test-helpers/synthetic.js";
import { Rng } from "../random/rng.js";

const root = mkdtempSync(join(tmpdir(), "glmjs-corpus-it-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const rng = new Rng(4);
const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
for (let f = 0; f < 3; f++) {
  const lines = Array.from({ length: 40 }, () => Array.from({ length: rng.int(5, 120) }, () => words[rng.below(words.length)]).join(" ") + " .");
  writeFileSync(join(root, `part-${f}.jsonl`), lines.map((text) => JSON.stringify({ text })).join("\n"));
}

/** A structural stand-in for a tokenizer: one id per word; "." ends a sentence (id 17). */
const tokenizer = { encode: (text: string) => text.split(" ").map((w) => (w === "." ? 17 : 8 + Number(w.slice(1)))) };

function options(extra: Partial<BatchIteratorOptions> = {}): BatchIteratorOptions {
  return {
    documents: corpusDocuments({ paths: [join(root, "*.jsonl")], seed: 9 }, tokenizer, { epochs: 2 }),
    batchSize: 4,
    seqLength: 128,
    special: SP,
    sentenceEnd: syntheticSentenceEnd(),
    objective: "glm-10b-multitask",
    seed: 1,
    ...extra,
  };
}

describe("corpusDocuments + createBatchIterator", () => {
  it("streams a corpus into batches and resumes exactly", async () => {
    const it1 = createBatchIterator(options());
    for (let i = 0; i < 6; i++) expect(await it1.next()).toBeDefined();
    const state = JSON.parse(JSON.stringify(it1.state()));
    const expected = [];
    for (let i = 0; i < 6; i++) expected.push(await it1.next());
    const it2 = createBatchIterator(options({ resumeFrom: state }));
    const got = [];
    for (let i = 0; i < 6; i++) got.push(await it2.next());
    expect(got).toEqual(expected);
    expect(got[0]!.batchSize).toBeGreaterThan(0);
  });

  it("ends after the given epochs", async () => {
    const it1 = createBatchIterator(options({ documents: corpusDocuments({ paths: [root] }, tokenizer) }));
    let batches = 0;
    while (await it1.next()) batches++;
    expect(batches).toBeGreaterThan(5);
    expect(batches).toBeLessThan(200);
  });
});
