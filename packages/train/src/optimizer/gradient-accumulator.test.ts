import { describe, expect, it } from "vitest";
import { tf } from "@glmjs/core";
import { GradientAccumulator } from "./gradient-accumulator.js";

// A masked-mean squared error over "tokens" (rows of x) stands in for the masked-mean cross-entropy:
// what matters is that the loss is a mean over a per-micro-batch number of tokens.
function meanLossAndGrad(w: tf.Variable, x: number[][], y: number[]) {
  const { value, grads } = tf.variableGrads(() => {
    const pred = tf.matMul(tf.tensor2d(x), tf.reshape(w, [-1, 1]));
    return tf.mean(tf.square(tf.sub(tf.reshape(pred, [-1]), tf.tensor1d(y)))) as tf.Scalar;
  }, [w]);
  const loss = value.dataSync()[0]!;
  value.dispose();
  return { loss, grad: grads[w.name]! };
}

describe("GradientAccumulator", () => {
  it("gives exactly the gradient and loss of one batch holding every micro-batch's tokens", () => {
    const w = tf.variable(tf.tensor1d([0.5, -1.5]));
    const xa = [
      [1, 2],
      [3, -1],
    ];
    const ya = [1, 0];
    const xb = [
      [0.5, 0.5],
      [-2, 1],
      [1, 1],
    ];
    const yb = [2, -1, 0.5];
    const acc = new GradientAccumulator();
    const a = meanLossAndGrad(w, xa, ya);
    acc.add(new Map([["w", a.grad]]), a.loss, 2);
    const b = meanLossAndGrad(w, xb, yb);
    acc.add(new Map([["w", b.grad]]), b.loss, 3);
    expect(acc.microBatches).toBe(2);
    const whole = meanLossAndGrad(w, [...xa, ...xb], [...ya, ...yb]);
    expect(acc.meanLoss()).toBeCloseTo(whole.loss, 5);
    const g = acc.take().get("w")!;
    const ref = [...whole.grad.dataSync()];
    [...g.dataSync()].forEach((v, i) => expect(v).toBeCloseTo(ref[i]!, 5));
    expect(acc.tokens).toBe(0);
    tf.dispose([w, g, whole.grad]);
  });

  it("hands back a single micro-batch's gradients untouched and frees what it drops", () => {
    const before = tf.memory().numTensors;
    const acc = new GradientAccumulator();
    const g = tf.tensor1d([1, 2, 3]);
    acc.add(new Map([["w", g]]), 1.5, 7);
    const out = acc.take().get("w")!;
    expect(out).toBe(g);
    out.dispose();
    acc.add(new Map([["w", tf.tensor1d([1])]]), 1, 1);
    acc.add(new Map([["w", tf.tensor1d([2])]]), 1, 1);
    acc.reset();
    expect(tf.memory().numTensors).toBe(before);
  });
});
