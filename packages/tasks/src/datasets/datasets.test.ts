import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GlmjsError } from "@glmjs/common";
import { sharedPath } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";
import { DatasetError } from "./dataset-error.js";
import { parseE2eNlg } from "./e2e-nlg.js";
import { splitByGroup } from "./group-split.js";
import { parseJsonl } from "./jsonl.js";
import { parseLinePairs } from "./line-pairs.js";
import { textRecords } from "./records.js";
import { parseScitldr } from "./scitldr.js";
import { parseTsv } from "./tsv.js";

describe("parseTsv", () => {
  it("reads a header and rows (BOM, CRLF, trailing newline, blank lines)", () => {
    const t = parseTsv("\uFEFFsentence\tlabel\r\ngood film .\t1\r\n\r\nbad film .\t0\r\n", { source: "x.tsv" });
    expect(t.columns).toEqual(["sentence", "label"]);
    expect(t.rows).toEqual([
      { sentence: "good film .", label: "1" },
      { sentence: "bad film .", label: "0" },
    ]);
    expect(t.lines).toEqual([2, 4]);
    expect(parseTsv("a\t1\n", { columns: ["s", "l"] }).rows).toEqual([{ s: "a", l: "1" }]);
  });

  it("names file and line of a corrupt row, or skips and counts it when asked", () => {
    const text = "sentence\tlabel\nok\t1\nno label here\nx\ty\tz\nfine\t0\n";
    expect(() => parseTsv(text, { source: "data/train.tsv" })).toThrow(DatasetError);
    const err = (() => {
      try {
        parseTsv(text, { source: "data/train.tsv" });
      } catch (e) {
        return e;
      }
    })();
    // A glmjs error with a code, so callers branch on it across package copies.
    expect(GlmjsError.is(err, "DATASET_INVALID")).toBe(true);
    expect([(err as DatasetError).name, (err as DatasetError).source, (err as DatasetError).line]).toEqual(["DatasetError", "data/train.tsv", 3]);
    expect(() => parseTsv(text, { source: "data/train.tsv" })).toThrow("data/train.tsv:3: expected 2 tab-separated fields (sentence, label), found 1");
    const t = parseTsv(text, { source: "data/train.tsv", skipInvalid: true });
    expect(t.rows.map((r) => r.sentence)).toEqual(["ok", "fine"]);
    expect(t.skipped.map((s) => s.line)).toEqual([3, 4]);
    expect(() => parseTsv("", { source: "e.tsv" })).toThrow("e.tsv: is empty");
    expect(() => parseTsv("a\ta\n", { source: "d.tsv" })).toThrow(/column "a" appears twice/);
  });
});

describe("parseJsonl", () => {
  it("reads objects and names a broken line", () => {
    const r = parseJsonl('{"text":"a","label":1}\n\n{"text":"b","label":0}', { source: "d.jsonl" });
    expect(r.rows).toHaveLength(2);
    expect(r.lines).toEqual([1, 3]);
    expect(() => parseJsonl('{"a":1}\n{"a":\n', { source: "d.jsonl" })).toThrow(/^d\.jsonl:2: not valid JSON/);
    expect(() => parseJsonl("[1,2]\n", { source: "d.jsonl" })).toThrow("d.jsonl:1: expected a JSON object, found an array");
    expect(parseJsonl('{"a":1}\nnope\n', { skipInvalid: true }).skipped).toEqual([{ line: 2, problem: expect.stringContaining("not valid JSON") }]);
  });
});

describe("textRecords", () => {
  it("turns JSON scalars into text and names the line of a missing field", () => {
    const table = parseJsonl('{"text":"a","label":1}\n{"text":"b"}\n{"text":["x"],"label":0}\n', { source: "u.jsonl" });
    expect(() => textRecords(table, ["text", "label"], { source: "u.jsonl" })).toThrow('u.jsonl:2: has no field "label" (fields: text)');
    const r = textRecords(table, ["text", "label"], { source: "u.jsonl", skipInvalid: true });
    expect(r.records).toEqual([{ text: "a", label: "1" }]);
    expect(r.skipped.map((s) => [s.line, s.problem])).toEqual([
      [2, 'has no field "label" (fields: text)'],
      [3, 'field "text" must be text, found an array'],
    ]);
  });
});

describe("parseCsv", () => {
  it("handles quoted commas, doubled quotes and line breaks inside quotes", () => {
    const t = parseCsv('mr,ref\n"name[A], area[x]","He said ""hi"", then\nleft."\nplain,row\n', { source: "c.csv" });
    expect(t.rows).toEqual([
      { mr: "name[A], area[x]", ref: 'He said "hi", then\nleft.' },
      { mr: "plain", ref: "row" },
    ]);
    expect(t.lines).toEqual([2, 4]);
  });

  it("names the line of a malformed record", () => {
    expect(() => parseCsv('a,b\n"x,y\n', { source: "c.csv" })).toThrow("c.csv:2: a quoted field is never closed");
    expect(() => parseCsv('a,b\nx"y,z\n', { source: "c.csv" })).toThrow(/c\.csv:2: a quote inside the unquoted field 1/);
    expect(() => parseCsv('a,b\n"x"y,z\n', { source: "c.csv" })).toThrow(/c\.csv:2: text after the closing quote/);
    expect(() => parseCsv("a,b\n1,2,3\n", { source: "c.csv" })).toThrow("c.csv:2: expected 2 comma-separated fields (a, b), found 3");
    expect(parseCsv("a,b\n1,2,3\n4,5\n", { skipInvalid: true }).rows).toEqual([{ a: "4", b: "5" }]);
  });
});

describe("task formats", () => {
  it("parses SciTLDR records", () => {
    const line = JSON.stringify({ source: ["First sentence.", " Second one."], target: ["A tl;dr."], paper_id: "p1" });
    expect(parseScitldr(line + "\n").records).toEqual([{ id: "p1", source: "First sentence. Second one.", targets: ["A tl;dr."] }]);
    expect(() => parseScitldr('{"source":[],"target":["x"]}', { source: "s.jsonl" })).toThrow('s.jsonl:1: "source" must be a non-empty list of sentences');
  });

  it("pairs source and target lines, refusing misaligned files", () => {
    expect(parseLinePairs("a sentence . \nb\n", "q1 ?\nq2\n").pairs).toEqual([
      { source: "a sentence .", target: "q1 ?" },
      { source: "b", target: "q2" },
    ]);
    expect(() => parseLinePairs("a\nb\n", "q\n", { sourceName: "src.txt", targetName: "tgt.txt" })).toThrow("src.txt: has 2 lines but tgt.txt has 1");
    expect(() => parseLinePairs("a\n \n", "q\nr\n", { sourceName: "src.txt" })).toThrow("src.txt:2: is blank");
    expect(parseLinePairs("a\n \n", "q\nr\n", { skipInvalid: true }).skipped).toBe(1);
  });

  it("splits by group deterministically, keeping each group on one side", () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ group: `g${i % 80}`, i }));
    const a = splitByGroup(items, (x) => x.group, 0.25, 7);
    const b = splitByGroup(items, (x) => x.group, 0.25, 7);
    expect(a).toEqual(b);
    const heldGroups = new Set(a.heldOut.map((x) => x.group));
    expect(a.train.some((x) => heldGroups.has(x.group))).toBe(false);
    expect(heldGroups.size).toBeGreaterThan(8);
    expect(heldGroups.size).toBeLessThan(32);
    expect(splitByGroup(items, (x) => x.group, 0.25, 8)).not.toEqual(a);
  });
});

const data = sharedPath("data");

describe.skipIf(!data)("the shared datasets parse completely", () => {
  const read = (...p: string[]) => readFileSync(join(data!, ...p), "utf8");

  it("sentence_polarity, subjectivity, sentiment_labelled_sentences", () => {
    expect(parseTsv(read("sentence_polarity", "train.tsv")).rows).toHaveLength(7464);
    expect(parseTsv(read("sentence_polarity", "dev.tsv")).rows).toHaveLength(1066);
    expect(parseTsv(read("subjectivity", "train.tsv")).rows).toHaveLength(7000);
    const sls = parseTsv(read("sentiment_labelled_sentences", "dev.tsv"));
    expect(sls.columns).toEqual(["sentence", "label", "source"]);
    expect(sls.rows).toHaveLength(298);
  });

  it("scitldr, squad_qg, e2e_nlg", () => {
    const dev = parseScitldr(read("scitldr", "dev.jsonl")).records;
    expect(dev).toHaveLength(619);
    expect(dev.some((r) => r.targets.length > 1)).toBe(true);
    expect(parseScitldr(read("scitldr", "train.jsonl")).records).toHaveLength(1992);
    expect(parseLinePairs(read("squad_qg", "src-dev.txt"), read("squad_qg", "tgt-dev.txt")).pairs).toHaveLength(10570);
    const e2e = parseE2eNlg(read("e2e_nlg", "devset.csv")).records;
    expect(e2e).toHaveLength(4672);
    expect(new Set(e2e.map((r) => r.mr)).size).toBe(547);
  });
});
