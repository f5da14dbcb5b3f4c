#!/usr/bin/env node
// GPU work per cached decode step on WebGPU (benchmark aid, not a test): compute dispatches
// (tfjs's recordAndSubmit calls) and kernels per new token, for the tiny and small presets at
// batch 1 and 8, greedy with the next token picked on the backend. Runs wherever
// @glmjs/backend-webgpu finds an adapter (in Node: Dawn; Mesa's llvmpipe on a GPU-less machine).
//   node bench/decode-dispatches.mjs [--configs tiny,small] [--batches 1,8] [--memory 64]
import { option } from "./lib/args.mjs";

const { tf, GLMModel, presetConfig, useBackend } = await import("@glmjs/core");
await import("@glmjs/backend-webgpu");
await useBackend("webgpu");
const backend = tf.backend();
let dispatches = 0;
const record = backend.recordAndSubmit.bind(backend);
backend.recordAndSubmit = (...args) => {
  dispatches++;
  return record(...args);
};
const memory = Number(option("memory", "64"));
const pickIds = async (decoder, inputs) => {
  // The select option where this build has it, else argMax of the last logits (the same GPU work).
  if (typeof decoder.stepArgmax === "function") return decoder.stepArgmax(inputs);
  const { logits } = decoder.step(inputs);
  const ids = tf.argMax(logits, -1);
  const v = await ids.data();
  tf.dispose([ids, logits]);
  return v;
};
for (const name of option("configs", "tiny,small").split(",")) {
  const model = GLMModel.fromConfig(presetConfig(name), { seed: 0 });
  for (const batch of option("batches", "1,8").split(",").map(Number)) {
    const decoder = model.createDecoder();
    const prompts = Array.from({ length: batch }, (_, r) => Array.from({ length: memory }, (_, i) => (i * 7 + r) % 1000));
    let ids = await pickIds(decoder, {
      inputIds: prompts,
      positionIds: prompts.map((p) => p.map((_, i) => i)),
      blockPositionIds: prompts.map((p) => p.map(() => 0)),
      sep: memory,
    });
    const step = (k) => ({ inputIds: Array.from(ids, (id) => [id]), positionIds: prompts.map(() => [memory - 1]), blockPositionIds: prompts.map(() => [k]) });
    for (let k = 1; k < 3; k++) ids = await pickIds(decoder, step(k));
    const steps = 4;
    dispatches = 0;
    let kernels = 0;
    for (let k = 3; k < 3 + steps; k++) {
      const prof = await tf.profile(async () => {
        ids = await pickIds(decoder, step(k));
      });
      kernels += prof.kernels.length;
    }
    console.log(`${name} batch ${batch}: ${(dispatches / steps).toFixed(1)} dispatches and ${(kernels / steps).toFixed(1)} kernels per decode step`);
    decoder.dispose();
  }
  model.dispose();
}
