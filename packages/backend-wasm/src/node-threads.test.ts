// The threaded wasm build in Node (opt-in: configureWasm({ threads })). Its own test file, so
// its own process: tfjs starts a backend once per process.
import { probeBackends, tf, useBackend } from "@glmjs/core";
import { runKernelCoverage } from "@glmjs/core/testing";
import { describe, expect, it } from "vitest";
import { configureWasm, wasmThreadCount } from "./index.js";
import { simdKernels } from "./kernels/simd.js";
import { asWasmBackend } from "./kernels/wasm-internals.js";

describe("wasm with 2 threads in Node", () => {
  it("starts the threaded build with 2 XNNPACK threads and still matches cpu", async () => {
    configureWasm({ threads: 2 });
    await useBackend("wasm");
    const backend = tf.backend() as unknown as { wasm: { tfjs: { getThreadsCount(): number }; PThread?: unknown } };
    expect(backend.wasm.PThread).toBeDefined();
    expect(backend.wasm.tfjs.getThreadsCount()).toBe(2);
    expect(wasmThreadCount()).toBe(2);
    // glmjs's SIMD kernels run over the threaded build's shared memory too.
    expect(simdKernels(asWasmBackend(tf.backend()))).toBeDefined();
    const probe = (await probeBackends()).find((s) => s.name === "wasm")!.probe;
    expect(probe.available && probe.detail).toMatch(/2 threads/);
    const results = await runKernelCoverage({
      backend: "wasm",
      only: [
        "matMul 2-D 256",
        "batched matMul 4-D transposeB",
        "gather (embedding lookup)",
        "composed GLM block (embedding → attention → GELU MLP → cross-entropy)",
        "fused Linear: bias + tanh-GELU (GlmLinear)",
        "cached attention: several queries with a mask (GlmCachedAttention)",
      ],
    });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(10);
  });
});
