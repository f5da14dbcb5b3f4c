import { GLM_KERNELS, cachedAttention, tf, useBackend } from "@glmjs/core";
import { beforeAll, describe, expect, it } from "vitest";
import "../index.js";
import { maxDiff, randomInputs, runOn } from "../test-helpers/fused-kernels.js";

beforeAll(async () => {
  await useBackend("wasm");
});

const geometries = [
  // A decode step (one query, no mask), a multi-token step with a per-query mask, a head size
  // that is not a multiple of 4 (JavaScript path) with a mask shared by the queries.
  { batch: 2, heads: 4, headSize: 8, capacity: 40, start: 5, length: 30, seq: 1 },
  { batch: 3, heads: 2, headSize: 16, capacity: 20, start: 0, length: 9, seq: 4, maskRows: 4 },
  { batch: 1, heads: 3, headSize: 6, capacity: 9, start: 2, length: 3, seq: 2, maskRows: 1 },
];

describe("GlmCachedAttention on wasm", () => {
  for (const g of geometries) {
    it(`matches cpu (context and the written cache), SIMD and JavaScript: ${JSON.stringify(g)}`, async () => {
      expect(tf.getKernel(GLM_KERNELS.cachedAttention, "wasm")).toBeDefined();
      const hidden = g.heads * g.headSize;
      const cache = [g.batch, g.heads, g.capacity, g.headSize];
      const inputs = randomInputs(
        { qkv: [g.batch * g.seq, 3 * hidden], keys: cache, values: cache, ...(g.maskRows ? { mask: [g.batch, 1, g.maskRows, g.length + g.seq] } : {}) },
        g.capacity,
      );
      if (inputs["mask"]) inputs["mask"].values = inputs["mask"].values.map((v, i) => (v > -0.3 || i % (g.length + g.seq) === 0 ? 1 : 0));
      const f = (x: Record<string, tf.Tensor>) => {
        const r = cachedAttention(tf.mul(x["qkv"]!, 2), x["keys"] as tf.Tensor4D, x["values"] as tf.Tensor4D, x["mask"], {
          heads: g.heads,
          start: g.start,
          length: g.length,
          keyDivisor: Math.fround(Math.sqrt(g.headSize)),
        });
        return [r.context, r.keys, r.values];
      };
      const cpu = await runOn("cpu", inputs, f);
      expect(maxDiff(await runOn("wasm", inputs, f), cpu)).toBeLessThan(2e-6);
      expect(maxDiff(await runOn("wasm", inputs, f, false), cpu)).toBeLessThan(2e-6);
    });
  }

  it("writes in place: the returned buffers share the inputs' heap data and outlive their handles", async () => {
    await tf.setBackend("wasm");
    const before = tf.memory().numBytes;
    const keys = tf.zeros([1, 1, 8, 4]) as tf.Tensor4D;
    const values = tf.zeros([1, 1, 8, 4]) as tf.Tensor4D;
    const qkv = tf.tensor2d([[1, 2, 3, 4, 4, 8, 12, 16, 5, 6, 7, 8]]);
    const r = cachedAttention(qkv, keys, values, undefined, { heads: 1, start: 0, length: 0, keyDivisor: 2 });
    expect(r.keys.dataId).toBe(keys.dataId);
    tf.dispose([keys, values]);
    expect(Array.from((await r.keys.data()).slice(0, 8))).toEqual([2, 4, 6, 8, 0, 0, 0, 0]);
    expect(Array.from(await r.context.data())).toEqual([5, 6, 7, 8]);
    tf.dispose([qkv, r.context, r.keys, r.values]);
    expect(tf.memory().numBytes).toBe(before);
  });
});
