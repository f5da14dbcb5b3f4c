// Invariants of every built sample (layout, span rules, determinism) on synthetic packed samples.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Rng } from "../random/rng.js";
import { rawSample } from "./raw-sample.js";
import { BlockObjective } from "./block-objective.js";
import { buildBlankSample } from "./explicit.js";
import { deriveSpans } from "../test-helpers/derive-spans.js";
import { SYNTHETIC_SPECIAL as SP, syntheticDocuments, syntheticSentenceEnd } from "../test-helpers/synthetic.js";
import type { BuiltBatch } from "../batch.js";
import type { ObjectiveSettings } from "./settings.js";

const sentenceEnd = syntheticSentenceEnd();

/** `[ENC] d1 [eos] [ENC] d2 [eos] …`, optionally cut mid-document. */
function packed(docs: Int32Array[], cut: boolean): number[] {
  const ids: number[] = [];
  for (const d of docs) ids.push(SP.cls, ...d, SP.eos);
  if (cut) ids.pop();
  return ids;
}

function objective(settings: Partial<ObjectiveSettings>): BlockObjective {
  return new BlockObjective({ special: SP, sentenceEnd, maxSeqLength: 512, settings });
}

function rowOf(batch: BuiltBatch, r: number) {
  const at = r * batch.seqLength;
  const n = batch.lengths[r]!;
  const sl = <T extends Int32Array | Float32Array>(a: T) => Array.from(a.subarray(at, at + n));
  return {
    n,
    sep: batch.sep[r]!,
    tokens: sl(batch.inputIds),
    pos: sl(batch.positionIds),
    block: sl(batch.blockPositionIds),
    targets: sl(batch.targets),
    loss: sl(batch.lossMask),
  };
}

describe("BlockObjective token mode", () => {
  it("builds samples that follow every layout rule", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (seed, docCount, cut) => {
        const docs = syntheticDocuments(docCount, 20, 200, seed);
        const text = packed(docs, cut);
        const obj = objective({ bertProb: 1 });
        const batch = obj.buildBatch([rawSample(text, SP.cls)], new Rng(seed));
        expect(batch.mode).toBe("bert");
        if (batch.batchSize === 0) return; // dropped, as the original drops unplaceable samples
        const row = rowOf(batch, 0);
        const { spans, maskId } = deriveSpans(row.tokens, row.pos, row.block, row.sep, row.n);
        expect(maskId).toBe(SP.mask);
        // Masked total reaches floor(0.15·len) and Part B has one sop per span.
        const masked = spans.reduce((a, [s, e]) => a + e - s, 0);
        expect(masked).toBeGreaterThanOrEqual(Math.floor(0.15 * text.length));
        expect(row.sep).toBe(text.length - masked + spans.length);
        expect(row.n).toBe(text.length + 2 * spans.length);
        // Spans: inside one document, never ENC/eos, never the last token of a cut sample, ≥1 token apart.
        const sorted = [...spans].sort((a, b) => a[0] - b[0]);
        for (let i = 0; i < sorted.length; i++) {
          const [s, e] = sorted[i]!;
          for (let j = s; j < e; j++) {
            expect(text[j]).not.toBe(SP.eos);
            expect(text[j]).not.toBe(SP.cls);
          }
          if (cut) expect(e).toBeLessThan(text.length);
          if (i > 0) expect(s).toBeGreaterThan(sorted[i - 1]![1]);
        }
        // Positions: Part A 0…sep−1, block 0; loss 0 on A, 1 on B.
        expect(row.pos.slice(0, row.sep)).toEqual(Array.from({ length: row.sep }, (_, i) => i));
        expect(row.block.slice(0, row.sep).every((b) => b === 0)).toBe(true);
        expect(row.loss.slice(0, row.sep).every((l) => l === 0)).toBe(true);
        expect(row.loss.slice(row.sep).every((l) => l === 1)).toBe(true);
        // The same choices rebuilt through the explicit path give the identical row.
        const rebuilt = buildBlankSample(text, spans, { maskId, sop: SP.sop, eop: SP.eop, eos: SP.eos });
        expect(Array.from(rebuilt.inputIds)).toEqual(row.tokens);
        expect(Array.from(rebuilt.targets)).toEqual(row.targets);
        expect(Array.from(rebuilt.positionIds)).toEqual(row.pos);
        expect(Array.from(rebuilt.blockPositionIds)).toEqual(row.block);
      }),
      { numRuns: 60 },
    );
  }, 30_000);

  it("reproduces the GLM.md §4.6 worked example from its span choices", () => {
    const text = [101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 0];
    const s = buildBlankSample(
      text,
      [
        [8, 9],
        [2, 4],
      ],
      { maskId: 103, sop: 30522, eop: 30523, eos: 0 },
    );
    expect(s.sep).toBe(11);
    expect(Array.from(s.inputIds)).toEqual([101, 1996, 103, 4419, 14523, 2058, 1996, 103, 3899, 1012, 0, 30522, 13971, 30522, 4248, 2829]);
    expect(Array.from(s.targets.subarray(11))).toEqual([13971, 30523, 4248, 2829, 30523]);
    expect(Array.from(s.positionIds)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 7, 7, 2, 2, 2]);
    expect(Array.from(s.blockPositionIds)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 2, 3]);
    expect(Array.from(s.lossMask)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it("rejects overlapping or out-of-range explicit spans", () => {
    const ids = { maskId: 2, sop: 3, eop: 4, eos: 0 };
    expect(() =>
      buildBlankSample(
        [1, 10, 11, 12, 0],
        [
          [1, 3],
          [2, 4],
        ],
        ids,
      ),
    ).toThrow(/overlap/);
    expect(() => buildBlankSample([1, 10, 11, 12, 0], [[3, 9]], ids)).toThrow(/not inside/);
    expect(() => buildBlankSample([1, 10, 0, 12, 0], [[1, 3]], ids)).toThrow(/eos/);
  });

  it("adds [dBLOCK] noise to Part B inputs only, at the configured rate", () => {
    const docs = syntheticDocuments(16, 600, 700, 5);
    const obj = objective({ bertProb: 1, blockMaskProb: 0.1 });
    const batch = obj.buildBatch(
      docs.map((d) => rawSample(packed([d.subarray(0, 510)], false), SP.cls)),
      new Rng(9),
    );
    let noised = 0;
    let inputs = 0;
    for (let r = 0; r < batch.batchSize; r++) {
      const row = rowOf(batch, r);
      expect(row.tokens.slice(0, row.sep).includes(SP.dBlock!)).toBe(false);
      for (let j = row.sep; j < row.n; j++) {
        if (row.tokens[j] === SP.sop) continue;
        inputs++;
        if (row.tokens[j] === SP.dBlock) {
          noised++;
          expect(row.targets[j - 1]).not.toBe(SP.dBlock);
        }
      }
    }
    expect(Math.abs(noised / inputs - 0.1)).toBeLessThan(0.03);
  });

  it("is deterministic: same seed, same batch bit for bit", () => {
    const docs = syntheticDocuments(8, 100, 600, 11).map((d) => rawSample(packed([d], false), SP.cls));
    const settings = { bertProb: 0.4, gapSentenceProb: 0.3, shortSeqProb: 0.2, blockMaskProb: 0.1, taskMask: true };
    for (let seed = 0; seed < 5; seed++) {
      const a = objective(settings).buildBatch(docs, new Rng(seed));
      const b = objective(settings).buildBatch(docs, new Rng(seed));
      expect(a.inputIds).toEqual(b.inputIds);
      expect(a.targets).toEqual(b.targets);
      expect(a.positionIds).toEqual(b.positionIds);
      expect(a.sep).toEqual(b.sep);
    }
  }, 30_000);
});

describe("BlockObjective memory reuse", () => {
  it("gives identical batches, padding zeroed, when batches are recycled", () => {
    const docs = syntheticDocuments(64, 50, 600, 17).map((d) => rawSample(packed([d], false), SP.cls));
    const settings = { bertProb: 0.5, gapSentenceProb: 0.3, taskMask: true };
    const fresh = objective(settings);
    const reusing = objective(settings);
    const rngA = new Rng(3);
    const rngB = new Rng(3);
    for (let b = 0; b < 16; b++) {
      const batch = docs.slice(b * 4, b * 4 + 4);
      const a = fresh.buildBatch(batch, rngA);
      const r = reusing.buildBatch(batch, rngB);
      expect(Array.from(r.inputIds)).toEqual(Array.from(a.inputIds));
      expect(Array.from(r.positionIds)).toEqual(Array.from(a.positionIds));
      expect(Array.from(r.blockPositionIds)).toEqual(Array.from(a.blockPositionIds));
      expect(Array.from(r.targets)).toEqual(Array.from(a.targets));
      expect(Array.from(r.lossMask)).toEqual(Array.from(a.lossMask));
      expect(Array.from(r.sep)).toEqual(Array.from(a.sep));
      reusing.recycle(r);
    }
  });
});

describe("BlockObjective sentence mode", () => {
  it("masks whole sentences with [sMASK] until 15 % is covered", () => {
    const docs = syntheticDocuments(6, 100, 300, 21);
    const text = packed(docs, false);
    const batch = objective({ bertProb: 0, gapSentenceProb: 1, taskMask: true }).buildBatch([rawSample(text, SP.cls)], new Rng(2));
    expect(batch.mode).toBe("sentence");
    const row = rowOf(batch, 0);
    const { spans, maskId } = deriveSpans(row.tokens, row.pos, row.block, row.sep, row.n);
    expect(maskId).toBe(SP.sMask);
    const masked = spans.reduce((a, [s, e]) => a + e - s, 0);
    expect(masked).toBeGreaterThanOrEqual(Math.floor(0.15 * text.length));
    for (const [s, e] of spans) {
      // Ends after a sentence end (or at the sample's end); starts after one, after eos, or at 1.
      expect(sentenceEnd[text[e - 1]!] === 1 || e === text.length).toBe(true);
      expect(s === 1 || sentenceEnd[text[s - 1]!] === 1 || text[s - 1] === SP.eos).toBe(true);
      for (let j = s; j < e; j++) expect(text[j]).not.toBe(SP.eos);
    }
  });
});

describe("BlockObjective document mode", () => {
  it("uses one generation length per batch and both layouts", () => {
    const docs = syntheticDocuments(40, 200, 500, 31);
    const samples = docs.map((d) => rawSample(packed([d], false), SP.cls));
    const obj = objective({ bertProb: 0, gapSentenceProb: 0, taskMask: true, gptMinRatio: 0.25 });
    let infill = 0;
    let blank = 0;
    const rng = new Rng(4);
    for (let b = 0; b < 10; b++) {
      const batch = obj.buildBatch(samples.slice(b * 4, b * 4 + 4), rng);
      expect(batch.mode).toBe("gpt");
      const generated: [number, number][] = [];
      for (let r = 0; r < batch.batchSize; r++) {
        const row = rowOf(batch, r);
        const g = row.targets.slice(row.sep).filter((t) => t !== SP.eop).length;
        generated.push([g, batch.textLengths[r]! - 2]);
        expect(row.tokens.filter((t) => t === SP.gMask).length).toBe(1);
        if (row.tokens[row.sep - 1] === SP.gMask && !row.targets.slice(row.sep).includes(SP.eop)) {
          infill++;
          expect(row.n).toBe(batch.textLengths[r]! + 1);
          expect(row.block.slice(row.sep)).toEqual(Array.from({ length: row.n - row.sep }, (_, i) => i + 1));
          expect(row.pos.slice(row.sep).every((p) => p === row.sep - 1)).toBe(true);
        } else blank++;
      }
      // One G* per batch: every row generates min(G*, len − 2).
      const shared = Math.max(...generated.map(([g]) => g));
      for (const [g, cap] of generated) expect(g).toBe(Math.min(shared, cap));
    }
    expect(infill).toBeGreaterThan(5);
    expect(blank).toBeGreaterThan(5);
  });

  it("always uses the suffix layout for multi-document samples", () => {
    const docs = syntheticDocuments(3, 50, 80, 41);
    const batch = objective({ bertProb: 0, gapSentenceProb: 0, taskMask: true }).buildBatch([rawSample(packed(docs, false), SP.cls)], new Rng(1));
    const row = rowOf(batch, 0);
    expect(row.tokens[row.sep - 1]).toBe(SP.gMask);
    expect(row.tokens[row.sep]).toBe(SP.sop);
    expect(row.targets.includes(SP.eop)).toBe(false);
  });
});
