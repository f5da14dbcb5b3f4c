import { join } from "node:path";
import { sharedPath } from "@glmjs/test-utils";
import { loadTokenizer, type Tokenizer } from "@glmjs/tokenizer";
import { beforeAll, describe, expect, it } from "vitest";
import { ClozeTask } from "./cloze-task.js";
import { encodePattern, parsePattern, truncateParts } from "./pattern.js";
import { parseVerbalizer } from "./verbalizer.js";
import { thrownCode } from "@glmjs/test-utils/error-codes";

describe("parsePattern", () => {
  it("splits a template into fields, literals and the blank", () => {
    const p = parsePattern("{sentence} It was [MASK].");
    expect(p.parts).toEqual([{ kind: "field", name: "sentence" }, { kind: "text", text: " It was" }, { kind: "mask" }, { kind: "text", text: "." }]);
    expect(p.fields).toEqual(["sentence"]);
    expect(parsePattern('"{hypothesis}" ? [MASK], "{premise}"').fields).toEqual(["hypothesis", "premise"]);
    expect(parsePattern("{{x}} {a}[MASK]").parts[0]).toEqual({ kind: "text", text: "{x} " });
  });

  it("refuses templates without exactly one blank or field, and broken braces", () => {
    expect(() => parsePattern("{a} It was.")).toThrow(/exactly one \[MASK\] \(found 0\)/);
    expect(() => parsePattern("{a} [MASK] [MASK]")).toThrow(/found 2/);
    expect(() => parsePattern("It was [MASK].")).toThrow(/reads no field/);
    expect(() => parsePattern("{a [MASK]")).toThrow(/not closed/);
    expect(() => parsePattern("{a b} [MASK]")).toThrow(/not a field name/);
    expect(() => parsePattern("a} {b} [MASK]")).toThrow(/has no "\{"/);
    for (const bad of ["", "{a} It was.", "{a [MASK]", "{a b} [MASK]", "It was [MASK]."]) expect(thrownCode(() => parsePattern(bad))).toBe("PATTERN_INVALID");
  });
});

describe("parseVerbalizer", () => {
  it("reads label=word pairs, JSON and objects, in the order given", () => {
    expect(parseVerbalizer("0=terrible, 1=great")).toEqual({ labels: ["0", "1"], words: ["terrible", "great"] });
    expect(parseVerbalizer('{"pos":" good","neg":" bad"}')).toEqual({ labels: ["pos", "neg"], words: [" good", " bad"] });
    expect(parseVerbalizer({ a: "x", b: "y" })).toEqual({ labels: ["a", "b"], words: ["x", "y"] });
  });

  it("explains what is wrong", () => {
    expect(() => parseVerbalizer("great,terrible")).toThrow(/not label=word/);
    expect(() => parseVerbalizer("0=a")).toThrow(/at least two labels/);
    expect(() => parseVerbalizer("0=a,0=b")).toThrow(/appears twice/);
    expect(() => parseVerbalizer("0=a,1=")).toThrow(/word of label "1" is empty/);
    expect(() => parseVerbalizer("{oops")).toThrow(/not valid JSON/);
    for (const bad of ["great,terrible", "0=a", "0=a,0=b", "0=a,1=", "{oops"]) expect(thrownCode(() => parseVerbalizer(bad))).toBe("LABEL_WORDS_INVALID");
  });
});

describe("truncateParts", () => {
  it("removes tokens from the end of the last non-empty field, never from literals", () => {
    const parts = [
      { ids: [1, 2, 3], shortenable: true },
      { ids: [9], shortenable: false },
      { ids: [4, 5], shortenable: true },
      { ids: [8], shortenable: false },
    ];
    expect(truncateParts(parts, 2, 7)).toBe(2);
    expect(parts.map((p) => p.ids)).toEqual([[1, 2, 3], [9], [], [8]]);
    expect(truncateParts(parts, 2, 5)).toBe(2);
    expect(parts.map((p) => p.ids)).toEqual([[1], [9], [], [8]]);
    expect(() => truncateParts(parts, 2, 3)).toThrow(/take 4 tokens, more than the maximum length 3/);
    expect(thrownCode(() => truncateParts(parts, 2, 3))).toBe("SEQUENCE_TOO_LONG");
  });
});

const vocab = sharedPath("vocab");

describe.skipIf(!vocab)("pattern tokenisation with real tokenizers", () => {
  let bert: Tokenizer;
  let gpt2: Tokenizer;
  beforeAll(async () => {
    bert = await loadTokenizer(join(vocab!, "bert-base-uncased-vocab.txt"));
    gpt2 = await loadTokenizer(join(vocab!, "gpt2-vocab.json"));
  });

  it("tokenizes every part on its own (BPE merges never cross a part boundary)", () => {
    const p = parsePattern("{stem}ning [MASK].");
    const parts = encodePattern(p, { stem: "run" }, (t) => gpt2.encode(t), gpt2.special.mask);
    expect(parts.map((x) => x.ids)).toEqual([gpt2.encode("run"), gpt2.encode("ning"), [gpt2.special.mask], gpt2.encode(".")]);
    expect(parts.flatMap((x) => x.ids)).not.toEqual(gpt2.encode("running [MASK]."));
    // A literal's leading space is kept: " It" and "It" are different BPE tokens.
    const spaced = encodePattern(parsePattern("{s} It was [MASK]."), { s: "fine" }, (t) => gpt2.encode(t), gpt2.special.mask);
    expect(spaced[1]!.ids[0]).toBe(gpt2.tokenToId("ĠIt"));
  });

  it("builds the single-token row [CLS] sentence ' It was' [MASK] '.' [eos] [sop] with both tokenizers", () => {
    for (const tok of [bert, gpt2]) {
      const task = new ClozeTask(tok, { pattern: "{sentence} It was [MASK].", verbalizer: "0=terrible,1=great" });
      expect(task.mode).toBe("single");
      expect(task.answerIds).toEqual([tok.encode(" terrible"), tok.encode(" great")]);
      const s = tok.special;
      const e = task.encode({ sentence: "a charming , often affecting journey .", label: "1" });
      expect(e.label).toBe(1);
      expect(e.rows).toHaveLength(1);
      const context = [...tok.encode("a charming , often affecting journey ."), ...tok.encode(" It was"), s.mask, ...tok.encode(".")];
      const row = e.rows[0]!;
      expect(row.ids).toEqual([s.cls, ...context, s.eos, s.sop]);
      expect(row.sep).toBe(context.length + 2);
      expect(row.positionIds.at(-1)).toBe(row.ids.indexOf(s.mask));
      expect(row.blockPositionIds.at(-1)).toBe(1);
    }
  });

  it("standardises punctuation in fields as the original's readers do", () => {
    const task = new ClozeTask(gpt2, { pattern: "{sentence} It was [MASK].", verbalizer: "0=terrible,1=great" });
    const curly = task.encode({ sentence: "\u201cit\u2019s fine\u201d \u2013 ok" }).rows[0]!.ids;
    const plain = task.encode({ sentence: '"it\'s fine" - ok' }).rows[0]!.ids;
    expect(curly).toEqual(plain);
    const raw = new ClozeTask(gpt2, { pattern: "{sentence} It was [MASK].", verbalizer: "0=terrible,1=great", standardizePunctuation: false });
    expect(raw.encode({ sentence: "\u201cit\u2019s fine\u201d \u2013 ok" }).rows[0]!.ids).not.toEqual(plain);
  });

  it("uses one row per label for multi-token answers, each with answer + eop as targets", () => {
    const task = new ClozeTask(bert, { pattern: "{sentence} It was [MASK].", verbalizer: "0=dreadfully dull,1=great" });
    expect(task.mode).toBe("multi");
    const e = task.encode({ sentence: "a fine film", label: "0" });
    expect(e.rows).toHaveLength(2);
    const answer = bert.encode(" dreadfully dull");
    const row = e.rows[0]!;
    expect(row.ids.slice(row.sep)).toEqual([bert.special.sop, ...answer]);
    expect(row.targetIds.slice(row.sep)).toEqual([...answer, bert.special.eop]);
    expect(row.logitMask.slice(row.sep).every((m) => m === 1)).toBe(true);
    expect(() => new ClozeTask(bert, { pattern: "{s} [MASK]", verbalizer: "0=dreadfully dull,1=great", answers: "single" })).toThrow(
      /"dreadfully dull" is \d+ tokens/,
    );
    expect(thrownCode(() => new ClozeTask(bert, { pattern: "{s} [MASK]", verbalizer: "0=dreadfully dull,1=great", answers: "single" }))).toBe(
      "LABEL_WORDS_INVALID",
    );
    expect(thrownCode(() => new ClozeTask(bert, { pattern: "{s} [MASK]", verbalizer: "0=great,1=great" }))).toBe("LABEL_WORDS_INVALID");
    expect(thrownCode(() => new ClozeTask(bert, { pattern: "{s} [MASK]", verbalizer: "0=bad,1=great", maxLength: 4 }))).toBe("OPTION_INVALID");
  });

  it("truncates the sentence, not the pattern, to maxLength (answer and special tokens counted)", () => {
    const sentence = "it's a charming and often affecting journey , and a long one that goes on and on .";
    const task = new ClozeTask(bert, { pattern: "{sentence} It was [MASK].", verbalizer: "0=terrible,1=great", maxLength: 16 });
    const e = task.encode({ sentence });
    const s = bert.special;
    const tail = [...bert.encode(" It was"), s.mask, ...bert.encode(".")];
    const keep = 16 - 3 - tail.length; // [CLS], eos and the [sop] piece
    expect(e.rows[0]!.ids).toEqual([s.cls, ...bert.encode(sentence).slice(0, keep), ...tail, s.eos, s.sop]);
    expect(e.truncated).toBe(bert.encode(sentence).length - keep);
    expect(() => task.encode({ other: "x" })).toThrow(/no text field "sentence"/);
    expect(() => task.encode({ sentence: "x", label: "7" })).toThrow(/label "7" is not one of/);
    expect(thrownCode(() => task.encode({ other: "x" }))).toBe("EXAMPLE_INVALID");
    expect(thrownCode(() => task.encode({ sentence: "x", label: "7" }))).toBe("EXAMPLE_INVALID");
  });
});
