import { describe, expect, it } from "vitest";
import { tf } from "../tfjs.js";
import { logSumExpRows, tiedLogSumExp } from "./log-sum-exp.js";

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe("logSumExpRows / tiedLogSumExp", () => {
  it("equal tf.logSumExp and its gradient, also for rows far from 0", () => {
    const logits = tf.tensor2d([
      [1, 2, 3, -4],
      [1000, 999, -1000, 998],
      [-80, -81, -79, -200],
    ]);
    const dy = tf.tensor1d([0.5, -2, 1]);
    expect(maxAbsDiff(logSumExpRows(logits), tf.logSumExp(logits, 1))).toBeLessThan(1e-5);
    const ours = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(logSumExpRows(x), dy)))(logits);
    const ref = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.logSumExp(x, 1), dy)))(logits);
    expect(maxAbsDiff(ours, ref)).toBeLessThan(1e-6);
    tf.dispose([logits, dy, ours, ref]);
  });

  it("tiedLogSumExp(h, W) = logsumexp(h·Wᵀ) with the same gradients for h and W", () => {
    const h = tf.tensor2d([0.3, -1.2, 0.7, 2, 0.1, -0.4], [2, 3]);
    const w = tf.tensor2d([0.5, 0.1, -0.3, 1.5, -2, 0.2, 0.05, 0.9, -0.6, 0.4, 0.4, 0.4, -1, 0, 1], [5, 3]);
    const dy = tf.tensor1d([1.5, -0.5]);
    const ref = (a: tf.Tensor, b: tf.Tensor) => tf.logSumExp(tf.matMul(a, b, false, true), 1);
    expect(maxAbsDiff(tiedLogSumExp(h, w), ref(h, w))).toBeLessThan(1e-6);
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tiedLogSumExp(a, b), dy)))([h, w]);
    const want = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(ref(a, b), dy)))([h, w]);
    expect(ours[1]!.shape).toEqual([5, 3]);
    ours.forEach((g, i) => expect(maxAbsDiff(g, want[i]!)).toBeLessThan(1e-6));
    tf.dispose([h, w, dy, ...ours, ...want]);
  });
});
