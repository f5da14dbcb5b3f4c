import { GlmjsError } from "@glmjs/common";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { globToRegExp } from "./files.js";
import { CorpusError, CorpusIssues } from "./corpus-issues.js";
import { readCorpus, type CorpusOptions } from "./read-corpus.js";

const root = mkdtempSync(join(tmpdir(), "glmjs-corpus-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "books", "more"), { recursive: true });
writeFileSync(join(root, "books", "a.txt"), "First doc line one.\nline two.\n\n\nSecond doc.\r\n\r\nThird doc.\n");
writeFileSync(join(root, "books", "more", "b.txt"), "Only doc of b.");
writeFileSync(join(root, "lines.txt"), "one\n\ntwo\nthree\n");
writeFileSync(
  join(root, "data.jsonl"),
  ['{"text": "json one"}', "{broken", '{"body": "no text"}', '{"text": ""}', "", '{"text": "json two", "x": 1}'].join("\n"),
);
writeFileSync(
  join(root, "bad.txt"),
  Buffer.concat([Buffer.from("good line\n"), Buffer.from([0xff, 0xfe, 0x41, 0x0a]), Buffer.from("x".repeat(5000) + "\nafter giant\n")]),
);

async function collect(options: CorpusOptions) {
  const out = [];
  for await (const d of readCorpus(options)) out.push(d);
  return out;
}

describe("readCorpus", () => {
  it("splits text into documents at blank lines, walking folders in sorted order", async () => {
    const docs = await collect({ paths: [join(root, "books")] });
    expect(docs.map((d) => d.text)).toEqual(["First doc line one.\nline two.", "Second doc.", "Third doc.", "Only doc of b."]);
    expect(docs.map((d) => d.line)).toEqual([1, 5, 7, 1]);
    expect(docs.map((d) => d.index)).toEqual([0, 1, 2, 3]);
  });

  it("reads one document per line and counts empty lines", async () => {
    const issues = new CorpusIssues();
    const docs = await collect({ paths: [join(root, "lines.txt")], documents: "line", issues });
    expect(docs.map((d) => d.text)).toEqual(["one", "two", "three"]);
    expect(issues.counts["empty-document"]).toBe(1);
    expect(issues.examples[0]).toMatchObject({ line: 2 });
  });

  it("reads JSONL and reports broken lines, missing fields and empty texts with their line", async () => {
    const issues = new CorpusIssues();
    const docs = await collect({ paths: [join(root, "*.jsonl")], issues });
    expect(docs.map((d) => d.text)).toEqual(["json one", "json two"]);
    expect(issues.counts["broken-json"]).toBe(1);
    expect(issues.counts["missing-text-field"]).toBe(1);
    expect(issues.counts["empty-document"]).toBe(1);
    expect(issues.examples.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(issues.summary()).toContain("data.jsonl:2");
  });

  it("skips invalid UTF-8 and giant lines with a count, or stops on them when fatal", async () => {
    const issues = new CorpusIssues();
    const docs = await collect({ paths: [join(root, "bad.txt")], documents: "line", maxLineBytes: 1000, issues });
    expect(docs.map((d) => d.text)).toEqual(["good line", "after giant"]);
    expect(issues.counts["invalid-utf8"]).toBe(1);
    expect(issues.counts["giant-line"]).toBe(1);
    expect(issues.examples.map((e) => [e.kind, e.line])).toEqual([
      ["invalid-utf8", 2],
      ["giant-line", 3],
    ]);
    await expect(collect({ paths: [join(root, "bad.txt")], documents: "line", onError: "fatal" })).rejects.toThrow(CorpusError);
    await expect(collect({ paths: [join(root, "bad.txt")], documents: "line", onError: "fatal" })).rejects.toThrow(/bad\.txt:2: invalid-utf8/);
    const err = await collect({ paths: [join(root, "bad.txt")], documents: "line", onError: "fatal" }).catch((e: unknown) => e);
    expect(GlmjsError.is(err, "CORPUS_INVALID")).toBe(true);
  });

  it("shards disjointly and orders files deterministically for a seed", async () => {
    const all = await collect({ paths: [join(root, "**/*.txt")], documents: "line", seed: 3 });
    const again = await collect({ paths: [join(root, "**/*.txt")], documents: "line", seed: 3 });
    expect(again).toEqual(all);
    const parts = await Promise.all(
      [0, 1].map((index) => collect({ paths: [join(root, "**/*.txt")], documents: "line", seed: 3, shard: { index, count: 2 } })),
    );
    expect(parts[0]!.length + parts[1]!.length).toBe(all.length);
    expect(parts[0]!.map((d) => d.text)).toEqual(all.filter((_, i) => i % 2 === 0).map((d) => d.text));
  });

  it("names a missing path or an empty pattern", async () => {
    await expect(collect({ paths: [join(root, "nope.txt")] })).rejects.toThrow(/nope\.txt" does not exist/);
    await expect(collect({ paths: [join(root, "*.csv")] })).rejects.toThrow(
      expect.objectContaining({ code: "FILE_NOT_FOUND", message: expect.stringMatching(/matches no file/) }),
    );
  });

  it("translates globs", () => {
    expect(globToRegExp("**/*.txt").test("a/b/c.txt")).toBe(true);
    expect(globToRegExp("**/*.txt").test("c.txt")).toBe(true);
    expect(globToRegExp("*.txt").test("a/c.txt")).toBe(false);
    expect(globToRegExp("f?.jsonl").test("f1.jsonl")).toBe(true);
  });
});
