// GlmTopK on wasm against the cpu kernel: k = 1 (SIMD ArgMax) and larger k, with the SIMD module
// and on its JavaScript path, over a vocabulary-sized row, ties, NaN and -Infinity rows, and a
// width that is not a multiple of 4.
import { tf, topKLogits, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";
import { disableSimdKernels } from "./simd.js";

beforeAll(async () => {
  await useBackend("wasm");
});

async function topKOn(backend: string, values: Float32Array, shape: [number, number], k: number, simd = true) {
  await tf.setBackend(backend);
  disableSimdKernels(!simd);
  try {
    const x = tf.tensor2d(values, shape);
    const r = topKLogits(x, k);
    const out = { indices: Array.from(await r.indices.data()), values: Array.from(await r.values.data()), logSumExp: Array.from(await r.logSumExp.data()) };
    tf.dispose([x, r.indices, r.values, r.logSumExp]);
    return out;
  } finally {
    disableSimdKernels(false);
  }
}

describe("GlmTopK on wasm", () => {
  it("equals cpu on vocabulary-sized rows (ids and values exactly, log Σ exp within 2e-6), with and without SIMD", async () => {
    const rows = 3;
    const cols = 30592;
    const values = new Float32Array(rows * cols).map((_, i) => ((Math.sin(i * 12.9898) * 43758.5453) % 1) * 12);
    // Row 1: its maximum three times (the first index wins, the others follow in index order).
    for (const j of [70, 3000, 29999]) values[cols + j] = 40;
    for (const k of [1, 8, 64]) {
      const ref = await topKOn("cpu", values, [rows, cols], k);
      for (const simd of [true, false]) {
        const got = await topKOn("wasm", values, [rows, cols], k, simd);
        expect(got.indices).toEqual(ref.indices);
        expect(got.values).toEqual(ref.values);
        got.logSumExp.forEach((v, r) => expect(Math.abs(v - ref.logSumExp[r]!)).toBeLessThan(2e-6));
      }
      expect(ref.indices[k]).toBe(70);
      if (k >= 8) expect(ref.indices.slice(k, k + 3)).toEqual([70, 3000, 29999]);
    }
  });

  it("NaN, -Infinity and an odd width give cpu's answer", async () => {
    const nanFirst = [NaN, 1, 3, NaN, 3, -2, 0, 1];
    const allMinusInf = Array.from({ length: 8 }, () => -Infinity);
    const someMinusInf = [-Infinity, 2, -Infinity, 5, 1, -Infinity, 0, 5];
    const values = Float32Array.from([...nanFirst, ...allMinusInf, ...someMinusInf]);
    for (const k of [1, 3]) {
      const ref = await topKOn("cpu", values, [3, 8], k);
      const got = await topKOn("wasm", values, [3, 8], k);
      expect(got.indices).toEqual(ref.indices);
      expect(got.values).toEqual(ref.values);
      expect(got.logSumExp[0]).toBeNaN();
      expect(got.logSumExp[1]).toBe(-Infinity);
      expect(got.logSumExp[2]).toBeCloseTo(ref.logSumExp[2]!, 6);
    }
    expect((await topKOn("cpu", values, [3, 8], 1)).indices).toEqual([2, 0, 3]);
    const odd = new Float32Array(2 * 37).map((_, i) => Math.cos(i * 1.7) * 5);
    const [ref, got] = [await topKOn("cpu", odd, [2, 37], 4), await topKOn("wasm", odd, [2, 37], 4)];
    expect(got.indices).toEqual(ref.indices);
    got.logSumExp.forEach((v, r) => expect(v).toBeCloseTo(ref.logSumExp[r]!, 6));
  });
});
