import { describe, expect, it, vi } from "vitest";
import { GlmjsError } from "./errors.js";

class ExampleError extends GlmjsError {
  constructor(readonly file: string) {
    super("EXAMPLE_BROKEN", `${file}: broken`);
    this.name = "ExampleError";
  }
}

describe("GlmjsError", () => {
  it("carries a code, a message, a name and an optional cause", () => {
    const cause = new Error("low level");
    const err = new GlmjsError("SOMETHING_WRONG", "what went wrong and what to do", { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe("SOMETHING_WRONG");
    expect(err.message).toBe("what went wrong and what to do");
    expect(err.name).toBe("GlmjsError");
    expect(err.cause).toBe(cause);
    expect("cause" in new GlmjsError("X", "m")).toBe(false);
  });

  it("is() recognises subclasses and filters by code", () => {
    const err = new ExampleError("a.bin");
    expect(err.name).toBe("ExampleError");
    expect(GlmjsError.is(err)).toBe(true);
    expect(GlmjsError.is(err, "EXAMPLE_BROKEN")).toBe(true);
    expect(GlmjsError.is(err, "OTHER")).toBe(false);
    expect(GlmjsError.is(new Error("plain"))).toBe(false);
    // A Node system error has a string code too, but is not a glmjs error.
    expect(GlmjsError.is(Object.assign(new Error("x"), { code: "ENOENT" }), "ENOENT")).toBe(false);
    for (const v of [null, undefined, "GlmjsError", 1, {}]) expect(GlmjsError.is(v)).toBe(false);
  });

  it("is() recognises errors of a second copy of the package (where instanceof does not)", async () => {
    vi.resetModules();
    const copy = (await import("./errors.js")) as typeof import("./errors.js");
    expect(copy.GlmjsError).not.toBe(GlmjsError);
    const foreign = new copy.GlmjsError("FROM_COPY", "made by the other copy");
    expect(foreign instanceof GlmjsError).toBe(false);
    expect(GlmjsError.is(foreign, "FROM_COPY")).toBe(true);
    expect(copy.GlmjsError.is(new ExampleError("b"), "EXAMPLE_BROKEN")).toBe(true);
  });

  it("the brand is not an enumerable property (errors serialise as before)", () => {
    const err = new GlmjsError("C", "m");
    expect(Object.keys(err)).toEqual(["code", "name"]);
    expect(Object.getOwnPropertySymbols(err)).toEqual([]);
  });
});
