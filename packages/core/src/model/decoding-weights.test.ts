// The decoding weight snapshot GLMModel shares between decoders: made once, reused while the
// variables are unchanged, replaced after an assign (the decoder then computes with the new
// weights), kept alive by open decoders, freed by releaseDecodingWeights(), loss() when stale,
// and dispose(); never lost to a surrounding tf.tidy.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import { GLMModel } from "./glm-model.js";

const config = validateConfig({ num_layers: 2, hidden_size: 16, num_attention_heads: 2, vocab_size: 30, max_sequence_length: 12 });
/** The transposed copies of a snapshot: four Linear kernels per layer and the output projection. */
const SNAPSHOT_TENSORS = 4 * config.num_layers + 1;
const context = { inputIds: [[1, 2, 3, 4]], positionIds: [[0, 1, 2, 3]], blockPositionIds: [[0, 0, 0, 0]], sep: 4 };

async function lastLogits(model: GLMModel): Promise<Float32Array> {
  const decoder = model.createDecoder();
  const { logits } = decoder.step(context);
  const out = Float32Array.from(await (logits as tf.Tensor).data());
  tf.dispose(logits);
  decoder.dispose();
  return out;
}

async function forwardLast(model: GLMModel): Promise<Float32Array> {
  const { logits } = model.forward(context);
  const last = tf.slice(logits, [0, 3, 0], [1, 1, -1]);
  const out = Float32Array.from(await last.data());
  tf.dispose([logits, last]);
  return out;
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe("GLMModel's decoding weights", () => {
  it("are made once and shared by every decoder; releaseDecodingWeights and dispose free them", async () => {
    await tf.setBackend("cpu");
    const start = tf.memory().numTensors;
    const model = GLMModel.fromConfig(config, { seed: 1 });
    const base = tf.memory().numTensors;
    const a = model.createDecoder();
    expect(tf.memory().numTensors).toBe(base + SNAPSHOT_TENSORS);
    const b = model.createDecoder();
    expect(tf.memory().numTensors).toBe(base + SNAPSHOT_TENSORS);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(base + SNAPSHOT_TENSORS);
    for (let i = 0; i < 3; i++) await lastLogits(model);
    expect(tf.memory().numTensors).toBe(base + SNAPSHOT_TENSORS);
    model.releaseDecodingWeights();
    expect(tf.memory().numTensors).toBe(base);
    await lastLogits(model);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("after an assign, a new decoder computes with the new weights; an open decoder keeps its snapshot until disposed", async () => {
    await tf.setBackend("cpu");
    const start = tf.memory().numTensors;
    const model = GLMModel.fromConfig(config, { seed: 2 });
    const before = await lastLogits(model);
    expect(maxDiff(before, await forwardLast(model))).toBeLessThan(1e-5);
    const open = model.createDecoder();
    const base = tf.memory().numTensors;
    const w = model.namedVariables().get("transformer.layers.1.mlp.dense_h_to_4h.weight")!;
    tf.tidy(() => w.assign(tf.mul(w, 3)));
    const word = model.namedVariables().get("word_embeddings.weight")!;
    tf.tidy(() => word.assign(tf.add(word, 0.5)));
    const after = await lastLogits(model);
    expect(maxDiff(after, before)).toBeGreaterThan(1e-3);
    expect(maxDiff(after, await forwardLast(model))).toBeLessThan(1e-5);
    // The old snapshot lives on for the open decoder, the new one is kept by the model.
    expect(tf.memory().numTensors).toBe(base + SNAPSHOT_TENSORS);
    tf.dispose(open.step(context).logits);
    open.dispose();
    expect(tf.memory().numTensors).toBe(base);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it("loss() frees a stale snapshot no decoder uses; a decoder made inside tf.tidy keeps its weights", async () => {
    await tf.setBackend("cpu");
    const model = GLMModel.fromConfig(config, { seed: 3 });
    const decoder = tf.tidy(() => model.createDecoder());
    tf.dispose(decoder.step(context).logits);
    decoder.dispose();
    const held = tf.memory().numTensors;
    const bias = model.namedVariables().get("transformer.layers.0.attention.dense.bias")!;
    tf.tidy(() => bias.assign(tf.add(bias, 0.1)));
    const batch = {
      batchSize: 1,
      seqLength: 4,
      inputIds: Int32Array.from([1, 2, 3, 4]),
      positionIds: Int32Array.from([0, 1, 2, 2]),
      blockPositionIds: Int32Array.from([0, 0, 1, 2]),
      targets: Int32Array.from([2, 3, 4, 5]),
      lossMask: Float32Array.from([0, 0, 1, 1]),
      sep: Int32Array.from([2]),
    };
    tf.dispose(model.loss(batch));
    expect(tf.memory().numTensors).toBe(held - SNAPSHOT_TENSORS);
    model.dispose();
  });
});
