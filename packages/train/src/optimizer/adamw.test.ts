import { describe, expect, it } from "vitest";
import { tf } from "@glmjs/core";
import { AdamW } from "./adamw.js";
import { isNoDecayParameter } from "./weight-decay.js";

const near = (actual: ArrayLike<number>, expected: number[], tol = 1e-6) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i]! - e)).toBeLessThan(tol));
};

describe("AdamW", () => {
  it("matches a hand-computed first and second step (decay on weights, none on biases)", () => {
    const weight = tf.variable(tf.tensor1d([1.0, -2.0]));
    const bias = tf.variable(tf.tensor1d([1.0, -2.0]));
    const opt = new AdamW(
      new Map([
        ["layers.0.dense.weight", weight],
        ["layers.0.dense.bias", bias],
      ]),
      { beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0.1 },
    );
    const g = tf.tensor1d([0.5, -0.25]);
    opt.applyGradients(
      new Map([
        ["layers.0.dense.weight", g],
        ["layers.0.dense.bias", g],
      ]),
      0.1,
    );
    // Step 1 by hand: m = 0.1·g = [0.05, −0.025]; v = 0.02·g² = [0.005, 0.00125];
    // m̂ = m/0.1 = [0.5, −0.25]; √v̂ = √(v/0.02) = [0.5, 0.25];
    // update = m̂/(√v̂ + 1e-6) = [0.5/0.500001, −0.25/0.250001] = [0.999998, −0.999996].
    // weight: p·(1 − lr·wd) − lr·update = [0.99 − 0.0999998, −1.98 + 0.0999996] = [0.8900002, −1.8800004].
    // bias (no decay): [1 − 0.0999998, −2 + 0.0999996] = [0.9000002, −1.9000004].
    near(weight.dataSync(), [0.8900002, -1.8800004]);
    near(bias.dataSync(), [0.9000002, -1.9000004]);
    expect(opt.step).toBe(1);

    // Step 2 with gradient [−0.5, 0.25], lr 0.05:
    // m = 0.9·[0.05, −0.025] + 0.1·[−0.5, 0.25] = [−0.005, 0.0025]; m̂ = m/(1 − 0.81) = [−0.0263158, 0.0131579]
    // v = 0.98·[0.005, 0.00125] + 0.02·[0.25, 0.0625] = [0.0099, 0.002475]; v̂ = v/(1 − 0.9604) = [0.25, 0.0625]
    // update = m̂/(√v̂ + 1e-6) = [−0.0526315, 0.0526314]
    // bias: [0.9000002 + 0.05·0.0526315, −1.9000004 − 0.05·0.0526314] = [0.9026318, −1.9026320]
    // weight: [0.8900002·0.995 + 0.0026316, −1.8800004·0.995 − 0.0026316] = [0.8881818, −1.8732320]
    const g2 = tf.tensor1d([-0.5, 0.25]);
    opt.applyGradients(
      new Map([
        ["layers.0.dense.weight", g2],
        ["layers.0.dense.bias", g2],
      ]),
      0.05,
    );
    near(bias.dataSync(), [0.9026318, -1.902632]);
    near(weight.dataSync(), [0.8881818, -1.873232]);
    tf.dispose([weight, bias, g, g2]);
    opt.dispose();
  });

  it("puts ε after the bias-corrected root, where it matters for tiny gradients", () => {
    // With |g| of the order of ε the update is no longer ±lr per element: ε decides it. The values
    // differ by ≥ 2.5e-3 from those of every misplaced ε (none: ±0.01 at step 1; inside the root:
    // √(v̂ + ε) ≈ 1e-3; before bias correction, as in Kingma & Ba's compact form: ε/√(1 − β2ᵗ) ≈ 7ε).
    const p = tf.variable(tf.tensor1d([0, 0, 0]));
    const opt = new AdamW(new Map([["layers.0.dense.bias", p]]), { beta1: 0.9, beta2: 0.98, epsilon: 1e-6, weightDecay: 0 });
    const g1 = tf.tensor1d([1e-6, -3e-6, 2e-5]);
    opt.applyGradients(new Map([["layers.0.dense.bias", g1]]), 0.01);
    // Step 1: m̂ = g, √v̂ = |g|; update = g / (|g| + 1e-6) = [1/2, −3/4, 20/21]; p = −0.01 · update.
    near(p.dataSync(), [-0.005, 0.0075, -0.0095238095], 1e-7);
    const g2 = tf.tensor1d([-1e-6, 1e-6, 0]);
    opt.applyGradients(new Map([["layers.0.dense.bias", g2]]), 0.01);
    // Step 2: m = 0.9·[1e-7, −3e-7, 2e-6] + 0.1·g2 = [−1e-8, −1.7e-7, 1.8e-6]; m̂ = m / 0.19;
    // v = 0.98·[2e-14, 1.8e-13, 8e-12] + 0.02·g2² = [3.96e-14, 1.964e-13, 7.84e-12]; √v̂ = √(v / 0.0396)
    // = [1e-6, 2.2270150e-6, 1.4070529e-5]; update = m̂ / (√v̂ + 1e-6) = [−0.0263158, −0.2772645, 0.6286232].
    near(p.dataSync(), [-0.0047368421, 0.0102726454, -0.0158100414], 1e-7);
    tf.dispose([p, g1, g2]);
    opt.dispose();
  });

  it("exempts biases and LayerNorm parameters from weight decay, by checkpoint name", () => {
    expect(isNoDecayParameter("transformer.layers.3.input_layernorm.weight")).toBe(true);
    expect(isNoDecayParameter("transformer.layers.3.post_attention_layernorm.bias")).toBe(true);
    expect(isNoDecayParameter("transformer.final_layernorm.weight")).toBe(true);
    expect(isNoDecayParameter("transformer.layers.0.attention.query_key_value.bias")).toBe(true);
    expect(isNoDecayParameter("transformer.layers.0.attention.query_key_value.weight")).toBe(false);
    expect(isNoDecayParameter("word_embeddings.weight")).toBe(false);
    expect(isNoDecayParameter("transformer.position_embeddings.weight")).toBe(false);
  });

  it("frees everything it allocated on dispose", () => {
    const p = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
    );
    const before = tf.memory().numTensors;
    const opt = new AdamW(new Map([["w", p]]));
    const g = tf.onesLike(p);
    opt.applyGradients(new Map([["w", g]]), 0.1);
    g.dispose();
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });

  it("round-trips its state and refuses a state of another shape", () => {
    const p = tf.variable(tf.tensor1d([1, 2, 3]));
    const opt = new AdamW(new Map([["w", p]]));
    const g = tf.tensor1d([0.1, -0.2, 0.3]);
    opt.applyGradients(new Map([["w", g]]), 0.01);
    const state = opt.getState();
    const other = new AdamW(new Map([["w", tf.variable(tf.tensor1d([1, 2, 3]))]]));
    other.setState(state);
    expect(other.step).toBe(1);
    expect([...other.getState().moments.get("w")!.m.dataSync()]).toEqual([...state.moments.get("w")!.m.dataSync()]);
    const wrong = new AdamW(new Map([["w", tf.variable(tf.tensor1d([1, 2]))]]));
    expect(() => wrong.setState(state)).toThrow(/shape/);
    tf.dispose([p, g, state.moments.get("w")!.m, state.moments.get("w")!.v]);
    opt.dispose();
    other.dispose();
    wrong.dispose();
  });
});
