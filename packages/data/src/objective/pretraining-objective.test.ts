import { describe, expect, it } from "vitest";
import { createBatchIterator } from "../pipeline/batch-iterator.js";
import { tokenizedCorpus } from "../indexed/tokenized-corpus.js";
import { BlockDatasetPacker } from "../packing/block-dataset-packer.js";
import { isInvalidOptionError, type InvalidOptionError } from "../errors/invalid-option.js";
import { SYNTHETIC_SPECIAL, syntheticDocuments, syntheticSentenceEnd } from "../test-helpers/synthetic.js";
import { checkSeqLength, maxRowLength, minSeqLength, objectiveForTokenizer, objectiveNames } from "./pretraining-objective.js";
import { objectivePresets, type ObjectiveSettings } from "./settings.js";

const caught = (f: () => unknown): InvalidOptionError => {
  try {
    f();
  } catch (e) {
    if (isInvalidOptionError(e)) return e;
    throw e;
  }
  throw new Error("did not throw");
};

describe("objectiveForTokenizer", () => {
  const full = { eos: 0, cls: 1, mask: 2, sop: 3, eop: 4, sMask: 5, gMask: 6, dBlock: 7 };
  const bertLike = { eos: 0, cls: 101, mask: 103, sop: 5, eop: 6, sMask: -1, gMask: -1 };

  it("maps the short names to presets and keeps everything a full tokenizer supports", () => {
    const mixed = objectiveForTokenizer("mixed", { special: full });
    expect(mixed.preset).toBe("glm-10b-multitask");
    expect(mixed.settings).toEqual(objectivePresets["glm-10b-multitask"]);
    expect(mixed.special).toEqual(full);
    expect(mixed.notes).toEqual([]);
    expect(objectiveForTokenizer("token", { special: full }).preset).toBe("token");
    expect(objectiveForTokenizer("glm-doc", { special: full }).preset).toBe("glm-doc");
  });

  it("turns off task masks and [dBLOCK] noise a vocabulary cannot express, and says so", () => {
    const r = objectiveForTokenizer("mixed", { special: bertLike });
    expect(r.settings.taskMask).toBe(false);
    expect(r.settings.blockMaskProb).toBe(0);
    expect(r.settings.bertProb).toBe(0.5);
    expect(r.special).toEqual({ eos: 0, cls: 101, mask: 103, sop: 5, eop: 6 });
    expect(r.notes).toHaveLength(2);
    expect(r.notes[0]).toMatch(/no \[sMASK\]\/\[gMASK\]/);
    expect(r.notes[1]).toMatch(/no \[dBLOCK\]/);
  });

  it("takes settings objects, and names the option for an unknown name", () => {
    expect(objectiveForTokenizer({ bertProb: 0.25 }, { special: full })).toMatchObject({ preset: "custom", settings: { bertProb: 0.25, maxBlockLength: 40 } });
    const e = caught(() => objectiveForTokenizer("nope", { special: full }));
    expect(e.option).toBe("objective");
    expect(e.value).toBe("nope");
    expect(e.message).toMatch(/must be one of mixed, token, sentence, document, glm-large-blank/);
    expect(objectiveNames().slice(0, 4)).toEqual(["mixed", "token", "sentence", "document"]);
  });
});

describe("sizes an objective implies", () => {
  const tokenOnly: ObjectiveSettings = objectivePresets.token;

  it("minSeqLength: 34 for objectives that re-cut short windows, else 4; the iterator refuses less, naming seqLength", () => {
    expect(minSeqLength(objectivePresets["glm-10b-multitask"])).toBe(34);
    expect(minSeqLength(tokenOnly)).toBe(4);
    expect(() => checkSeqLength("test", "seqLength", 34, objectivePresets["glm-10b-multitask"])).not.toThrow();
    const e = caught(() =>
      createBatchIterator({
        documents: tokenizedCorpus(syntheticDocuments(20, 50, 100)),
        batchSize: 2,
        seqLength: 32,
        special: SYNTHETIC_SPECIAL,
        sentenceEnd: syntheticSentenceEnd(),
        objective: "glm-10b-multitask",
      }),
    );
    expect([e.option, e.value, e.where]).toEqual(["seqLength", 32, "createBatchIterator"]);
    expect(e.message).toMatch(/must be an integer >= 34 \(this objective re-cuts/);
    expect(
      caught(() =>
        createBatchIterator({
          documents: tokenizedCorpus([Int32Array.of(9)]),
          batchSize: 0,
          seqLength: 8,
          special: SYNTHETIC_SPECIAL,
          sentenceEnd: syntheticSentenceEnd(),
        }),
      ).option,
    ).toBe("batchSize");
    expect(caught(() => new BlockDatasetPacker(tokenizedCorpus([Int32Array.of(9)]), { seqLength: 3, eos: 0, cls: 1, isSentenceEnd: () => false })).option).toBe(
      "seqLength",
    );
  });

  it("maxRowLength bounds every row, and is reached when every span is one token long", async () => {
    const S = 64;
    const docs = syntheticDocuments(60, 20, 400, 3);
    const rows = async (settings: Partial<ObjectiveSettings>, seed: number) => {
      const it = createBatchIterator({
        documents: tokenizedCorpus(docs),
        batchSize: 8,
        seqLength: S,
        special: SYNTHETIC_SPECIAL,
        sentenceEnd: syntheticSentenceEnd(),
        objective: settings,
        seed,
      });
      const lengths: number[] = [];
      for (let b = 0; b < 40; b++) {
        const batch = (await it.next())!;
        expect(batch.seqLength).toBe(Math.max(...batch.lengths));
        lengths.push(...batch.lengths);
      }
      return lengths;
    };
    for (const name of ["glm-10b-multitask", "glm-10b-longer", "sentence", "document", "token"] as const) {
      const settings = objectivePresets[name];
      const bound = maxRowLength(S, settings);
      expect(Math.max(...(await rows(settings, 7))), name).toBeLessThanOrEqual(bound);
    }
    // Spans of length 1 only (maxBlockLength 2 draws from 1 … 1): floor(0.15 · 64) = 9 spans in a
    // full 64-token sample, so rows of 64 + 18 = 82 tokens: exactly the bound.
    const ones = { ...tokenOnly, maxBlockLength: 2 };
    expect(maxRowLength(S, ones)).toBe(82);
    const lengths = await rows(ones, 1);
    expect(Math.max(...lengths)).toBe(82);
    // Sentence mode with a larger ratio has the larger bound.
    expect(maxRowLength(S, { ...tokenOnly, bertProb: 0, gapSentenceProb: 1, gapSentenceRatio: 0.5 })).toBe(64 + 64);
    expect(maxRowLength(S, objectivePresets.document)).toBe(66);
  });
});
