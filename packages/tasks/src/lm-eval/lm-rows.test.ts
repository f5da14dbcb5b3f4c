// The rows of the LAMBADA and perplexity evaluations against hand-worked layouts (GLM.md §5.5).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { loadTokenizer } from "@glmjs/tokenizer";
import { sharedPath } from "@glmjs/test-utils";
import { describe, expect, it } from "vitest";
import { lambadaIds, lambadaRow, parseLambada, splitLastWord } from "./lambada.js";
import { lmSpecialIds, type LmRow, type LmTokenizer } from "./lm-row.js";
import { perplexityWindow, windowCount } from "./perplexity-windows.js";

const SPECIAL = { cls: 1, eos: 0, sop: 3, mask: 4 };

/** Columns of a row, for reading a layout at a glance. */
function layout(r: LmRow) {
  return { ids: r.inputIds, pos: r.positionIds, block: r.blockPositionIds, targets: r.targets, loss: r.lossMask, sep: r.sep };
}

describe("lambadaRow", () => {
  const context = [10, 11, 12];
  const answer = [20, 21];

  it("bidirectional: [CLS] context [M] [eos] | [sop] answer[:-1], targets = answer", () => {
    //        CLS  c0  c1  c2  M  eos | sop a0
    // pos     0   1   2   3   4   5  |  4   4     (Part B at the [M]'s position)
    // block   0   0   0   0   0   0  |  1   2
    expect(layout(lambadaRow(context, answer, SPECIAL, { seqLength: 64 }).row)).toEqual({
      ids: [1, 10, 11, 12, 4, 0, 3, 20],
      pos: [0, 1, 2, 3, 4, 5, 4, 4],
      block: [0, 0, 0, 0, 0, 0, 1, 2],
      targets: [0, 0, 0, 0, 0, 0, 20, 21],
      loss: [0, 0, 0, 0, 0, 0, 1, 1],
      sep: 6,
    });
  });

  it("unidirectional: [CLS] c0 [M] [eos] | [sop] c1 c2 a0, loss on the answer only", () => {
    //        CLS  c0  M  eos | sop  c1  c2  a0
    // pos     0   1   2   3  |  2   2   2   2
    // block   0   0   0   0  |  1   2   3   4
    // target                 |  c1  c2  a0  a1   (scored: a0, a1)
    expect(layout(lambadaRow(context, answer, SPECIAL, { seqLength: 64, mode: "unidirectional" }).row)).toEqual({
      ids: [1, 10, 4, 0, 3, 11, 12, 20],
      pos: [0, 1, 2, 3, 2, 2, 2, 2],
      block: [0, 0, 0, 0, 1, 2, 3, 4],
      targets: [0, 0, 0, 0, 11, 12, 20, 21],
      loss: [0, 0, 0, 0, 0, 0, 1, 1],
      sep: 4,
    });
  });

  it("left-truncates the context to seqLength (|context| + |answer| + 3 positions)", () => {
    // 3 + 2 + 3 = 8 > 7: the oldest context token (10) goes.
    const bi = lambadaRow(context, answer, SPECIAL, { seqLength: 7 });
    expect(bi.truncated).toBe(1);
    expect(bi.row.inputIds).toEqual([1, 11, 12, 4, 0, 3, 20]);
    // Unidirectional: the first remaining context token (11) moves into Part A.
    const uni = lambadaRow(context, answer, SPECIAL, { seqLength: 7, mode: "unidirectional" });
    expect(layout(uni.row)).toEqual({
      ids: [1, 11, 4, 0, 3, 12, 20],
      pos: [0, 1, 2, 3, 2, 2, 2],
      block: [0, 0, 0, 0, 1, 2, 3],
      targets: [0, 0, 0, 0, 12, 20, 21],
      loss: [0, 0, 0, 0, 0, 1, 1],
      sep: 4,
    });
    expect(() => lambadaRow(context, answer, SPECIAL, { seqLength: 4 })).toThrow(/does not fit in seqLength 4/);
  });

  it("an empty context still has [CLS] [M] [eos]", () => {
    expect(lambadaRow([], [20], SPECIAL, { seqLength: 8 }).row.inputIds).toEqual([1, 4, 0, 3]);
  });
});

describe("LAMBADA passages", () => {
  it("splits off the last whitespace-separated word; the context is the text before it, stripped", () => {
    expect(splitLastWord("  he said , `` good luck , rowan \n")).toEqual({ context: "he said , `` good luck ,", lastWord: "rowan" });
    expect(() => splitLastWord("   ")).toThrow(/empty passage/);
  });

  it("reads plain lines and JSON lines, skipping blank lines", () => {
    expect(parseLambada('first passage here\n\n{"text": "second one"}\r\nthird\n')).toEqual(["first passage here", "second one", "third"]);
    expect(() => parseLambada('{"txt": 1}')).toThrow(/line 1: a JSON line needs a string "text" field/);
  });

  it("encodes the answer as tok(' ' + last word)", () => {
    const seen: string[] = [];
    const tok: LmTokenizer = {
      encode: (t) => (
        seen.push(t),
        t.trim() === ""
          ? []
          : t
              .trim()
              .split(/\s+/)
              .map((w) => w.length)
      ),
      special: { cls: 1, eos: 0, sop: 3, mask: 2, gMask: -1 },
    };
    expect(lambadaIds(tok, "a bb ccc dddd")).toEqual({ contextIds: [1, 2, 3], answerIds: [4] });
    expect(seen).toEqual([" dddd", "a bb ccc"]);
    // No gMASK in this tokenizer: [M] is [MASK].
    expect(lmSpecialIds(tok).mask).toBe(2);
    expect(() => lmSpecialIds(tok, "gMASK")).toThrow(/no \[gMASK\] token/);
  });

  const vocab = sharedPath("vocab", "bert-base-uncased-vocab.txt");
  it.skipIf(!vocab)("WordPiece: the leading space changes nothing; context + answer = the passage's ids", async () => {
    const tok = await loadTokenizer(vocab as string);
    const passage = "`` nineteen , '' she said , and he loosed a breath that could have been sadness or relief or maybe both , rowan";
    const { contextIds, answerIds } = lambadaIds(tok, passage);
    expect(answerIds).toEqual(tok.encode("rowan"));
    expect([...contextIds, ...answerIds]).toEqual(tok.encode(passage));
    // The BERT tokenizer of glmjs has [gMASK] (30524), so it is the default [M].
    expect(lmSpecialIds(tok)).toEqual({ cls: 101, eos: 0, sop: 30522, mask: 30524 });
    expect(lmSpecialIds(tok, "MASK").mask).toBe(103);
  });

  const gpt2 = sharedPath("vocab", "gpt2-vocab.json");
  it.skipIf(!gpt2)('byte-level BPE: the answer is the word as it follows a space ("Ġrow an", not "row an")', async () => {
    const dir = dirname(gpt2 as string);
    const tok = await loadTokenizer({
      "gpt2-vocab.json": await readFile(join(dir, "gpt2-vocab.json"), "utf8"),
      "gpt2-merges.txt": await readFile(join(dir, "gpt2-merges.txt"), "utf8"),
    });
    const passage = "she caught up to him , but said nothing . `` good luck , rowan";
    const { contextIds, answerIds } = lambadaIds(tok, passage);
    expect(answerIds).toEqual(tok.encode(" rowan"));
    expect(answerIds).not.toEqual(tok.encode("rowan"));
    expect([...contextIds, ...answerIds]).toEqual(tok.encode(passage));
  });
});

describe("perplexity windows", () => {
  const ids = Array.from({ length: 10 }, (_, i) => 100 + i);
  const options = { seqLength: 5, stride: 2 };

  it("window 0: [CLS] t0 [M] (no eos) | [sop] t1 t2, every target scored", () => {
    // 4-token windows every 2 tokens over 10 tokens: ceil((10 − 4) / 2) + 1 = 4 windows.
    expect(windowCount(10, options)).toBe(4);
    expect(layout(perplexityWindow(ids, 0, SPECIAL, options))).toEqual({
      ids: [1, 100, 4, 3, 101, 102],
      pos: [0, 1, 2, 2, 2, 2],
      block: [0, 0, 0, 1, 2, 3],
      targets: [0, 0, 0, 101, 102, 103],
      loss: [0, 0, 0, 1, 1, 1],
      sep: 3,
    });
  });

  it("later bidirectional windows: the first window − stride tokens in Part A, the new ones in Part B", () => {
    // Window 1 = t2 … t5; t2 t3 are context, t4 t5 new.
    expect(layout(perplexityWindow(ids, 1, SPECIAL, options))).toEqual({
      ids: [1, 102, 103, 4, 3, 104],
      pos: [0, 1, 2, 3, 3, 3],
      block: [0, 0, 0, 0, 1, 2],
      targets: [0, 0, 0, 0, 104, 105],
      loss: [0, 0, 0, 0, 1, 1],
      sep: 4,
    });
  });

  it("later unidirectional windows: one token in Part A, loss on the new tokens only", () => {
    expect(layout(perplexityWindow(ids, 1, SPECIAL, { ...options, mode: "unidirectional" }))).toEqual({
      ids: [1, 102, 4, 3, 103, 104],
      pos: [0, 1, 2, 2, 2, 2],
      block: [0, 0, 0, 1, 2, 3],
      targets: [0, 0, 0, 103, 104, 105],
      loss: [0, 0, 0, 0, 1, 1],
      sep: 3,
    });
  });

  it("scores every token after the first exactly once, in order, whatever the length, stride and mode", () => {
    for (const mode of ["bidirectional", "unidirectional"] as const) {
      for (const n of [2, 3, 4, 5, 9, 10, 11, 30]) {
        for (const [seqLength, stride] of [
          [5, 1],
          [5, 2],
          [5, 3],
          [5, 4],
          [8, 3],
          [8, 7],
          [64, 16],
        ]) {
          if (mode === "unidirectional" && stride === seqLength - 1) continue;
          const stream = Array.from({ length: n }, (_, i) => 100 + i);
          const o = { seqLength, stride, mode };
          const scored: number[] = [];
          for (let w = 0; w < windowCount(n, o); w++) {
            const r = perplexityWindow(stream, w, SPECIAL, o);
            expect(r.inputIds.length).toBeLessThanOrEqual(seqLength + 1);
            r.lossMask.forEach((m, t) => m && scored.push(r.targets[t]));
          }
          expect(scored, `${mode} n=${n} seqLength=${seqLength} stride=${stride}`).toEqual(stream.slice(1));
        }
      }
    }
  });

  it("refuses a stride outside 1 … seqLength − 1 (− 2 unidirectional) and a stream of one token", () => {
    expect(() => perplexityWindow(ids, 0, SPECIAL, { seqLength: 5, stride: 5 })).toThrow(/stride must be an integer in 1 … seqLength − 1 = 4/);
    expect(() => perplexityWindow([7], 0, SPECIAL, options)).toThrow(/at least 2 tokens/);
    expect(() => perplexityWindow(ids, 0, SPECIAL, { seqLength: 5, stride: 4, mode: "unidirectional" })).toThrow(/needs stride ≤ seqLength − 2 = 3/);
  });
});
