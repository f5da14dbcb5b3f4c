// The decoder's preallocated cache and fused ops: the same scripted decoding on cpu with glmjs's
// kernels (in-place cache) and on a cpu backend without them (the composite fallback every other
// backend runs), across capacity growth, a sliding maxMemoryLength window, multi-token steps,
// explicit masks with padded rows and beam reordering; picking tokens on the backend.
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import { GLMModel } from "./glm-model.js";
import type { GLMDecoder } from "./kv-cache.js";

const config = validateConfig({ num_layers: 2, hidden_size: 16, num_attention_heads: 2, vocab_size: 40, max_sequence_length: 16 });
const COMPOSITE = "cpu-without-glm-kernels";

/** Runs a fixed script of steps and returns every step's logits (and the memory lengths seen). */
async function script(decoder: GLMDecoder): Promise<{ logits: Float32Array[]; memory: number[] }> {
  const logits: Float32Array[] = [];
  const memory: number[] = [];
  const keep = async (t: tf.Tensor | undefined) => {
    logits.push(Float32Array.from(await (t as tf.Tensor).data()));
    tf.dispose(t);
    memory.push(decoder.memoryLength);
  };
  // Context of 5 (bidirectional), two rows.
  await keep(
    decoder.step(
      {
        inputIds: [
          [1, 2, 3, 4, 5],
          [6, 7, 8, 9, 10],
        ],
        positionIds: [
          [0, 1, 2, 3, 4],
          [0, 1, 2, 3, 4],
        ],
        blockPositionIds: [
          [0, 0, 0, 0, 0],
          [0, 0, 0, 0, 0],
        ],
        sep: 5,
      },
      { logits: "all" },
    ).logits,
  );
  // 70 single-token steps: past the first capacity (64), and past maxMemoryLength if set.
  for (let k = 0; k < 70; k++) {
    const b = (k % 16) + 1;
    await keep(decoder.step({ inputIds: [[(k * 7) % 40], [(k * 11) % 40]], positionIds: [[2], [3]], blockPositionIds: [[b], [b]] }).logits);
  }
  // A multi-token step (causal among themselves).
  await keep(
    decoder.step(
      {
        inputIds: [
          [3, 4, 5],
          [6, 7, 8],
        ],
        positionIds: [
          [2, 2, 2],
          [3, 3, 3],
        ],
        blockPositionIds: [
          [1, 2, 3],
          [1, 2, 3],
        ],
        sep: 0,
      },
      { logits: "all" },
    ).logits,
  );
  // An explicit mask over memory + 2 new tokens, the second row padded (its first new token hidden).
  const m = decoder.memoryLength;
  const row = (hideFirst: boolean, q: number) =>
    Array.from({ length: m + 2 }, (_, j) => (j < m ? (j % 3 === 0 ? 0 : 1) : j - m <= q && !(hideFirst && j === m) ? 1 : 0));
  const mask = [[[row(false, 0), row(false, 1)]], [[row(true, 0), row(true, 1)]]];
  await keep(
    decoder.step(
      {
        inputIds: [
          [9, 10],
          [0, 11],
        ],
        positionIds: [
          [4, 4],
          [4, 4],
        ],
        blockPositionIds: [
          [1, 2],
          [1, 2],
        ],
        attentionMask: mask,
      },
      { logits: "all" },
    ).logits,
  );
  // Beams: three rows from the two, then a step.
  decoder.reorder([1, 0, 1]);
  await keep(decoder.step({ inputIds: [[12], [13], [14]], positionIds: [[2], [2], [2]], blockPositionIds: [[3], [3], [3]] }).logits);
  return { logits, memory };
}

async function onBackend<T>(name: string, f: () => Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return await f();
  } finally {
    await tf.setBackend(previous);
  }
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  let worst = 0;
  a.forEach((x, i) => x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]![j]!)))));
  return worst;
}

describe("GLMDecoder: kernels and composite fallback agree", () => {
  beforeAll(() => {
    tf.registerBackend(COMPOSITE, () => new MathBackendCPU(), -1);
    for (const k of tf.getKernelsForBackend("cpu")) if (!k.kernelName.startsWith("Glm")) tf.registerKernel({ ...k, backendName: COMPOSITE });
  });
  afterAll(async () => {
    await tf.setBackend("cpu");
    for (const k of tf.getKernelsForBackend(COMPOSITE)) tf.unregisterKernel(k.kernelName, COMPOSITE);
    tf.removeBackend(COMPOSITE);
  });

  for (const maxMemoryLength of [0, 12]) {
    it(`the same logits within 1e-5 over a scripted session (maxMemoryLength ${maxMemoryLength}), leaking nothing`, async () => {
      const run = (backend: string) =>
        onBackend(backend, async () => {
          const before = tf.memory().numTensors;
          const model = GLMModel.fromConfig(config, { seed: 3 });
          const decoder = model.createDecoder({ maxMemoryLength });
          const out = await script(decoder);
          decoder.dispose();
          model.dispose();
          expect(tf.memory().numTensors).toBe(before);
          return out;
        });
      await tf.setBackend("cpu");
      const kernels = await run("cpu");
      const composite = await run(COMPOSITE);
      expect(kernels.memory).toEqual(composite.memory);
      expect(kernels.memory.at(-1)).toBe(maxMemoryLength || 5 + 70 + 3 + 2 + 1);
      if (maxMemoryLength) expect(Math.max(...kernels.memory)).toBe(maxMemoryLength);
      expect(maxDiff(kernels.logits, composite.logits)).toBeLessThan(1e-5);
    }, 60_000);
  }

  it("76 cached positions (two capacity growths' worth) match one full forward within 1e-5", async () => {
    await tf.setBackend("cpu");
    const model = GLMModel.fromConfig(config, { seed: 4 });
    const ids = Array.from({ length: 76 }, (_, i) => (i * 13) % 40);
    const pos = ids.map((_, i) => (i < 6 ? i : 2));
    const block = ids.map((_, i) => (i < 6 ? 0 : ((i - 6) % 16) + 1));
    const decoder = model.createDecoder();
    tf.dispose(
      decoder.step({ inputIds: [ids.slice(0, 6)], positionIds: [pos.slice(0, 6)], blockPositionIds: [block.slice(0, 6)], sep: 6 }, { logits: "none" }).logits,
    );
    const steps: Float32Array[] = [];
    for (let i = 6; i < 76; i++) {
      const { logits } = decoder.step({ inputIds: [[ids[i]!]], positionIds: [[pos[i]!]], blockPositionIds: [[block[i]!]] });
      steps.push(Float32Array.from(await (logits as tf.Tensor).data()));
      tf.dispose(logits);
    }
    const full = model.forward({ inputIds: [ids], positionIds: [pos], blockPositionIds: [block], sep: 6 }).logits;
    const ref = await tf.slice(full, [0, 6, 0], [1, 70, -1]).data();
    expect(
      maxDiff(
        steps,
        steps.map((_, k) => ref.subarray(k * 40, (k + 1) * 40)),
      ),
    ).toBeLessThan(1e-5);
    tf.dispose(full);
    decoder.dispose();
    model.dispose();
  });
});

describe("GLMDecoder: picking tokens on the backend", () => {
  it("select argmax / topK give the logits' argmax and log-softmax top k; stepArgmax reads back ids", async () => {
    await tf.setBackend("cpu");
    const model = GLMModel.fromConfig(config, { seed: 5 });
    const ctx = {
      inputIds: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      positionIds: [
        [0, 1, 2],
        [0, 1, 2],
      ],
      blockPositionIds: [
        [0, 0, 0],
        [0, 0, 0],
      ],
      sep: 3,
    };
    const next = { inputIds: [[7], [8]], positionIds: [[1], [1]], blockPositionIds: [[1], [1]] };
    const a = model.createDecoder();
    const b = model.createDecoder();
    const before = tf.memory().numTensors;
    const withLogits = a.step(ctx, { select: "argmax", logits: "last" });
    const picked = b.step(ctx, { select: { topK: 3 } });
    expect(picked.logits).toBeUndefined();
    const logits = withLogits.logits as tf.Tensor2D;
    const refIds = tf.argMax(logits, -1);
    expect(Array.from(await (withLogits.ids as tf.Tensor).data())).toEqual(Array.from(await refIds.data()));
    const ref = tf.tidy(() => tf.topk(tf.logSoftmax(logits, -1), 3));
    expect(picked.topK!.indices.shape).toEqual([2, 3]);
    expect(Array.from(await picked.topK!.indices.data())).toEqual(Array.from(await ref.indices.data()));
    const [lp, rp] = [await picked.topK!.logProbs.data(), await ref.values.data()];
    lp.forEach((v, i) => expect(v).toBeCloseTo(rp[i]!, 5));
    tf.dispose([withLogits.ids, logits, refIds, picked.topK!.indices, picked.topK!.logProbs, ref.indices, ref.values]);
    // stepArgmax: the same ids as select on the other decoder, read back, nothing left behind.
    const ids = await a.stepArgmax(next);
    const viaSelect = b.step(next, { select: "argmax" }).ids as tf.Tensor;
    expect(ids).toBeInstanceOf(Int32Array);
    expect(Array.from(ids)).toEqual(Array.from(await viaSelect.data()));
    viaSelect.dispose();
    expect(tf.memory().numTensors).toBe(before + 2 * 2 * config.num_layers);
    expect(() => a.step(next, { select: { topK: 0 } })).toThrow(/select must be/);
    a.dispose();
    b.dispose();
    model.dispose();
  });

  it("{ topK: 1 } is the argmax with its log-probability; logits: true adds the raw logits and each row's log Σ exp", async () => {
    await tf.setBackend("cpu");
    const model = GLMModel.fromConfig(config, { seed: 6 });
    const ctx = {
      inputIds: [
        [1, 2, 3],
        [4, 5, 6],
      ],
      positionIds: [
        [0, 1, 2],
        [0, 1, 2],
      ],
      blockPositionIds: [
        [0, 0, 0],
        [0, 0, 0],
      ],
      sep: 3,
    };
    const decoder = model.createDecoder();
    const before = tf.memory().numTensors;
    const one = decoder.step(ctx, { select: { topK: 1 }, logits: "last" });
    const logits = one.logits as tf.Tensor2D;
    const rows = (await logits.array()) as number[][];
    const lse = rows.map((r) => {
      const max = Math.max(...r);
      return max + Math.log(r.reduce((s, v) => s + Math.exp(v - max), 0));
    });
    const argMax = tf.argMax(logits, -1);
    expect(Array.from(await one.topK!.indices.data())).toEqual(Array.from(await argMax.data()));
    const lp1 = await one.topK!.logProbs.data();
    rows.forEach((r, i) => expect(lp1[i]).toBeCloseTo(Math.max(...r) - lse[i]!, 5));
    expect(one.topK!.logits).toBeUndefined();
    tf.dispose([one.topK!.indices, one.topK!.logProbs, logits, argMax]);
    decoder.reorder([0, 1]);
    const next = { inputIds: [[7], [8]], positionIds: [[1], [1]], blockPositionIds: [[1], [1]] };
    const other = model.createDecoder();
    tf.dispose(other.step(ctx, { logits: "none" }).logits);
    const four = decoder.step(next, { select: { topK: 4, logits: true } });
    const full = other.step(next).logits as tf.Tensor2D;
    const fullRows = (await full.array()) as number[][];
    const [indices, raw, lp, rowLse] = await Promise.all([
      four.topK!.indices.data(),
      four.topK!.logits!.data(),
      four.topK!.logProbs.data(),
      four.topK!.logSumExp!.data(),
    ]);
    fullRows.forEach((r, i) => {
      const order = r.map((_, j) => j).sort((a, b) => r[b]! - r[a]! || a - b);
      expect(Array.from(indices.slice(4 * i, 4 * i + 4))).toEqual(order.slice(0, 4));
      order.slice(0, 4).forEach((j, c) => {
        expect(raw[4 * i + c]).toBeCloseTo(r[j]!, 6);
        expect(lp[4 * i + c]).toBeCloseTo(raw[4 * i + c]! - rowLse[i]!, 6);
      });
      const max = Math.max(...r);
      expect(rowLse[i]).toBeCloseTo(max + Math.log(r.reduce((s, v) => s + Math.exp(v - max), 0)), 5);
    });
    tf.dispose([four.topK!.indices, four.topK!.logProbs, four.topK!.logits!, four.topK!.logSumExp!, full]);
    other.dispose();
    // What is left is the decoder's own cache: keys and values per layer.
    expect(tf.memory().numTensors).toBe(before + 2 * config.num_layers);
    decoder.dispose();
    model.dispose();
  });
});
