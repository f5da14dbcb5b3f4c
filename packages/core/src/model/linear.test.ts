import { describe, expect, it } from "vitest";
import { tf } from "../tfjs.js";
import { gelu } from "./mlp.js";
import { layerNorm } from "./layer-norm.js";
import { columnSums, linearWithGradient } from "./linear.js";

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 1.7);

/** Our op's value and gradients (for every input) against plain autodiff of the reference formula. */
function compare(ours: (...t: tf.Tensor[]) => tf.Tensor, ref: (...t: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol = 1e-5) {
  const dy = tf.tidy(() => tf.tensor(values(ref(...inputs).size, 99), ref(...inputs).shape));
  expect(maxAbsDiff(ours(...inputs), ref(...inputs))).toBeLessThan(tol);
  const g = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(ours(...t), dy)))(inputs);
  const want = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(ref(...t), dy)))(inputs);
  g.forEach((x, i) => {
    expect(x.shape).toEqual(inputs[i]!.shape);
    expect(maxAbsDiff(x, want[i]!)).toBeLessThan(tol);
  });
  tf.dispose([dy, ...g, ...want]);
}

describe("ops with hand-written gradients", () => {
  it("linearWithGradient = x·Wᵀ + b, for widening and narrowing layers", () => {
    for (const [n, inSize, outSize] of [
      [5, 3, 7],
      [6, 8, 2],
    ] as const) {
      const x = tf.tensor2d(values(n * inSize, 1), [n, inSize]);
      const w = tf.tensor2d(values(outSize * inSize, 2), [outSize, inSize]);
      const b = tf.tensor1d(values(outSize, 3));
      compare(linearWithGradient, (a, ww, bb) => tf.add(tf.matMul(a, ww, false, true), bb), [x, w, b]);
      tf.dispose([x, w, b]);
    }
    const m = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(Array.from(columnSums(m).dataSync())).toEqual([9, 12]);
    m.dispose();
  });

  it("layerNorm's closed-form gradient equals autodiff of the textbook formula", () => {
    const x = tf.tensor2d(values(4 * 6, 4), [4, 6]);
    const gamma = tf.tensor1d(values(6, 5));
    const beta = tf.tensor1d(values(6, 6));
    const ref = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const mean = tf.mean(a, -1, true);
      const c = tf.sub(a, mean);
      return tf.add(tf.mul(tf.mul(c, tf.rsqrt(tf.add(tf.mean(tf.square(c), -1, true), 1e-5))), g), b);
    };
    compare((a, g, b) => layerNorm(a, { gamma: g, beta: b }, 1e-5), ref, [x, gamma, beta]);
    tf.dispose([x, gamma, beta]);
  });

  it("tanh-GELU as x·σ(2u) equals 0.5·x·(1 + tanh u), value and gradient", () => {
    const x = tf.tensor1d([-9, -3, -1.2, -0.3, 0, 0.2, 0.9, 2.5, 8]);
    const c = Math.sqrt(2 / Math.PI);
    const ref = (a: tf.Tensor) => tf.mul(tf.mul(a, 0.5), tf.add(tf.tanh(tf.mul(tf.mul(a, c), tf.add(tf.mul(tf.square(a), 0.044715), 1))), 1));
    compare((a) => gelu(a, "gelu_new"), ref, [x], 1e-6);
    x.dispose();
  });
});
