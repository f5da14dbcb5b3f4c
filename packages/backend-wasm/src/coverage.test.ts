// The kernel coverage suite on tfjs's wasm backend (with glmjs's kernels) against cpu.
import { tf, useBackend } from "@glmjs/core";
import { kernelCoverageCases, runKernelCoverage } from "@glmjs/core/testing";
import { describe, expect, it } from "vitest";
import { batchMatMulPlan, registerWasmKernels, restoreTfjsWasmKernels } from "./index.js";

describe("kernel coverage on wasm", () => {
  it("matches the cpu backend on every case, forward and gradient, within 1e-4", async () => {
    await useBackend("wasm");
    const before = tf.memory().numTensors;
    const results = await runKernelCoverage({ backend: "wasm" });
    expect(tf.getBackend()).toBe("wasm");
    expect(tf.memory().numTensors).toBe(before);
    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.some((r) => r.name.startsWith("gather") && r.kind === "gradient")).toBe(true);
  });

  it("exercises glmjs's XNNPACK matMul paths (the cases are above the small-product cut-off)", () => {
    const paths = new Set<string>();
    for (const c of kernelCoverageCases.filter((c) => /matMul/.test(c.name) && !/reshape/.test(c.name))) {
      const inputs = c.inputs(() => 0.5);
      const [a, b] = Object.values(inputs);
      const [tA, tB] = [/transposeA/.test(c.name), /transposeB/.test(c.name)];
      paths.add(batchMatMulPlan(a!.shape, b!.shape, tA, tB).path);
    }
    expect([...paths].sort()).toEqual(["xnnpack-2d", "xnnpack-slices", "xnnpack-tall"]);
  });

  it("finds exactly the gaps of tfjs's own wasm kernels (why this package exists)", async () => {
    await useBackend("wasm");
    restoreTfjsWasmKernels();
    try {
      const failing = (await runKernelCoverage({ backend: "wasm" })).filter((r) => !r.ok).map((r) => `${r.name}/${r.kind}`);
      expect(failing).toContain("gather (embedding lookup)/gradient");
      expect(failing).toContain("oneHot float32/forward");
      expect(failing).toContain("composed GLM block (embedding → attention → GELU MLP → cross-entropy)/gradient");
      expect(failing.every((f) => /gather|oneHot|sparse cross-entropy|composed/.test(f))).toBe(true);
    } finally {
      registerWasmKernels();
    }
    expect((await runKernelCoverage({ backend: "wasm", only: ["oneHot float32"] }))[0]!.ok).toBe(true);
  });
});
