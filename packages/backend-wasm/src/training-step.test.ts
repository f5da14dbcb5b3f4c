// A training step of a tiny embedding → GELU MLP → tied-logits language model on wasm: the
// embedding gradient exists (glmjs's UnsortedSegmentSum), the transposed matMuls of the
// backward pass run, and the updated parameters match the cpu backend.
import { tf, useBackend } from "@glmjs/core";
import { describe, expect, it } from "vitest";
import "./index.js";
import { batchMatMul } from "./kernels/batch-mat-mul.js";

const VOCAB = 64;
const HIDDEN = 32;
const TOKENS = 48;

function init(seed: number, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7919 + i * 1.618) * scale);
}

interface Run {
  losses: number[];
  params: Float32Array[];
}

async function train(backend: string, steps: number): Promise<Run> {
  await useBackend(backend);
  const word = tf.variable(tf.tensor2d(init(1, VOCAB * HIDDEN, 0.3), [VOCAB, HIDDEN]));
  const fc1 = tf.variable(tf.tensor2d(init(2, HIDDEN * 2 * HIDDEN, 0.2), [HIDDEN, 2 * HIDDEN]));
  const fc2 = tf.variable(tf.tensor2d(init(3, 2 * HIDDEN * HIDDEN, 0.2), [2 * HIDDEN, HIDDEN]));
  const ids = tf.tensor1d(
    Int32Array.from({ length: TOKENS }, (_, i) => (i * 13) % VOCAB),
    "int32",
  );
  const targets = tf.tensor1d(
    Int32Array.from({ length: TOKENS }, (_, i) => (i * 13 + 1) % VOCAB),
    "int32",
  );
  const params = [word, fc1, fc2];
  const losses: number[] = [];
  const tensorsBefore = tf.memory().numTensors;
  for (let s = 0; s < steps; s++) {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.gather(word, ids);
        const m = tf.add(h, tf.matMul(tf.mul(tf.tanh(tf.matMul(h, fc1)), 0.5), fc2));
        const logits = tf.matMul(m, word, false, true);
        const picked = tf.sum(tf.mul(logits, tf.oneHot(targets, VOCAB, 1, 0, "float32")), 1);
        return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked));
      }, params);
      for (const p of params) p.assign(tf.sub(p, tf.mul(grads[p.name]!, 0.5)));
      return value;
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  const out = await Promise.all(params.map(async (p) => (await p.data()) as Float32Array));
  tf.dispose([...params, ids, targets]);
  return { losses, params: out };
}

describe("a training step on wasm", () => {
  it("runs glmjs's BatchMatMul kernel", () => {
    expect(tf.getKernel("BatchMatMul", "wasm")?.kernelFunc).toBe(batchMatMul);
  });

  it("trains the embedding and matches the cpu backend's losses and parameters", async () => {
    const cpu = await train("cpu", 4);
    const wasm = await train("wasm", 4);
    expect(cpu.losses[3]!).toBeLessThan(cpu.losses[0]!);
    for (let s = 0; s < 4; s++) expect(Math.abs(wasm.losses[s]! - cpu.losses[s]!)).toBeLessThan(1e-4);
    for (let p = 0; p < cpu.params.length; p++) {
      let maxErr = 0;
      for (let i = 0; i < cpu.params[p]!.length; i++) maxErr = Math.max(maxErr, Math.abs(wasm.params[p]![i]! - cpu.params[p]![i]!));
      expect(maxErr).toBeLessThan(1e-4);
    }
    // The embedding really moved (its gradient is the scatter-add).
    const initial = init(1, VOCAB * HIDDEN, 0.3);
    expect(wasm.params[0]!.some((v, i) => Math.abs(v - initial[i]!) > 1e-3)).toBe(true);
  });
});
