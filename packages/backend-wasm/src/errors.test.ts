// WASM_ERROR lists exactly the codes the package's sources throw: a new code is added there (and so
// documented) before it is used, and a listed code no source throws is dead.
import { fileURLToPath } from "node:url";
import { codesThrownBy } from "@glmjs/test-utils/error-codes";
import { describe, expect, it } from "vitest";
import { WASM_ERROR } from "./errors.js";

describe("WASM_ERROR", () => {
  it("names each code by itself and lists exactly the codes the sources throw", () => {
    for (const [name, code] of Object.entries(WASM_ERROR)) expect(code).toBe(name);
    const thrown = codesThrownBy(fileURLToPath(new URL(".", import.meta.url)));
    expect([...thrown].sort()).toEqual(Object.values(WASM_ERROR).sort());
  });
});
