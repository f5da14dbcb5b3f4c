import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../tfjs.js";
import { kernelCoverageCases, runKernelCoverage } from "./index.js";

const BROKEN = "coverage-test-broken";

describe("kernel coverage suite", () => {
  it("covers every op the issue lists, forward and gradient", () => {
    const names = kernelCoverageCases.map((c) => c.name).join(" | ");
    for (const op of [
      "gather",
      "matMul transposeA",
      "matMul transposeB",
      "batched matMul 4-D",
      "softmax",
      "logSoftmax",
      "layer norm",
      "tanh-GELU",
      "erf-GELU",
      "where",
      "oneHot float32",
      "concat",
      "slice",
      "transpose",
      "sum, mean, max",
      "sparse cross-entropy",
      "composed GLM block",
    ]) {
      expect(names).toContain(op);
    }
    expect(new Set(kernelCoverageCases.map((c) => c.name)).size).toBe(kernelCoverageCases.length);
  });

  it("passes cpu against cpu exactly, with a gradient result for differentiable cases, without leaking tensors", async () => {
    await tf.setBackend("cpu");
    const before = tf.memory().numTensors;
    const results = await runKernelCoverage({ backend: "cpu" });
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.getBackend()).toBe("cpu");
    expect(results.filter((r) => !r.ok)).toEqual([]);
    for (const r of results) expect(r.maxAbsError).toBe(0);
    const gradients = new Set(results.filter((r) => r.kind === "gradient").map((r) => r.name));
    expect(gradients).toContain("gather (embedding lookup)");
    expect(gradients).toContain("composed GLM block (embedding → attention → GELU MLP → cross-entropy)");
    expect(gradients).not.toContain("oneHot float32");
    expect(results.filter((r) => r.kind === "forward")).toHaveLength(kernelCoverageCases.length);
  }, 30_000);

  it("rejects unknown case names", async () => {
    await expect(runKernelCoverage({ backend: "cpu", only: ["no such op"] })).rejects.toThrow(/unknown case\(s\) "no such op"/);
  });

  describe("on a backend with a wrong kernel and a missing one", () => {
    beforeAll(() => {
      // A throwaway copy of the cpu backend whose Erf is wrong and which lacks UnsortedSegmentSum.
      tf.registerBackend(BROKEN, () => new MathBackendCPU(), -1);
      for (const k of tf.getKernelsForBackend("cpu")) {
        if (k.kernelName === "UnsortedSegmentSum") continue;
        if (k.kernelName === "Erf") {
          const tanh = tf.getKernel("Tanh", "cpu")!;
          tf.registerKernel({ kernelName: "Erf", backendName: BROKEN, kernelFunc: tanh.kernelFunc });
          continue;
        }
        tf.registerKernel({ ...k, backendName: BROKEN });
      }
    });
    afterAll(async () => {
      await tf.setBackend("cpu");
      for (const k of tf.getKernelsForBackend(BROKEN)) tf.unregisterKernel(k.kernelName, BROKEN);
      tf.removeBackend(BROKEN);
    });

    it("reports the wrong and the missing kernel as failures and the rest as ok, then restores the backend", async () => {
      await tf.setBackend("cpu");
      const results = await runKernelCoverage({ backend: BROKEN, only: ["erf-GELU", "gather (embedding lookup)", "softmax"] });
      expect(tf.getBackend()).toBe("cpu");
      const byKey = new Map(results.map((r) => [`${r.name}/${r.kind}`, r]));
      expect(byKey.get("erf-GELU/forward")).toMatchObject({ ok: false });
      expect(byKey.get("erf-GELU/forward")!.maxAbsError).toBeGreaterThan(1e-3);
      expect(byKey.get("gather (embedding lookup)/forward")).toMatchObject({ ok: true, maxAbsError: 0 });
      const gatherGrad = byKey.get("gather (embedding lookup)/gradient")!;
      expect(gatherGrad.ok).toBe(false);
      expect(gatherGrad.error).toMatch(/UnsortedSegmentSum/);
      expect(byKey.get("softmax/forward")).toMatchObject({ ok: true });
      expect(byKey.get("softmax/gradient")).toMatchObject({ ok: true });
    });
  });
});
