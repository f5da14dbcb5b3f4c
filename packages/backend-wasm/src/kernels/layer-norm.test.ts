import { GLM_KERNELS, fusedLayerNorm, tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";
import { maxDiff, randomInputs, runOn } from "../test-helpers/fused-kernels.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("GlmLayerNorm on wasm", () => {
  it("is registered for wasm and matches cpu, in the SIMD module and in JavaScript", async () => {
    expect(tf.getKernel(GLM_KERNELS.layerNorm, "wasm")).toBeDefined();
    // 64 columns take the SIMD path, 10 columns the JavaScript one.
    for (const cols of [64, 10]) {
      const inputs = randomInputs({ x: [7, cols], gamma: [cols], beta: [cols] }, cols);
      const f = (x: Record<string, tf.Tensor>) => [fusedLayerNorm(tf.mul(x["x"]!, 4), x["gamma"]!, x["beta"]!, 1e-5)];
      const cpu = await runOn("cpu", inputs, f);
      expect(maxDiff(await runOn("wasm", inputs, f), cpu)).toBeLessThan(2e-6);
      expect(maxDiff(await runOn("wasm", inputs, f, false), cpu)).toBeLessThan(2e-6);
    }
  });
});
