// The kernel coverage suite (GLM's ops, forward and gradient) on every browser backend, each
// compared with tfjs's cpu backend in the same page. A failing case is a failing test.
import { configureWasm } from "@glmjs/backend-wasm";
import "@glmjs/backend-webgl";
import { TILE_CONFIGS, resetWebGPUMatMul, setWebGPUMatMul, webGPUMatMulPlan } from "@glmjs/backend-webgpu";
import { getBackendProvider, tf, useBackend } from "@glmjs/core";
import { runKernelCoverage, tiledMatMulCases } from "@glmjs/core/testing";
import { afterAll, describe, expect, inject, it } from "vitest";

configureWasm({ wasmPaths: inject("wasmDir") });

afterAll(async () => {
  await tf.setBackend("cpu");
});

for (const name of ["webgpu", "webgl", "wasm"]) {
  describe(`${name} in Chromium`, () => {
    it("is available and activates", async () => {
      const probe = await getBackendProvider(name)!.probe();
      expect(probe, JSON.stringify(probe)).toMatchObject({ available: true });
      await useBackend(name);
      expect(tf.getBackend()).toBe(name);
      if (name !== "wasm") expect(tf.env().getBool(name === "webgpu" ? "WEBGPU_CPU_FORWARD" : "WEBGL_CPU_FORWARD")).toBe(false);
      console.info(`${name}: ${probe.available ? probe.detail : ""}`);
    });

    // SwiftShader compiles each new WebGPU pipeline in seconds (4–8 s for a tiled matMul variant on
    // a 2-core machine at load 7): the webgpu suite, with its big-matMul cases, needs more than the default.
    it("passes every kernel coverage case against cpu", { timeout: name === "webgpu" ? 900_000 : undefined }, async () => {
      await useBackend(name);
      const results = await runKernelCoverage({ backend: name });
      const failed = results.filter((r) => !r.ok).map((r) => `${r.name} (${r.kind}): ${r.error ?? `max |err| ${r.maxAbsError}`}`);
      expect(failed).toEqual([]);
      expect(results.length).toBeGreaterThan(0);
    });
  });
}

// The suite above runs glmjs's tiled WebGPU matMul as the automatic choice picks it (64² tiles, a
// split inner dimension); here each tile config it can pick, forced, on the big-matMul cases.
describe("glmjs's tiled matMul on webgpu in Chromium", () => {
  afterAll(() => resetWebGPUMatMul());
  for (const config of [TILE_CONFIGS.large, TILE_CONFIGS.largeDouble, TILE_CONFIGS.medium64]) {
    // (~130 s each on SwiftShader at load 7, mostly compiling the unrolled pipeline variants.)
    it(`tile ${config.name}, inner dimension split in 2 where it can be: the big-matMul cases match cpu`, { timeout: 900_000 }, async () => {
      await useBackend("webgpu");
      setWebGPUMatMul({ force: config, forceSplits: 2 });
      expect(webGPUMatMulPlan([130, 70], [70, 136])).toMatchObject({ kind: "tiled", config, splits: 2 });
      const results = await runKernelCoverage({ backend: "webgpu", cases: tiledMatMulCases });
      const failed = results.filter((r) => !r.ok).map((r) => `${r.name} (${r.kind}): ${r.error ?? `max |err| ${r.maxAbsError}`}`);
      expect(failed).toEqual([]);
      expect(results).toHaveLength(2 * tiledMatMulCases.length - 1);
      resetWebGPUMatMul();
    });
  }
});
