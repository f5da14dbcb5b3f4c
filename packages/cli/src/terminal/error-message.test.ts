import { describe, expect, it } from "vitest";
import { errorMessage } from "./error-message.js";

describe("errorMessage", () => {
  it("names the cause and the fix when the wasm heap is exhausted", () => {
    const oob = new WebAssembly.RuntimeError("memory access out of bounds");
    expect(errorMessage(oob)).toMatch(/^the wasm backend ran out of memory \(memory access out of bounds\): .*--batch 2 --accum 4/);
    const oom = new WebAssembly.RuntimeError("Aborted(OOM). Build with -sASSERTIONS for more info.");
    expect(errorMessage(oom)).toContain("ran out of memory");
  });

  it("passes every other message on unchanged", () => {
    expect(errorMessage(new Error("--seq-len 5000 exceeds the model's max_sequence_length 512"))).toBe(
      "--seq-len 5000 exceeds the model's max_sequence_length 512",
    );
    // Only the wasm runtime's own errors are reinterpreted.
    expect(errorMessage(new Error("memory access out of bounds"))).toBe("memory access out of bounds");
    expect(errorMessage("plain")).toBe("plain");
  });
});
