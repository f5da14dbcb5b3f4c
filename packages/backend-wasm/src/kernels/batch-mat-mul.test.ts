import { tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";
import { batchMatMulPlan } from "./batch-mat-mul.js";

beforeAll(async () => {
  await useBackend("wasm");
});

function values(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 1000 + i * 0.37));
}

/** The batch shape of a broadcast matMul (numpy rules). */
function outBatchShape(aShape: number[], bShape: number[]): number[] {
  const [a, b] = [aShape.slice(0, -2), bShape.slice(0, -2)];
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => Math.max(a[a.length - rank + i] ?? 1, b[b.length - rank + i] ?? 1));
}

/**
 * max |wasm − cpu| of matMul(a, b, tA, tB) on the same inputs, and the two shapes. The cpu
 * reference gets inputs already broadcast to the full batch: tfjs 4.22's cpu kernel computes
 * only max(batchA, batchB) products for e.g. [2,1]·[1,3] batches.
 */
async function compareWithCpu(aShape: number[], bShape: number[], tA: boolean, tB: boolean) {
  const av = values(aShape, 1);
  const bv = values(bShape, 2);
  const batch = outBatchShape(aShape, bShape);
  const run = async (broadcastFirst: boolean) => {
    const out = tf.tidy(() => {
      let a = tf.tensor(av, aShape);
      let b = tf.tensor(bv, bShape);
      if (broadcastFirst && batch.length > 0) {
        a = tf.broadcastTo(a, [...batch, ...aShape.slice(-2)]);
        b = tf.broadcastTo(b, [...batch, ...bShape.slice(-2)]);
      }
      return tf.matMul(a, b, tA, tB);
    });
    const r = { shape: out.shape, data: await out.data() };
    out.dispose();
    return r;
  };
  const wasm = await run(false);
  await tf.setBackend("cpu");
  const cpu = await run(true);
  await tf.setBackend("wasm");
  let maxErr = 0;
  for (let i = 0; i < cpu.data.length; i++) maxErr = Math.max(maxErr, Math.abs(wasm.data[i]! - cpu.data[i]!));
  return { maxErr, wasmShape: wasm.shape, cpuShape: cpu.shape };
}

describe("BatchMatMul on wasm (XNNPACK for every layout)", () => {
  const cases: [string, number[], number[], boolean, boolean, string][] = [
    ["2-D", [37, 33], [33, 29], false, false, "xnnpack-2d"],
    ["2-D transposeA", [33, 37], [33, 29], true, false, "xnnpack-2d"],
    ["2-D transposeB", [37, 33], [29, 33], false, true, "xnnpack-2d"],
    ["2-D transposeA+B", [33, 37], [29, 33], true, true, "xnnpack-2d"],
    ["3-D batch", [3, 27, 25], [3, 25, 26], false, false, "xnnpack-slices"],
    ["4-D batch transposeB", [2, 3, 27, 25], [2, 3, 26, 25], false, true, "xnnpack-slices"],
    ["4-D batch transposeA", [2, 3, 25, 27], [2, 3, 25, 26], true, false, "xnnpack-slices"],
    ["batch x shared 2-D", [4, 17, 25], [25, 26], false, false, "xnnpack-tall"],
    ["batch transposeA x shared transposed 2-D", [4, 25, 17], [26, 25], true, true, "xnnpack-tall"],
    ["shared 2-D x batch", [27, 25], [4, 25, 26], false, false, "xnnpack-slices"],
    ["batch 1 x batch", [1, 27, 25], [4, 25, 26], false, false, "xnnpack-slices"],
    ["general broadcast [2,1] x [1,3]", [2, 1, 24, 25], [1, 3, 25, 26], false, false, "xnnpack-slices"],
    ["broadcast [3,1] x [3] transposeB", [3, 1, 24, 25], [3, 26, 25], false, true, "xnnpack-slices"],
    ["broadcast [1,2] x [2,1] transposeA", [1, 2, 25, 24], [2, 1, 25, 26], true, false, "xnnpack-slices"],
    ["tiny slices (operator set-up would dominate)", [8, 7, 5], [8, 6, 5], false, true, "tfjs"],
  ];
  for (const [name, aShape, bShape, tA, tB, path] of cases) {
    it(`${name}: takes the ${path} path and matches cpu`, async () => {
      expect(batchMatMulPlan(aShape, bShape, tA, tB).path).toBe(path);
      const { maxErr, wasmShape, cpuShape } = await compareWithCpu(aShape, bShape, tA, tB);
      expect(wasmShape).toEqual(cpuShape);
      expect(maxErr).toBeLessThan(1e-5);
    });
  }

  it("reports mismatched inner dimensions like tfjs", () => {
    const a = tf.zeros([2, 3, 4]);
    const b = tf.zeros([2, 5, 6]);
    expect(() => tf.matMul(a, b)).toThrow(/inner shapes/);
    tf.dispose([a, b]);
  });

  it("leaks neither tensors nor wasm memory over repeated transposed and batched calls", async () => {
    const a = tf.tensor(values([8, 16, 32], 3), [8, 16, 32]);
    const b = tf.tensor(values([8, 24, 32], 4), [8, 24, 32]);
    const step = async () => {
      const c = tf.matMul(a, b, false, true);
      await c.data();
      c.dispose();
    };
    for (let i = 0; i < 5; i++) await step();
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array }; numDataIds(): number };
    const heap = backend.wasm.HEAPU8.length;
    const tensors = tf.memory().numTensors;
    const dataIds = backend.numDataIds();
    for (let i = 0; i < 50; i++) await step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(dataIds);
    expect(backend.wasm.HEAPU8.length).toBe(heap);
    tf.dispose([a, b]);
  });
});
