import { fusedLinear, tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

/** x [rows, k] · w [k, n] in float64. */
function product(x: ArrayLike<number>, w: ArrayLike<number>, rows: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += x[r * k + i]! * w[i * n + j]!;
      out.push(s);
    }
  }
  return out;
}

function maxError(got: ArrayLike<number>, want: number[]): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  return worst;
}

describe("a weight multiplied in two layouts (a reshape shares its data)", () => {
  // With tfjs 4.22's own wasm kernels the second product reuses the first layout's XNNPACK
  // operator and aborts the module (or corrupts its heap).
  it("gives the right products in both layouts, through every matMul path and GlmLinear, and frees its copies", () => {
    const cases: { rows: number; k: number; n: number }[] = [
      { rows: 3, k: 32, n: 64 }, // 6,144 multiply-adds: below glmjs's XNNPACK threshold, tfjs's own kernel
      { rows: 8, k: 64, n: 96 }, // glmjs's XNNPACK 2-D and tall paths
    ];
    for (const { rows, k, n } of cases) {
      const w = tf.randomNormal([k, n], 0, 1, "float32", k);
      const reshaped = tf.reshape(w, [n, k]);
      const x = tf.randomNormal([rows, k], 0, 1, "float32", 1);
      const x2 = tf.randomNormal([rows, n], 0, 1, "float32", 2);
      const tall = tf.randomNormal([2, rows, n], 0, 1, "float32", 3);
      const [wv, xv, x2v, tallv] = [w.dataSync(), x.dataSync(), x2.dataSync(), tall.dataSync()];
      const tensors = tf.memory().numTensors;
      for (let round = 0; round < 2; round++) {
        const first = tf.matMul(x, w);
        const second = tf.matMul(x2, reshaped);
        const third = tf.matMul(tall, reshaped); // a batch sharing the weight: one tall product
        const fused = fusedLinear(x2, reshaped);
        expect(maxError(first.dataSync(), product(xv, wv, rows, k, n))).toBeLessThan(1e-4);
        expect(maxError(second.dataSync(), product(x2v, wv, rows, n, k))).toBeLessThan(1e-4);
        expect(maxError(third.dataSync(), product(tallv, wv, 2 * rows, n, k))).toBeLessThan(1e-4);
        expect(maxError(fused.dataSync(), product(x2v, wv, rows, n, k))).toBeLessThan(1e-4);
        expect(third.shape).toEqual([2, rows, k]);
        tf.dispose([first, second, third, fused]);
      }
      expect(tf.memory().numTensors).toBe(tensors);
      tf.dispose([w, reshaped, x, x2, tall]);
    }
  });
});
