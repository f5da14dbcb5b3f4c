import { tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";
import { disableSimdKernels } from "./simd.js";

beforeAll(async () => {
  await useBackend("wasm");
});

async function argMaxOn(backend: string, values: Float32Array, shape: number[], axis = -1, simd = true): Promise<number[]> {
  await tf.setBackend(backend);
  disableSimdKernels(!simd);
  try {
    const x = tf.tensor(values, shape);
    const i = tf.argMax(x, axis);
    const out = Array.from(await i.data());
    tf.dispose([x, i]);
    return out;
  } finally {
    disableSimdKernels(false);
  }
}

describe("ArgMax on wasm", () => {
  it("matches cpu over the last axis (SIMD), including ties (first index) and other axes (tfjs's kernel)", async () => {
    const rows = 9;
    const cols = 1000;
    const values = new Float32Array(rows * cols).map((_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    // Ties: row 1's maximum appears at 7, 300 and 999; row 2 is constant; row 3's maximum is last.
    for (const j of [7, 300, 999]) values[cols + j] = 5;
    values.fill(0.25, 2 * cols, 3 * cols);
    values[4 * cols - 1] = 9;
    const ref = await argMaxOn("cpu", values, [rows, cols]);
    expect(ref.slice(1, 4)).toEqual([7, 0, 999]);
    expect(await argMaxOn("wasm", values, [rows, cols])).toEqual(ref);
    expect(await argMaxOn("wasm", values, [3, 3, cols])).toEqual(await argMaxOn("cpu", values, [3, 3, cols]));
    expect(await argMaxOn("wasm", values, [rows, cols], 0)).toEqual(await argMaxOn("cpu", values, [rows, cols], 0));
    expect(await argMaxOn("wasm", values.subarray(0, 9 * 7), [9, 7])).toEqual(await argMaxOn("cpu", values.subarray(0, 9 * 7), [9, 7]));
    expect(await argMaxOn("wasm", values, [rows, cols], -1, false)).toEqual(ref);
    // A NaN is never greater than the maximum (ignored), unless it comes first (then index 0).
    const nan = Float32Array.from([0.5, NaN, 2, 1, NaN, 0, 3, 1]);
    expect(await argMaxOn("wasm", nan, [2, 4])).toEqual(await argMaxOn("cpu", nan, [2, 4]));
    expect(await argMaxOn("cpu", nan, [2, 4])).toEqual([2, 0]);
  });
});
