import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { INVALID_OPTION, InvalidOptionError, isInvalidOptionError, requireInteger, requireNumber } from "./invalid-option.js";

const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

describe("InvalidOptionError", () => {
  it("is a GlmjsError with code OPTION_INVALID naming the option, the value and the requirement", () => {
    const err = new InvalidOptionError("schedule.peakLr", -1, "must be a number > 0", "Trainer");
    expect(err).toBeInstanceOf(GlmjsError);
    expect(err).toBeInstanceOf(Error);
    expect(INVALID_OPTION).toBe("OPTION_INVALID");
    expect([err.code, err.name, err.option, err.value, err.requirement, err.where]).toEqual([
      "OPTION_INVALID",
      "InvalidOptionError",
      "schedule.peakLr",
      -1,
      "must be a number > 0",
      "Trainer",
    ]);
    expect(err.message).toBe("Trainer: schedule.peakLr must be a number > 0, got -1");
    expect(GlmjsError.is(err, INVALID_OPTION)).toBe(true);
    expect(isInvalidOptionError(err)).toBe(true);
  });

  it("isInvalidOptionError recognises only option errors (not other glmjs errors, not look-alikes)", () => {
    expect(isInvalidOptionError(new GlmjsError(INVALID_OPTION, "no option field"))).toBe(false);
    expect(isInvalidOptionError(new GlmjsError("CORPUS_INVALID", "x"))).toBe(false);
    // A plain error that copies the code is not one: the brand is what counts.
    expect(isInvalidOptionError(Object.assign(new RangeError("x"), { code: INVALID_OPTION, option: "a" }))).toBe(false);
    expect(isInvalidOptionError(null)).toBe(false);
  });

  it("requireInteger and requireNumber throw it with the range in words, and return good values", () => {
    expect(requireInteger("f", "batchSize", 4, 1)).toBe(4);
    const intErr = caught(() => requireInteger("f", "batchSize", 1.5, 1, 8));
    expect(GlmjsError.is(intErr, INVALID_OPTION)).toBe(true);
    expect((intErr as Error).message).toBe("f: batchSize must be an integer in [1, 8], got 1.5");
    expect((caught(() => requireInteger("f", "n", "3", 0)) as Error).message).toBe('f: n must be an integer >= 0, got "3"');
    expect(requireNumber("g", "lr", 0.5, { min: 0, lowOpen: true })).toBe(0.5);
    expect((caught(() => requireNumber("g", "lr", 0, { min: 0, lowOpen: true })) as Error).message).toBe("g: lr must be a number > 0, got 0");
    expect((caught(() => requireNumber("g", "p", 1, { min: 0, max: 1, highOpen: true })) as Error).message).toBe("g: p must be a number in [0, 1), got 1");
    expect((caught(() => requireNumber("g", "x", Number.NaN)) as Error).message).toBe("g: x must be a finite number, got NaN");
  });
});
