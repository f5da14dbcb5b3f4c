import { GLM_KERNELS, fusedLinear, tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";
import { maxDiff, randomInputs, runOn } from "../test-helpers/fused-kernels.js";

beforeAll(async () => {
  await useBackend("wasm");
});

describe("GlmLinear on wasm", () => {
  it("is registered for wasm and matches cpu for every activation, with bias and residual, SIMD and JavaScript", async () => {
    expect(tf.getKernel(GLM_KERNELS.linear, "wasm")).toBeDefined();
    // [5, 64] outputs take the SIMD path, [3, 7] the JavaScript one.
    for (const [rows, inSize, outSize] of [
      [5, 48, 64],
      [3, 20, 7],
    ] as const) {
      const inputs = randomInputs({ x: [rows, inSize], kernel: [inSize, outSize], bias: [outSize], residual: [rows, outSize] }, outSize);
      for (const activation of ["none", "gelu_tanh", "gelu_erf"] as const) {
        const f = (x: Record<string, tf.Tensor>) => [
          fusedLinear(x["x"]!, x["kernel"]!, { bias: x["bias"], activation }),
          fusedLinear(x["x"]!, x["kernel"]!, { bias: x["bias"], activation, residual: x["residual"] }),
          fusedLinear(x["x"]!, x["kernel"]!, { activation }),
        ];
        const cpu = await runOn("cpu", inputs, f);
        expect(maxDiff(await runOn("wasm", inputs, f), cpu)).toBeLessThan(2e-5);
        expect(maxDiff(await runOn("wasm", inputs, f, false), cpu)).toBeLessThan(2e-5);
      }
    }
  });

  it("equals tf.matMul + bias exactly when there is nothing else to fuse (XNNPACK does the product either way)", async () => {
    await tf.setBackend("wasm");
    const [x, k, b] = [tf.randomNormal([4, 32], 0, 1, "float32", 1), tf.randomNormal([32, 16], 0, 1, "float32", 2), tf.randomNormal([16], 0, 1, "float32", 3)];
    const fused = fusedLinear(x, k, { bias: b });
    const plain = tf.add(tf.matMul(x, k), b);
    expect(maxDiff([(await fused.data()) as Float32Array], [(await plain.data()) as Float32Array])).toBeLessThan(1e-5);
    tf.dispose([x, k, b, fused, plain]);
  });
});
