import { tf, useBackend } from "@glmjs/core";
import { GlmjsError } from "@glmjs/common";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";

beforeAll(async () => {
  await useBackend("wasm");
});

async function onCpu<T>(f: () => tf.Tensor): Promise<{ shape: number[]; values: number[] }> {
  await tf.setBackend("cpu");
  try {
    const t = f();
    const out = { shape: t.shape, values: Array.from(await t.data()) };
    t.dispose();
    return out as T & { shape: number[]; values: number[] };
  } finally {
    await tf.setBackend("wasm");
  }
}

describe("UnsortedSegmentSum on wasm", () => {
  it("is registered for wasm (tfjs 4.22 has none)", () => {
    expect(tf.getKernel("UnsortedSegmentSum", "wasm")).toBeDefined();
  });

  it("adds rows with repeated ids, zero-fills unused segments and drops out-of-range ids", async () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
      [9, 10],
    ]);
    const ids = tf.tensor1d([2, 0, 2, -1, 7], "int32");
    const out = tf.unsortedSegmentSum(x, ids, 4);
    expect(out.shape).toEqual([4, 2]);
    expect(Array.from(await out.data())).toEqual([3, 4, 0, 0, 6, 8, 0, 0]);
    tf.dispose([x, ids, out]);
  });

  it("handles int32 values and rank-3 values like the cpu backend", async () => {
    const make = () =>
      tf.unsortedSegmentSum(
        tf.tensor3d(
          [
            [[1], [2]],
            [[3], [4]],
            [[5], [6]],
          ],
          [3, 2, 1],
          "int32",
        ),
        tf.tensor1d([1, 0, 1], "int32"),
        3,
      );
    const expected = await onCpu(make);
    const out = make();
    expect(out.dtype).toBe("int32");
    expect(out.shape).toEqual(expected.shape);
    expect(Array.from(await out.data())).toEqual(expected.values);
    tf.dispose(out);
  });

  it("gives tf.gather a gradient equal to the cpu backend's (embedding training)", async () => {
    const rows = 100;
    const hidden = 64;
    const tableValues = Float32Array.from({ length: rows * hidden }, (_, i) => Math.sin(i));
    const idValues = Int32Array.from({ length: 256 }, (_, i) => (i * 37) % rows);
    const grad = () =>
      tf.tidy(() => {
        const table = tf.tensor2d(tableValues, [rows, hidden]);
        const ids = tf.tensor1d(idValues, "int32");
        const weights = tf.tensor2d(
          Float32Array.from({ length: 256 * hidden }, (_, i) => Math.cos(i)),
          [256, hidden],
        );
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), weights)))(table);
      });
    const expected = await onCpu(grad);
    const before = tf.memory().numTensors;
    const out = grad();
    const values = await out.data();
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let maxErr = 0;
    for (let i = 0; i < values.length; i++) maxErr = Math.max(maxErr, Math.abs(values[i]! - expected.values[i]!));
    expect(maxErr).toBeLessThan(1e-5);
    expect(expected.values.some((v) => v !== 0)).toBe(true);
  });

  it("rejects segment ids that do not prefix the values' shape", () => {
    const x = tf.zeros([4, 2]);
    const ids = tf.tensor1d([0, 1, 2], "int32");
    expect(() => tf.unsortedSegmentSum(x, ids, 3)).toThrow();
    let err: unknown;
    try {
      tf.unsortedSegmentSum(x, ids, 3);
    } catch (e) {
      err = e;
    }
    expect(GlmjsError.is(err, "INPUT_INVALID")).toBe(true);
    tf.dispose([x, ids]);
  });
});
