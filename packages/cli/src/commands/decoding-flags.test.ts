import { describe, expect, it } from "vitest";
import { decodingOptions, inDecodingFlagTerms } from "./decoding-flags.js";
import { GlmjsError } from "@glmjs/common";
import { thrownCode } from "@glmjs/test-utils/error-codes";

describe("decoding flags", () => {
  it("turn into DecodingOptions over a preset's, keeping only what the strategy uses", () => {
    expect(decodingOptions({ strategy: "sample", temperature: 0.7, topP: 0.9, seed: 3, maxNewTokens: 20, repeatNgram: true })).toEqual({
      strategy: "sample",
      temperature: 0.7,
      topP: 0.9,
      seed: 3,
      maxNewTokens: 20,
    });
    const preset = { strategy: "beam" as const, numBeams: 6, lengthPenalty: 1, minNewTokens: 10, noRepeatNgramSize: 3, maxNewTokens: 64 };
    expect(decodingOptions({}, preset)).toEqual(preset);
    expect(decodingOptions({ numBeams: 2, repeatNgram: 0 }, preset)).toEqual({ ...preset, numBeams: 2, noRepeatNgramSize: 0 });
    // Another strategy drops the preset's beam settings but keeps its lengths and n-gram ban.
    expect(decodingOptions({ strategy: "greedy" }, preset)).toEqual({ strategy: "greedy", maxNewTokens: 64, minNewTokens: 10, noRepeatNgramSize: 3 });
    // The preset's minimum yields to a smaller --max-new-tokens.
    expect(decodingOptions({ maxNewTokens: 6 }, preset)).toMatchObject({ maxNewTokens: 6, minNewTokens: 6 });
  });

  it("refuse flags the strategy would ignore, naming both flags", () => {
    expect(() => decodingOptions({ temperature: 0.5 })).toThrow("--temperature does nothing with --strategy greedy; use it with --strategy sample");
    expect(() => decodingOptions({ strategy: "beam", seed: 1 })).toThrow("--seed does nothing with --strategy beam");
    expect(() => decodingOptions({ topK: 5 })).toThrow("--top-k does nothing with --strategy greedy; use it with --strategy sample or beam");
    expect(() => decodingOptions({ strategy: "sample", numBeams: 3 })).toThrow("--num-beams does nothing with --strategy sample");
    expect(() => decodingOptions({ lengthPenalty: 0.7 })).toThrow("--length-penalty does nothing with --strategy greedy");
    expect(() => decodingOptions({ minNewTokens: 9, maxNewTokens: 4 })).toThrow("--min-new-tokens (9) exceeds --max-new-tokens (4)");
    expect(thrownCode(() => decodingOptions({ temperature: 0.5 }))).toBe("OPTION_INVALID");
    expect(thrownCode(() => decodingOptions({ minNewTokens: 9, maxNewTokens: 4 }))).toBe("OPTION_INVALID");
  });

  it("put library errors in flag terms, keeping their code and the original as the cause", () => {
    const original = new GlmjsError("SEQUENCE_TOO_LONG", "fillBatch: maxNewTokens + the context (600) exceed the model's 512 positions; lower maxNewTokens");
    const e = inDecodingFlagTerms(original) as Error;
    expect(e.message).toBe("--max-new-tokens + the context (600) exceed the model's 512 positions; lower --max-new-tokens");
    expect(GlmjsError.is(e, "SEQUENCE_TOO_LONG")).toBe(true);
    expect(e.cause).toBe(original);
    // Not a glmjs library's error (no code): not ours to rephrase.
    const other = new Error("disk full: maxNewTokens");
    expect(inDecodingFlagTerms(other)).toBe(other);
  });
});
