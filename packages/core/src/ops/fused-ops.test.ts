// glmjs's fused decoding ops on cpu: the cpu kernel against the composite of tfjs ops (what a
// backend without the kernel runs), and the in-place cache write.
import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { tf } from "../tfjs.js";
import { cachedAttention } from "./cached-attention.js";
import { GLM_KERNELS, backendHasKernel } from "./kernel-names.js";
import { fusedLayerNorm } from "./layer-norm.js";
import { fusedLinear } from "./linear.js";

/** The code of the GlmjsError `f` throws ("no error" / the message otherwise, so a failure shows what happened). */
function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

const close = async (a: tf.Tensor, b: tf.Tensor, tol: number) => {
  expect(a.shape).toEqual(b.shape);
  const [x, y] = [await a.data(), await b.data()];
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
};

describe("fused decoding ops on cpu", () => {
  it("registers cpu kernels for every op on first use", () => {
    tf.dispose(fusedLayerNorm(tf.ones([1, 4]), tf.ones([4]), tf.zeros([4]), 1e-5));
    for (const name of Object.values(GLM_KERNELS)) expect(backendHasKernel(name)).toBe(true);
  });

  it("LayerNorm: the kernel equals the composite, rows normalised to mean beta and scale gamma", async () => {
    const x = tf.randomNormal([6, 24], 3, 2, "float32", 1);
    const gamma = tf.randomUniform([24], 0.5, 1.5, "float32", 2);
    const beta = tf.randomUniform([24], -1, 1, "float32", 3);
    const kernel = fusedLayerNorm(x, gamma, beta, 1e-5);
    await close(kernel, fusedLayerNorm(x, gamma, beta, 1e-5, { composite: true }), 2e-6);
    // With gamma 1 and beta 0 every row has mean 0 and (biased) variance 1 - eps-ish.
    const plain = fusedLayerNorm(x, tf.ones([24]), tf.zeros([24]), 1e-5);
    const { mean, variance } = tf.moments(plain, -1);
    expect(Math.max(...(await mean.data()).map(Math.abs))).toBeLessThan(1e-6);
    for (const v of await variance.data()) expect(v).toBeCloseTo(1, 4);
  });

  for (const activation of ["none", "gelu_tanh", "gelu_erf"] as const) {
    it(`Linear with ${activation}: the kernel equals the composite, with and without bias and residual`, async () => {
      const x = tf.randomNormal([3, 10], 0, 1, "float32", 4);
      const kernel = tf.randomNormal([10, 6], 0, 0.5, "float32", 5);
      const bias = tf.randomNormal([6], 0, 0.5, "float32", 6);
      const residual = tf.randomNormal([3, 6], 0, 1, "float32", 7);
      for (const options of [{}, { bias }, { bias, residual }, { residual }]) {
        await close(fusedLinear(x, kernel, { ...options, activation }), fusedLinear(x, kernel, { ...options, activation, composite: true }), 2e-6);
      }
    });
  }

  it("Linear: GELU values are the tanh form's (0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))))", async () => {
    const xs = [-3, -1, -0.5, 0, 0.5, 1, 3];
    const y = await fusedLinear(tf.tensor2d(xs, [7, 1]), tf.ones([1, 1]), { activation: "gelu_tanh" }).data();
    xs.forEach((x, i) => expect(y[i]).toBeCloseTo(0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), 6));
    expect(() => fusedLinear(tf.ones([2, 3]), tf.ones([4, 5]))).toThrow(/do not multiply/);
    expect(thrownCode(() => fusedLinear(tf.ones([2, 3]), tf.ones([4, 5])))).toBe("INPUT_INVALID");
  });

  it("cached attention: the kernel writes the step into the cache in place and equals the composite", async () => {
    const [batch, heads, headSize, capacity] = [2, 3, 4, 10];
    const attrs = { heads, start: 2, length: 5, keyDivisor: Math.fround(Math.sqrt(headSize)) };
    const qkv = tf.randomNormal([batch * 2, 3 * heads * headSize], 0, 1, "float32", 8);
    const keys0 = tf.randomNormal([batch, heads, capacity, headSize], 0, 1, "float32", 9) as tf.Tensor4D;
    const values0 = tf.randomNormal([batch, heads, capacity, headSize], 0, 1, "float32", 10) as tf.Tensor4D;
    const mask = tf.tensor4d([1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], [batch, 1, 2, 7]);
    const composite = cachedAttention(qkv, keys0, values0, mask, attrs, { composite: true });
    // Fresh copies (clone() would share the data, and the kernel writes in place).
    const keys = tf.tensor(await keys0.data(), keys0.shape) as tf.Tensor4D;
    const values = tf.tensor(await values0.data(), values0.shape) as tf.Tensor4D;
    const before = Float32Array.from(await keys.data());
    const r = cachedAttention(qkv, keys, values, mask, attrs);
    expect(r.keys.dataId).toBe(keys.dataId);
    expect(r.values.dataId).toBe(values.dataId);
    await close(r.context, composite.context, 2e-6);
    await close(r.keys, composite.keys, 1e-7);
    await close(r.values, composite.values, 0);
    // The write landed at start + length = 7 and 8, and nothing else moved.
    const after = await keys.data();
    const changed = new Set<number>();
    for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) changed.add(Math.floor(i / headSize) % capacity);
    expect([...changed].sort()).toEqual([7, 8]);
    // The returned buffers outlive the input handles (shared, reference-counted data).
    tf.dispose([keys, values]);
    expect((await r.keys.data()).length).toBe(batch * heads * capacity * headSize);
  });

  it("cached attention: refuses a window beyond the capacity and a wrong mask, writing nothing", async () => {
    const keys = tf.zeros([1, 1, 4, 4]) as tf.Tensor4D;
    const values = tf.zeros([1, 1, 4, 4]) as tf.Tensor4D;
    const qkv = tf.ones([2, 12]);
    expect(() => cachedAttention(qkv, keys, values, undefined, { heads: 1, start: 1, length: 2, keyDivisor: 2 })).toThrow(/exceeds the capacity 4/);
    expect(thrownCode(() => cachedAttention(qkv, keys, values, undefined, { heads: 1, start: 1, length: 2, keyDivisor: 2 }))).toBe("INPUT_INVALID");
    expect(() => cachedAttention(qkv, keys, values, tf.ones([1, 1, 2, 3]), { heads: 1, start: 0, length: 2, keyDivisor: 2 })).toThrow(
      /mask \[1,1,2,3\] must be/,
    );
    expect(() => cachedAttention(tf.ones([2, 9]), keys, values, undefined, { heads: 1, start: 0, length: 0, keyDivisor: 2 })).toThrow(/does not fit/);
    expect(Array.from(await keys.data()).every((v) => v === 0)).toBe(true);
  });
});
