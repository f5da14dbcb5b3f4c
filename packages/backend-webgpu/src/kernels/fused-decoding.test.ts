// glmjs's fused decoding kernels on WebGPU in Node (Dawn): the coverage cases against cpu, and a
// decoder session on WebGPU against the same session on cpu.
import { GLMModel, GLM_KERNELS, tf, useBackend, validateConfig } from "@glmjs/core";
import { runKernelCoverage } from "@glmjs/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { webgpuBackend } from "../index.js";

const probe = await webgpuBackend.probe();
if (!probe.available) console.warn(`SKIPPING WebGPU fused-kernel tests: ${probe.reason}`);

async function session(backend: string): Promise<Float32Array[]> {
  await useBackend(backend);
  const config = validateConfig({ num_layers: 2, hidden_size: 32, num_attention_heads: 4, vocab_size: 64, max_sequence_length: 32 });
  const model = GLMModel.fromConfig(config, { seed: 7 });
  const decoder = model.createDecoder({ maxMemoryLength: 20 });
  const out: Float32Array[] = [];
  const keep = async (t: tf.Tensor | undefined) => {
    out.push(Float32Array.from(await (t as tf.Tensor).data()));
    tf.dispose(t);
  };
  await keep(
    decoder.step(
      {
        inputIds: [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ],
        positionIds: [
          [0, 1, 2, 3],
          [0, 1, 2, 3],
        ],
        blockPositionIds: [
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ],
        sep: 4,
      },
      { logits: "all" },
    ).logits,
  );
  for (let k = 0; k < 24; k++)
    await keep(
      decoder.step({ inputIds: [[(k * 5) % 64], [(k * 9) % 64]], positionIds: [[3], [3]], blockPositionIds: [[(k % 30) + 1], [(k % 30) + 1]] }).logits,
    );
  decoder.reorder([1, 1]);
  await keep(
    decoder.step(
      {
        inputIds: [
          [9, 10],
          [11, 12],
        ],
        positionIds: [
          [3, 3],
          [3, 3],
        ],
        blockPositionIds: [
          [1, 2],
          [1, 2],
        ],
        sep: 0,
      },
      { logits: "all" },
    ).logits,
  );
  decoder.dispose();
  model.dispose();
  return out;
}

describe.skipIf(!probe.available)(probe.available ? "fused decoding kernels on WebGPU" : "fused decoding kernels on WebGPU (SKIPPED: no adapter)", () => {
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("are registered for webgpu and pass their coverage cases against cpu", async () => {
    await useBackend("webgpu");
    // GlmTopK has no WebGPU kernel: topKLogits runs tf.topk + logSumExp there (its composite fallback).
    for (const name of [GLM_KERNELS.layerNorm, GLM_KERNELS.linear, GLM_KERNELS.cachedAttention]) expect(tf.getKernel(name, "webgpu")).toBeDefined();
    expect(tf.getKernel(GLM_KERNELS.topK, "webgpu")).toBeUndefined();
    const names = [
      "fused LayerNorm (GlmLayerNorm)",
      "fused Linear: bias + tanh-GELU (GlmLinear)",
      "fused Linear: bias + erf-GELU + residual (GlmLinear)",
      "fused Linear: bias + residual, odd width (GlmLinear)",
      "cached attention: one query over the cache (GlmCachedAttention)",
      "cached attention: several queries with a mask (GlmCachedAttention)",
      "cached attention: head size 6, one mask row (GlmCachedAttention)",
    ];
    const results = await runKernelCoverage({ backend: "webgpu", only: names });
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(names.length);
  }, 120_000);

  it("decode the same logits as cpu within 1e-4 (preallocated cache written in place, sliding window, beams)", async () => {
    const cpu = await session("cpu");
    const before = tf.memory().numTensors;
    const webgpu = await session("webgpu");
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    cpu.forEach((x, i) => x.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - webgpu[i]![j]!)))));
    expect(webgpu.length).toBe(cpu.length);
    expect(worst).toBeLessThan(1e-4);
  }, 120_000);
});
