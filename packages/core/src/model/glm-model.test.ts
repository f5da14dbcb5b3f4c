import { describe, expect, it } from "vitest";
import { validateConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import { GLMModel } from "./glm-model.js";
import type { GLMTrainingBatch } from "./loss.js";

// A small random model: 2 layers, hidden 32, 4 heads, 50 words, 16 positions.
const config = validateConfig({ num_layers: 2, hidden_size: 32, num_attention_heads: 4, vocab_size: 50, max_sequence_length: 16 });

function randomIds(n: number, max: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % max;
  });
}

/** Two samples of length 8 in the GLM layout: Part A of 5 / 6, then one span in Part B. */
function sampleBatch(): GLMTrainingBatch {
  const S = 8;
  const ids = randomIds(2 * S, config.vocab_size, 7);
  const pos = [0, 1, 2, 3, 4, 2, 2, 2, 0, 1, 2, 3, 4, 5, 1, 1];
  const block = [0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 1, 2];
  const lossMask = [0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1];
  return {
    batchSize: 2,
    seqLength: S,
    inputIds: Int32Array.from(ids),
    positionIds: Int32Array.from(pos),
    blockPositionIds: Int32Array.from(block),
    targets: Int32Array.from(randomIds(2 * S, config.vocab_size, 11)),
    lossMask: Float32Array.from(lossMask),
    sep: Int32Array.from([5, 6]),
  };
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe("GLMModel.fromConfig (initialisation as the original, GLM.md §1.8)", () => {
  const model = GLMModel.fromConfig(config, { seed: 3 });
  const stats = (name: string) => {
    const d = model.namedVariables().get(name)?.dataSync() as Float32Array;
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    return { mean, std, min: Math.min(...d), max: Math.max(...d) };
  };

  it("has the original's parameter names and count (12·N + 5 tensors)", () => {
    const names = [...model.namedVariables().keys()];
    expect(names.length).toBe(12 * config.num_layers + 5);
    expect(names[0]).toBe("word_embeddings.weight");
    expect(names).toContain("transformer.layers.1.attention.query_key_value.weight");
    expect(model.namedVariables().get("transformer.layers.0.attention.query_key_value.weight")?.shape).toEqual([96, 32]);
    expect(model.parameterCount()).toBe(50 * 32 + 2 * 17 * 32 + 2 * (12 * 32 * 32 + 13 * 32) + 2 * 32);
  });

  it("draws N(0, 0.02), output projections N(0, 0.02/√(2N)), zero biases, unit LayerNorm", () => {
    expect(stats("transformer.layers.0.mlp.dense_h_to_4h.weight").std).toBeCloseTo(0.02, 3);
    expect(stats("word_embeddings.weight").std).toBeCloseTo(0.02, 2);
    expect(stats("transformer.layers.1.mlp.dense_4h_to_h.weight").std).toBeCloseTo(0.02 / Math.sqrt(4), 3);
    expect(stats("transformer.layers.0.attention.dense.weight").std).toBeCloseTo(0.01, 2);
    const bias = stats("transformer.layers.0.attention.query_key_value.bias");
    expect([bias.min, bias.max]).toEqual([0, 0]);
    const ln = stats("transformer.final_layernorm.weight");
    expect([ln.min, ln.max]).toEqual([1, 1]);
  });

  it("is reproducible from the seed", () => {
    const again = GLMModel.fromConfig(config, { seed: 3 });
    const other = GLMModel.fromConfig(config, { seed: 4 });
    const name = "transformer.layers.0.attention.query_key_value.weight";
    const w = (m: GLMModel) => m.namedVariables().get(name) as tf.Variable;
    expect(maxAbsDiff(w(model), w(again))).toBe(0);
    expect(maxAbsDiff(w(model), w(other))).toBeGreaterThan(0.01);
    again.dispose();
    other.dispose();
  });
});

describe("GLMModel.forward", () => {
  const model = GLMModel.fromConfig(config, { seed: 1 });
  const batch = sampleBatch();
  const nested = (a: Int32Array) => [Array.from(a.slice(0, 8)), Array.from(a.slice(8))];

  it("accepts nested arrays, typed arrays and tensors alike", () => {
    const a = model.forward({
      inputIds: nested(batch.inputIds),
      positionIds: nested(batch.positionIds),
      blockPositionIds: nested(batch.blockPositionIds),
      sep: [5, 6],
    });
    const b = model.forward({ inputIds: batch.inputIds, positionIds: batch.positionIds, blockPositionIds: batch.blockPositionIds, sep: batch.sep });
    const t = [batch.inputIds, batch.positionIds, batch.blockPositionIds].map((x) => tf.tensor2d(x, [2, 8], "int32"));
    const c = model.forward({ inputIds: t[0], positionIds: t[1], blockPositionIds: t[2], sep: tf.tensor1d([5, 6], "int32") });
    expect(a.logits.shape).toEqual([2, 8, config.vocab_size]);
    expect(maxAbsDiff(a.logits, b.logits)).toBe(0);
    expect(maxAbsDiff(a.logits, c.logits)).toBe(0);
    tf.dispose([a.logits, b.logits, c.logits, ...t]);
  });

  it("an explicit 0/1 mask equal to the sep mask gives the same logits; a different one does not", () => {
    const inputs = { inputIds: batch.inputIds, positionIds: batch.positionIds, blockPositionIds: batch.blockPositionIds, batchSize: 2 };
    const mask = [5, 6].map((sep) => Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (j < sep || j <= i ? 1 : 0))));
    const bySep = model.forward({ ...inputs, sep: [5, 6] });
    const byMask = model.forward({ ...inputs, attentionMask: mask });
    const causal = model.forward({ ...inputs, sep: 0 });
    expect(maxAbsDiff(bySep.logits, byMask.logits)).toBe(0);
    expect(maxAbsDiff(bySep.logits, causal.logits)).toBeGreaterThan(1e-3);
    tf.dispose([bySep.logits, byMask.logits, causal.logits]);
  });

  it("Part A does not see Part B: changing a Part B token leaves Part A's logits unchanged", () => {
    const ids = Array.from(batch.inputIds.slice(0, 8));
    const run = (x: number[]) =>
      model.forward({
        inputIds: [x],
        positionIds: [Array.from(batch.positionIds.slice(0, 8))],
        blockPositionIds: [Array.from(batch.blockPositionIds.slice(0, 8))],
        sep: 5,
      }).logits;
    const changed = [...ids];
    changed[6] = (changed[6] + 1) % config.vocab_size;
    const a = run(ids);
    const b = run(changed);
    const partA = (t: tf.Tensor) => tf.slice(t, [0, 0, 0], [1, 6, -1]);
    const after = (t: tf.Tensor) => tf.slice(t, [0, 6, 0], [1, 2, -1]);
    expect(tf.tidy(() => maxAbsDiff(partA(a), partA(b)))).toBe(0);
    expect(tf.tidy(() => maxAbsDiff(after(a), after(b)))).toBeGreaterThan(1e-4);
    tf.dispose([a, b]);
  });

  it("rejects ids outside the vocabulary or the position table, naming the input", () => {
    expect(() => model.forward({ inputIds: [[1, 50]], positionIds: [[0, 1]], blockPositionIds: [[0, 0]], sep: 2 })).toThrow(
      /inputIds\[0\]\[1\] = 50 is outside \[0, 50\)/,
    );
    expect(() => model.forward({ inputIds: [[1, 2]], positionIds: [[0, 17]], blockPositionIds: [[0, 0]], sep: 2 })).toThrow(/positionIds\[0\]\[1\] = 17/);
    expect(() => model.forward({ inputIds: [[1, 2]], positionIds: [[0, 1]], blockPositionIds: [[0, 0]] })).toThrow(/give sep/);
  });
});

describe("incremental decoding with the cache", () => {
  const model = GLMModel.fromConfig(config, { seed: 5 });

  it("cached steps agree with one full forward within 1e-5, and the cache frees its tensors", () => {
    // The first decoder makes the model's decoding weights, kept for the next decoders.
    model.createDecoder().dispose();
    const before = tf.memory().numTensors;
    const context = randomIds(6, config.vocab_size, 3);
    const forced = randomIds(4, config.vocab_size, 9);
    const maskPos = 2;
    const decoder = model.createDecoder();
    const ctx = decoder.step({ inputIds: [context], positionIds: [[0, 1, 2, 3, 4, 5]], blockPositionIds: [[0, 0, 0, 0, 0, 0]], sep: 6 }, { logits: "none" });
    expect(ctx.logits).toBeUndefined();
    const steps: tf.Tensor[] = [];
    forced.forEach((t, k) => {
      // sep 0 given for even steps, left to the default for odd ones.
      const step = { inputIds: [[t]], positionIds: [[maskPos]], blockPositionIds: [[k + 1]] };
      steps.push(decoder.step(k % 2 === 0 ? { ...step, sep: 0 } : step).logits as tf.Tensor);
    });
    expect(decoder.memoryLength).toBe(10);
    const full = model.forward({
      inputIds: [[...context, ...forced]],
      positionIds: [[0, 1, 2, 3, 4, 5, maskPos, maskPos, maskPos, maskPos]],
      blockPositionIds: [[0, 0, 0, 0, 0, 0, 1, 2, 3, 4]],
      sep: 6,
    }).logits;
    const lastFour = tf.slice(full, [0, 6, 0], [1, 4, -1]);
    const cached = tf.stack(steps, 1);
    expect(maxAbsDiff(lastFour, cached)).toBeLessThan(1e-5);
    tf.dispose([full, lastFour, cached, ...steps]);
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reorder() repeats rows for beams; maxMemoryLength keeps the last positions", () => {
    const decoder = model.createDecoder({ maxMemoryLength: 4 });
    decoder.step({ inputIds: [[1, 2, 3, 4, 5, 6]], positionIds: [[0, 1, 2, 3, 4, 5]], blockPositionIds: [[0, 0, 0, 0, 0, 0]], sep: 6 }, { logits: "none" });
    expect(decoder.memoryLength).toBe(4);
    decoder.reorder([0, 0, 0]);
    expect(decoder.batchSize).toBe(3);
    const r = decoder.step({ inputIds: [[7], [8], [7]], positionIds: [[1], [1], [1]], blockPositionIds: [[1], [1], [1]], sep: 0 });
    const rows = (r.logits as tf.Tensor).arraySync() as number[][];
    expect(rows[0]).toEqual(rows[2]);
    expect(rows[0]).not.toEqual(rows[1]);
    // Once the cache holds the context, sep defaults to 0.
    const withSep = decoder.step({ inputIds: [[9], [9], [9]], positionIds: [[1], [1], [1]], blockPositionIds: [[2], [2], [2]] }, { logits: "none" });
    expect(withSep.logits).toBeUndefined();
    expect(decoder.memoryLength).toBe(4);
    tf.dispose(r.logits);
    decoder.dispose();
    expect(() => decoder.step({ inputIds: [[1]], positionIds: [[0]], blockPositionIds: [[0]], sep: 0 })).toThrow(/disposed/);
  });
});

describe("GLMModel.loss", () => {
  const model = GLMModel.fromConfig(config, { seed: 2 });
  const batch = sampleBatch();

  it("equals the masked mean of the per-token loss", () => {
    const perToken = model.perTokenLoss(batch).dataSync();
    let sum = 0;
    let n = 0;
    batch.lossMask.forEach((m, i) => {
      sum += m * perToken[i];
      n += m;
    });
    const loss = model.loss(batch);
    expect(loss.dataSync()[0]).toBeCloseTo(sum / n, 5);
    // An untrained model is close to uniform: loss ≈ ln(V).
    expect(Math.abs(loss.dataSync()[0] - Math.log(config.vocab_size))).toBeLessThan(0.1);
    loss.dispose();
  });

  it("label smoothing is (1−ε)·CE + ε·mean over the vocabulary of −log p", () => {
    const eps = 0.1;
    const smoothed = model.loss(batch, { labelSmoothing: eps });
    const expected = tf.tidy(() => {
      const logits = model.forward({
        inputIds: batch.inputIds,
        positionIds: batch.positionIds,
        blockPositionIds: batch.blockPositionIds,
        sep: batch.sep,
      }).logits;
      const logp = tf.reshape(tf.logSoftmax(logits), [16, config.vocab_size]).arraySync() as number[][];
      let total = 0;
      let n = 0;
      batch.lossMask.forEach((m, i) => {
        if (m === 0) return;
        const ce = -logp[i][batch.targets[i]];
        const uniform = -logp[i].reduce((a, b) => a + b, 0) / config.vocab_size;
        total += (1 - eps) * ce + eps * uniform;
        n++;
      });
      return total / n;
    });
    expect(smoothed.dataSync()[0]).toBeCloseTo(expected, 5);
    smoothed.dispose();
  });

  it("has gradients for every parameter, and repeated forward/backward leaks no tensor", () => {
    const vars = model.namedVariables();
    const step = () => {
      const { value, grads } = tf.variableGrads(() => model.loss(batch));
      const names = Object.keys(grads);
      tf.dispose([value, ...Object.values(grads)]);
      const f = model.forward(
        { inputIds: batch.inputIds, positionIds: batch.positionIds, blockPositionIds: batch.blockPositionIds, sep: batch.sep },
        { returnHidden: true },
      );
      tf.dispose([f.logits, f.hidden as tf.Tensor]);
      return names;
    };
    expect(step().length).toBe(vars.size);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("with dropout (training: true) differs from the deterministic loss", () => {
    const training = validateConfig({ ...config, embedding_dropout_prob: 0.5 });
    const m = GLMModel.fromConfig(training, { seed: 2 });
    const a = m.loss(batch).dataSync()[0];
    const b = m.loss(batch, { training: true }).dataSync()[0];
    expect(a).not.toBe(b);
    expect(a).toBeCloseTo(model.loss(batch).dataSync()[0], 6);
    m.dispose();
  });

  it("with a seed, dropout masks replay exactly (resume) and differ between seeds", () => {
    const training = validateConfig({ ...config, embedding_dropout_prob: 0.3, attention_dropout_prob: 0.3, output_dropout_prob: 0.3 });
    const m = GLMModel.fromConfig(training, { seed: 2 });
    const lossWith = (seed: number) => {
      const l = m.loss(batch, { training: true, seed });
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    };
    const first = lossWith(11);
    expect(lossWith(11)).toBe(first);
    expect(lossWith(12)).not.toBe(first);
    const grads = (seed: number) => {
      const { value, grads: g } = tf.variableGrads(() => m.loss(batch, { training: true, seed }));
      const flat = Object.values(g).map((t) => Array.from(t.dataSync()));
      tf.dispose([value, ...Object.values(g)]);
      return flat;
    };
    expect(grads(11)).toEqual(grads(11));
    m.dispose();
  });

  it("forward(…, { training, seed }) replays its dropout masks, and equals loss(…, { training, seed })", () => {
    const training = validateConfig({ ...config, embedding_dropout_prob: 0.3, attention_dropout_prob: 0.3, output_dropout_prob: 0.3 });
    const m = GLMModel.fromConfig(training, { seed: 2 });
    const inputs = {
      inputIds: batch.inputIds,
      positionIds: batch.positionIds,
      blockPositionIds: batch.blockPositionIds,
      sep: batch.sep,
      batchSize: batch.batchSize,
    };
    const logits = (options: { training?: boolean; seed?: number }) => {
      const { logits: l } = m.forward(inputs, options);
      const v = Array.from(l.dataSync());
      l.dispose();
      return v;
    };
    const eval0 = logits({});
    const first = logits({ training: true, seed: 11 });
    expect(first).not.toEqual(eval0);
    expect(logits({ training: true, seed: 11 })).toEqual(first);
    expect(logits({ training: true, seed: 12 })).not.toEqual(first);
    // A seed without training changes nothing.
    expect(logits({ seed: 11 })).toEqual(eval0);
    // The same masks as the loss with that seed: its cross-entropy from these logits.
    const vocab = training.vocab_size;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < batch.lossMask.length; i++) {
      if (!(batch.lossMask[i] > 0)) continue;
      const row = first.slice(i * vocab, (i + 1) * vocab);
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
      sum += (lse - row[batch.targets[i]]) * batch.lossMask[i];
      count += batch.lossMask[i];
    }
    const l = m.loss(batch, { training: true, seed: 11 });
    expect(l.dataSync()[0]).toBeCloseTo(sum / count, 4);
    l.dispose();
    m.dispose();
  });

  it("refuses a batch whose arrays disagree with its shape, naming the field", () => {
    expect(() => model.loss({ ...batch, targets: new Int32Array(3) })).toThrow(/batch.targets has 3 values, expected batchSize·seqLength = 16/);
    expect(() => model.loss({ ...batch, targets: new Int32Array(3) })).toThrow(expect.objectContaining({ code: "INPUT_INVALID" }));
    expect(() => model.loss({ ...batch, lossMask: new Float32Array(16) })).toThrow(/no position with lossMask > 0/);
  });
});

describe("checkpoint tensors -> model", () => {
  const model = GLMModel.fromConfig(config, { seed: 8 });
  const named = () => new Map([...model.namedVariables()].map(([k, v]) => [k, { shape: v.shape, data: v.dataSync() as Float32Array }]));

  it("accepts keys with the glm. prefix", () => {
    const prefixed = new Map([...named()].map(([k, v]) => ["glm." + k, v]));
    const copy = GLMModel.fromNamedArrays(config, prefixed, "x.safetensors");
    const w = "word_embeddings.weight";
    expect(maxAbsDiff(copy.namedVariables().get(w) as tf.Tensor, model.namedVariables().get(w) as tf.Tensor)).toBe(0);
    copy.dispose();
    expect(copy.isDisposed).toBe(true);
  });

  it("accepts keys with the module. prefix of DataParallel/DeepSpeed, alone and before glm.", () => {
    for (const prefix of ["module.", "module.glm."]) {
      const prefixed = new Map([...named()].map(([k, v]) => [prefix + k, v]));
      const copy = GLMModel.fromNamedArrays(config, prefixed, "y.bin");
      expect([...copy.namedVariables().keys()]).toEqual([...model.namedVariables().keys()]);
      for (const [k, v] of model.namedVariables()) expect(maxAbsDiff(copy.namedVariables().get(k) as tf.Tensor, v as tf.Tensor), `${prefix}${k}`).toBe(0);
      copy.dispose();
    }
  });

  it("names the file and key of a missing, unknown or misshapen tensor", () => {
    const missing = named();
    missing.delete("transformer.layers.1.mlp.dense_4h_to_h.bias");
    expect(() => GLMModel.fromNamedArrays(config, missing, "a.bin")).toThrow(/a.bin: missing key "transformer.layers.1.mlp.dense_4h_to_h.bias"/);
    expect(() => GLMModel.fromNamedArrays(config, missing, "a.bin")).toThrow(expect.objectContaining({ name: "GlmjsError", code: "CHECKPOINT_MISMATCH" }));
    const extra = named();
    extra.set("lm_head.weight", { shape: [1], data: new Float32Array(1) });
    expect(() => GLMModel.fromNamedArrays(config, extra, "b.bin")).toThrow(/b.bin: unknown key "lm_head.weight"/);
    const wrong = named();
    wrong.set("transformer.final_layernorm.weight", { shape: [31], data: new Float32Array(31) });
    expect(() => GLMModel.fromNamedArrays(config, wrong, "c.bin")).toThrow(
      /c.bin: key "transformer.final_layernorm.weight" has shape \[31\], the config needs \[32\]/,
    );
  });
});
