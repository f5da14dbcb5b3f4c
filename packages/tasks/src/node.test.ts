// Node file readers and the dataset presets on the shared data.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sharedPath } from "@glmjs/test-utils";
import { loadTokenizer } from "@glmjs/tokenizer";
import { describe, expect, it } from "vitest";
import { CLOZE_PRESETS, clozePreset } from "./cloze/cloze-presets.js";
import { ClozeTask } from "./cloze/cloze-task.js";
import { SEQ2SEQ_PRESETS, restorePtbBrackets } from "./seq2seq/seq2seq-presets.js";
import { Seq2seqTask } from "./seq2seq/seq2seq-task.js";
import { loadClozePreset, loadSeq2seqPreset, readClozeFile, readSeq2seqFiles, readTextFile } from "./node.js";
import { rejectedCode } from "@glmjs/test-utils/error-codes";

const dir = mkdtempSync(join(tmpdir(), "glmjs-tasks-"));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe("user data files", () => {
  it("reads TSV and JSONL cloze data, naming file and line of a corrupt row", async () => {
    const tsv = file("mine.tsv", "review\tlabel\nloved it\tpos\nbroken line\nhated it\tneg\n");
    await expect(readClozeFile(tsv, { fields: ["review", "label"] })).rejects.toThrow(`${tsv}:3: expected 2 tab-separated fields (review, label), found 1`);
    const skipped = await readClozeFile(tsv, { fields: ["review", "label"], skipInvalid: true });
    expect(skipped.examples).toEqual([
      { review: "loved it", label: "pos" },
      { review: "hated it", label: "neg" },
    ]);
    expect(skipped.skipped).toHaveLength(1);
    const jsonl = file("mine.jsonl", '{"review":"loved it","label":1}\n{"review":"meh"}\n');
    await expect(readClozeFile(jsonl, { fields: ["review", "label"] })).rejects.toThrow(`${jsonl}:2: has no field "label"`);
    expect((await readClozeFile(jsonl, { fields: ["review"] })).examples).toEqual([{ review: "loved it" }, { review: "meh" }]);
    await expect(readTextFile(join(dir, "absent.tsv"))).rejects.toThrow(/absent\.tsv does not exist/);
    expect(await rejectedCode(readTextFile(join(dir, "absent.tsv")))).toBe("FILE_NOT_FOUND");
    expect(await rejectedCode(readTextFile(dir))).toBe("FILE_UNREADABLE");
  });

  it("reads seq2seq data as line pairs or a table", async () => {
    const src = file("train.source", "the cat sat .\na dog ran .\n");
    const tgt = file("train.target", "cat\ndog\n");
    expect((await readSeq2seqFiles(src, tgt)).examples).toEqual([
      { source: "the cat sat .", target: "cat" },
      { source: "a dog ran .", target: "dog" },
    ]);
    const jsonl = file("pairs.jsonl", '{"source":"s1","target":"t1","answer":"a1"}\n{"source":"s2","target":"t2"}\n');
    expect((await readSeq2seqFiles(jsonl)).examples).toEqual([
      { source: "s1", target: "t1", answer: "a1" },
      { source: "s2", target: "t2" },
    ]);
    const short = file("short.target", "cat\n");
    await expect(readSeq2seqFiles(src, short)).rejects.toThrow(`${src}: has 2 lines but ${short} has 1`);
  });
});

const data = sharedPath("data");
const vocab = sharedPath("vocab");

describe.skipIf(!data)("presets on the shared datasets", () => {
  it("loads the cloze presets; their patterns and words build tasks with real tokenizers", async () => {
    const sp = await loadClozePreset("sentence_polarity", join(data!, "sentence_polarity"));
    expect([sp.train.length, sp.dev.length]).toEqual([7464, 1066]);
    expect(sp.train[0]).toEqual({ sentence: expect.any(String), label: expect.stringMatching(/^[01]$/) });
    expect(() => clozePreset("sst5")).toThrow(/no cloze preset "sst5"; presets: sentence_polarity, subjectivity, sentiment_labelled_sentences/);
    if (!vocab) return;
    for (const name of ["bert-base-uncased-vocab.txt", "gpt2-vocab.json"]) {
      const tok = await loadTokenizer(join(vocab, name));
      for (const preset of Object.values(CLOZE_PRESETS)) {
        const { train } = await loadClozePreset(preset.name, join(data!, preset.name));
        const task = new ClozeTask(tok, preset.task);
        expect(task.mode, `${preset.name} with ${name}`).toBe("single");
        const e = task.encode(train[0]!);
        expect(e.rows[0]!.ids.length).toBeLessThanOrEqual(preset.task.maxLength);
      }
    }
  });

  it("loads the seq2seq presets with disjoint train/dev splits", async () => {
    const sci = await loadSeq2seqPreset("scitldr", join(data!, "scitldr"));
    expect([sci.train.length, sci.dev.length]).toEqual([1992, 619]);
    expect(sci.dev.some((e) => e.references!.length > 1)).toBe(true);
    for (const name of ["squad_qg", "e2e_nlg"] as const) {
      const p = await loadSeq2seqPreset(name, join(data!, name));
      expect(p.train.length + p.dev.length).toBe(name === "squad_qg" ? 10570 : 4672);
      expect(p.dev.length / (p.train.length + p.dev.length)).toBeGreaterThan(0.05);
      expect(p.dev.length / (p.train.length + p.dev.length)).toBeLessThan(0.15);
      const trainSources = new Set(p.train.map((e) => e.source));
      expect(p.dev.some((e) => trainSources.has(e.source))).toBe(false);
    }
    const qg = await loadSeq2seqPreset("squad_qg", join(data!, "squad_qg"));
    expect(qg.train.some((e) => e.source.includes("-lrb-"))).toBe(false);
    expect(restorePtbBrackets("the afc -lrb- nfc -rrb- -LSB- x -RSB-")).toBe("the afc ( nfc ) [ x ]");
    if (!vocab) return;
    const tok = await loadTokenizer(join(vocab, "bert-base-uncased-vocab.txt"));
    for (const preset of Object.values(SEQ2SEQ_PRESETS)) {
      const p = await loadSeq2seqPreset(preset.name, join(data!, preset.name));
      const task = new Seq2seqTask(tok, preset.task);
      const s = task.buildSample(p.train[0]!);
      expect(s.sep).toBe(preset.task.sourceLength);
      expect(s.inputIds.length - s.sep).toBeLessThanOrEqual(preset.task.targetLength);
    }
  });
});
