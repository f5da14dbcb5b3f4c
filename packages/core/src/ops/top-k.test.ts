// GlmTopK (topKLogits) on cpu: the kernel against the composite (tf.topk + tf.logSumExp, what a
// backend without the kernel runs) and against the definition on hand-made rows: ties, NaN,
// -Infinity, k = 1 (tf.argMax's index) and k = cols.
import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { tf } from "../tfjs.js";
import { topKLogits } from "./top-k.js";
import { topKRow } from "./top-k-math.js";

/** The code of the GlmjsError `f` throws ("no error" / the message otherwise, so a failure shows what happened). */
function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

async function read(r: ReturnType<typeof topKLogits>) {
  const out = { indices: Array.from(await r.indices.data()), values: Array.from(await r.values.data()), logSumExp: Array.from(await r.logSumExp.data()) };
  tf.dispose([r.indices, r.values, r.logSumExp]);
  return out;
}

/** The definition: stable sort by value (descending), then log Σ exp in float64. */
function reference(row: number[], k: number) {
  const order = row.map((_, i) => i).sort((a, b) => row[b]! - row[a]! || a - b);
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return { indices: order.slice(0, k), values: order.slice(0, k).map((i) => Math.fround(row[i]!)), logSumExp: Math.fround(lse) };
}

describe("topKLogits (GlmTopK) on cpu", () => {
  it("equals the definition and the composite on random rows, for k = 1, 5 and every column", async () => {
    await tf.setBackend("cpu");
    const logits = tf.randomNormal([4, 300], 0, 3, "float32", 11);
    const rows = (await logits.array()) as number[][];
    for (const k of [1, 5, 300]) {
      const kernel = await read(topKLogits(logits, k));
      const composite = await read(topKLogits(logits, k, { composite: true }));
      expect(kernel.indices).toEqual(composite.indices);
      expect(kernel.values).toEqual(composite.values);
      kernel.logSumExp.forEach((v, r) => expect(Math.abs(v - composite.logSumExp[r]!)).toBeLessThan(1e-5));
      rows.forEach((row, r) => {
        const ref = reference(row, k);
        expect(kernel.indices.slice(r * k, (r + 1) * k)).toEqual(ref.indices);
        expect(kernel.values.slice(r * k, (r + 1) * k)).toEqual(ref.values);
        expect(kernel.logSumExp[r]).toBeCloseTo(ref.logSumExp, 5);
      });
      if (k === 1) {
        const argMax = tf.argMax(logits, -1);
        expect(kernel.indices).toEqual(Array.from(await argMax.data()));
        argMax.dispose();
      }
    }
    logits.dispose();
  });

  it("ties keep the lower index first, also at the cut; -Infinity rows and entries; NaN last", async () => {
    await tf.setBackend("cpu");
    const rows = [
      [1, 3, 3, 0, 3, 2],
      [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity],
      [0, -Infinity, 2, -Infinity, 2, 1],
      [NaN, 1, 4, NaN, 0, 4],
    ];
    const r = await read(topKLogits(tf.tensor2d(rows), 3));
    expect(r.indices).toEqual([1, 2, 4, 0, 1, 2, 2, 4, 5, 2, 5, 1]);
    expect(r.values.slice(0, 3)).toEqual([3, 3, 3]);
    expect(r.logSumExp[0]).toBeCloseTo(Math.log(Math.exp(1) + 3 * Math.exp(3) + 1 + Math.exp(2)), 5);
    expect(r.logSumExp[1]).toBe(-Infinity);
    expect(r.logSumExp[2]).toBeCloseTo(Math.log(1 + 2 * Math.exp(2) + Math.exp(1)), 5);
    expect(r.logSumExp[3]).toBeNaN();
    // Fewer numbers than k: NaN entries fill the rest in index order.
    const indices = new Int32Array(4);
    const values = new Float32Array(4);
    topKRow(Float32Array.from([NaN, 2, NaN, 1]), 0, 4, 4, indices, values, 0);
    expect(Array.from(indices)).toEqual([1, 3, 0, 2]);
    expect(Array.from(values.slice(0, 2))).toEqual([2, 1]);
  });

  it("refuses a k outside [1, cols] and a logits tensor that is not 2-D", () => {
    const x = tf.zeros([2, 4]);
    expect(() => topKLogits(x, 0)).toThrow(/k must be an integer in \[1, 4\]/);
    expect(() => topKLogits(x, 5)).toThrow(/k must be an integer/);
    expect(() => topKLogits(tf.zeros([4]), 1)).toThrow(/must be \[rows, cols\]/);
    expect(thrownCode(() => topKLogits(x, 5))).toBe("INPUT_INVALID");
    expect(thrownCode(() => topKLogits(tf.zeros([4]), 1))).toBe("INPUT_INVALID");
    x.dispose();
  });
});
