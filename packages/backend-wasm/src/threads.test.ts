import { GlmjsError } from "@glmjs/common";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_WASM_THREADS, chooseThreads, configureWasm, freeCores } from "./index.js";

/** The code of the GlmjsError `p` rejects with ("no error" / the message otherwise). */
async function rejectedCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

const saved = process.env["GLMJS_WASM_THREADS"];
afterEach(() => {
  if (saved === undefined) delete process.env["GLMJS_WASM_THREADS"];
  else process.env["GLMJS_WASM_THREADS"] = saved;
});

describe("the wasm thread count in Node", () => {
  it("defaults to the free cores, between 1 and the threaded build's pool of 8", async () => {
    delete process.env["GLMJS_WASM_THREADS"];
    const os = await import("node:os");
    const n = await freeCores();
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(Math.min(MAX_WASM_THREADS, os.availableParallelism()));
    expect(await chooseThreads()).toEqual({ threads: n, source: "free cores" });
  });

  it("takes GLMJS_WASM_THREADS over the default, refuses a bad value, and configureWasm over both", async () => {
    process.env["GLMJS_WASM_THREADS"] = "3";
    expect(await chooseThreads()).toEqual({ threads: 3, source: "GLMJS_WASM_THREADS" });
    process.env["GLMJS_WASM_THREADS"] = "two";
    await expect(chooseThreads()).rejects.toThrow(/GLMJS_WASM_THREADS must be a positive integer, got "two"/);
    expect(await rejectedCode(chooseThreads())).toBe("OPTION_INVALID");
    configureWasm({ threads: 1 });
    expect(await chooseThreads()).toEqual({ threads: 1, source: "configureWasm" });
  });
});
