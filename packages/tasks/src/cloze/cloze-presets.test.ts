import { describe, expect, it } from "vitest";
import { resolveSeq2seqTaskOptions } from "../seq2seq/seq2seq-presets.js";
import { CLOZE_PRESETS, resolveClozeTaskOptions } from "./cloze-presets.js";
import { thrownCode } from "@glmjs/test-utils/error-codes";

describe("task options from a command line", () => {
  it("cloze: a preset, a preset with overrides, or a pattern with label words", () => {
    expect(resolveClozeTaskOptions({ preset: "sentence_polarity" })).toEqual({ ...CLOZE_PRESETS.sentence_polarity.task });
    expect(resolveClozeTaskOptions({ preset: "subjectivity", labelWords: "0=fact,1=opinion", maxLength: 64 })).toMatchObject({
      pattern: "{sentence} This is [MASK].",
      verbalizer: "0=fact,1=opinion",
      maxLength: 64,
    });
    expect(resolveClozeTaskOptions({ pattern: "{text} Overall: [MASK].", labelWords: "neg=bad,pos=good", labelField: "y" })).toEqual({
      pattern: "{text} Overall: [MASK].",
      verbalizer: "neg=bad,pos=good",
      labelField: "y",
    });
    expect(() => resolveClozeTaskOptions({ pattern: "{text} [MASK]" })).toThrow(/give a preset .* or both a pattern/);
    expect(() => resolveClozeTaskOptions({ preset: "nope" })).toThrow(/no cloze preset "nope"/);
    expect(thrownCode(() => resolveClozeTaskOptions({ pattern: "{text} [MASK]" }))).toBe("OPTION_INVALID");
    expect(thrownCode(() => resolveClozeTaskOptions({ preset: "nope" }))).toBe("PRESET_UNKNOWN");
  });

  it("seq2seq: a preset with explicit settings winning, or the custom layout for user data", () => {
    expect(resolveSeq2seqTaskOptions({ preset: "scitldr", sourceLength: 128, targetLength: undefined })).toEqual({
      format: "summary",
      sourceLength: 128,
      targetLength: 64,
    });
    expect(resolveSeq2seqTaskOptions({ mask: "sMASK" })).toEqual({ format: "custom", sourceLength: 256, targetLength: 64, mask: "sMASK" });
  });
});
