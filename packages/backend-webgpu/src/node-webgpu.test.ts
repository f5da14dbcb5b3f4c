// WebGPU in Node through Dawn (the optional `webgpu` package): on a GPU-less Linux machine this is
// Mesa's llvmpipe behind Dawn's OpenGL ES backend. Runs the whole kernel coverage suite on it.
import { activeBackend, probeBackends, tf, useBackend } from "@glmjs/core";
import { runKernelCoverage } from "@glmjs/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { webgpuBackend } from "./index.js";

const probe = await webgpuBackend.probe();
if (!probe.available) {
  console.warn(`SKIPPING WebGPU-in-Node tests: ${probe.reason}${probe.fix ? ` (fix: ${probe.fix})` : ""}`);
}
const title = probe.available ? "WebGPU in Node via Dawn" : `WebGPU in Node via Dawn (SKIPPED: ${probe.reason})`;

describe.skipIf(!probe.available)(title, () => {
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("probe() names the adapter and flags a software one as fallback", async () => {
    if (!probe.available) return;
    expect(probe.detail).toMatch(/via Dawn/);
    // A fallback adapter is ranked just below wasm by the registry.
    const status = (await probeBackends()).find((s) => s.name === "webgpu");
    expect(status?.rank).toBe(probe.fallback ? 45 : 20);
  });

  it("activates with CPU forwarding off and computes on the GPU", async () => {
    await useBackend("webgpu");
    expect(tf.getBackend()).toBe("webgpu");
    expect(activeBackend()).toBe("webgpu");
    expect(tf.env().getBool("WEBGPU_CPU_FORWARD")).toBe(false);
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const c = tf.matMul(a, a);
    expect(Array.from(await c.data())).toEqual([7, 10, 15, 22]);
    tf.dispose([a, c]);
  });

  it("passes every kernel coverage case, forward and gradient, against cpu", async () => {
    await useBackend("webgpu");
    const results = await runKernelCoverage({ backend: "webgpu" });
    const failed = results.filter((r) => !r.ok).map((r) => `${r.name} (${r.kind}): ${r.error ?? `max |err| ${r.maxAbsError}`}`);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
    // The suite restores the backend it found active.
    expect(tf.getBackend()).toBe("webgpu");
  }, 120_000);
});
