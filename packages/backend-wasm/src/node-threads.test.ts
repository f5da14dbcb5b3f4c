// The threaded wasm build in Node (opt-in: configureWasm({ threads })). Its own test file, so
// its own process: tfjs starts a backend once per process.
import { probeBackends, tf, useBackend } from "@glmjs/core";
import { runKernelCoverage } from "@glmjs/core/testing";
import { describe, expect, it } from "vitest";
import { configureWasm } from "./index.js";

describe("wasm with 2 threads in Node", () => {
  it("starts the threaded build with 2 XNNPACK threads and still matches cpu", async () => {
    configureWasm({ threads: 2 });
    await useBackend("wasm");
    const backend = tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number }; PThread?: unknown } };
    expect(backend.wasm.PThread).toBeDefined();
    expect(backend.wasm.tfjs.getThreadsCount()).toBe(2);
    const probe = (await probeBackends()).find((s) => s.name === "wasm")!.probe;
    expect(probe.available && probe.detail).toMatch(/2 threads/);
    const results = await runKernelCoverage({
      backend: "wasm",
      only: ["matMul 2-D 256", "batched matMul 4-D transposeB", "gather (embedding lookup)", "composed GLM block (embedding → attention → GELU MLP → cross-entropy)"],
    });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(8);
  });
});
