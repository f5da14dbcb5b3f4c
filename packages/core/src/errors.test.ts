// CORE_ERROR lists exactly the codes the package's sources throw: a new code is added there (and so
// documented) before it is used, and a listed code no source throws is dead.
import { fileURLToPath } from "node:url";
import { codesThrownBy } from "@glmjs/test-utils/error-codes";
import { describe, expect, it } from "vitest";
import { CORE_ERROR } from "./errors.js";

describe("CORE_ERROR", () => {
  it("names each code by itself and lists exactly the codes the sources throw", () => {
    for (const [name, code] of Object.entries(CORE_ERROR)) expect(code).toBe(name);
    const thrown = codesThrownBy(fileURLToPath(new URL(".", import.meta.url)));
    // loadModel throws CheckpointError (CHECKPOINT_INVALID) and HubError (HUB_NOT_FOUND) of the packages underneath.
    thrown.add("CHECKPOINT_INVALID");
    thrown.add("HUB_NOT_FOUND");
    expect([...thrown].sort()).toEqual(Object.values(CORE_ERROR).sort());
  });
});
