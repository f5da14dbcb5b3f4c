// Greedy blank infilling of the glm-tiny-a fixture's generate.json prompts on WebGPU in Chromium,
// batched (padded rows of different lengths, masked): every prompt's final ids must equal the
// original GLM's. One batch keeps the run short (each decode step is a round trip through SwiftShader).
import "@glmjs/backend-webgpu";
import { loadModel, tf, useBackend } from "@glmjs/core";
import { infillBatchIds, type TaskSpecialIds } from "@glmjs/tasks";
import { afterAll, describe, expect, inject, it } from "vitest";

const served = inject("modelFixture");
const present = served ? ["config.json", "model.safetensors", "generate.json", "manifest.json"].every((f) => served.files.includes(f)) : false;
if (!present)
  console.warn(
    "SKIPPING WebGPU infilling: the model fixture (config.json, model.safetensors, generate.json, manifest.json) is absent (set GLMJS_MODEL_FIXTURE)",
  );

interface GenerateJson {
  settings: { out_seq_length: number; end_tokens: number[] };
  prompts: { context: number[]; final_tokens: number[] }[];
}

async function get(name: string): Promise<Response> {
  const r = await fetch(`${served!.url}${name}`);
  if (!r.ok) throw new Error(`fixture file ${name}: HTTP ${r.status}`);
  return r;
}

describe.skipIf(!present)(present ? "greedy infilling on WebGPU in Chromium" : "greedy infilling on WebGPU (SKIPPED: fixture absent)", () => {
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("fills every generate.json prompt exactly as the original GLM", async () => {
    const [config, weights, generate, manifest] = await Promise.all([
      get("config.json").then((r) => r.json()),
      get("model.safetensors").then(async (r) => new Uint8Array(await r.arrayBuffer())),
      get("generate.json").then((r) => r.json() as Promise<GenerateJson>),
      get("manifest.json").then((r) => r.json() as Promise<{ special_tokens: Record<string, number> }>),
    ]);
    const t = manifest.special_tokens;
    const specialIds: TaskSpecialIds = { sop: t.sop!, eop: t.eop!, eos: t.eos!, pad: t.pad!, cls: t.ENC!, mask: t.MASK!, sMask: t.sMASK!, gMask: t.gMASK! };
    await useBackend("webgpu");
    const model = await loadModel({ weights, fileName: "model.safetensors", config });
    try {
      expect(tf.getBackend()).toBe("webgpu");
      const before = tf.memory().numTensors;
      const results = await infillBatchIds(
        model,
        generate.prompts.map((p) => p.context),
        { specialIds, maxNewTokens: generate.settings.out_seq_length, stopIds: generate.settings.end_tokens },
      );
      expect(results.map((r) => r.ids)).toEqual(generate.prompts.map((p) => p.final_tokens));
      // The model keeps one decoding snapshot of its weights for its decoders until released.
      model.releaseDecodingWeights();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });
});
