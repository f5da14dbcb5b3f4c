// TASKS_ERROR lists exactly the codes the package's sources throw: a new code must be added there
// (and so documented) before it is used, and a listed code no source throws is dead.
import { fileURLToPath } from "node:url";
import { codesThrownBy } from "@glmjs/test-utils/error-codes";
import { describe, expect, it } from "vitest";
import { TASKS_ERROR } from "./errors.js";

describe("TASKS_ERROR", () => {
  it("names each code by itself and lists exactly the codes the sources throw", () => {
    for (const [name, code] of Object.entries(TASKS_ERROR)) expect(code).toBe(name);
    const thrown = codesThrownBy(fileURLToPath(new URL(".", import.meta.url)));
    // DATASET_INVALID is also thrown by DatasetError (its constructor passes the code).
    thrown.add("DATASET_INVALID");
    expect([...thrown].sort()).toEqual(Object.values(TASKS_ERROR).sort());
  });
});
