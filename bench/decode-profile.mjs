#!/usr/bin/env node
// Profile of one cached decode step (benchmark aid, not a test): kernels per token by name,
// tensors allocated, bytes allocated, and ms/token at batch 1 and 8, on the chosen backend.
//   node bench/decode-profile.mjs [--configs tiny,small] [--backend wasm] [--threads N] [--memory 96]
import { option } from "./lib/args.mjs";

const { tf, GLMModel, presetConfig, useBackend } = await import("@glmjs/core");
const threads = option("threads");
try {
  const { configureWasm } = await import("@glmjs/backend-wasm");
  if (threads) configureWasm({ threads: Number(threads) });
} catch {}
await useBackend(option("backend", "wasm"));
const memory = Number(option("memory", "96"));
for (const name of option("configs", "tiny,small").split(",")) {
  const model = GLMModel.fromConfig(presetConfig(name), { seed: 0 });
  for (const batch of option("batches", "1,8").split(",").map(Number)) {
    const decoder = model.createDecoder();
    const prompt = Array.from({ length: batch }, (_, r) => Array.from({ length: memory }, (_, i) => (i * 7 + r) % 1000));
    tf.dispose(
      decoder.step({ inputIds: prompt, positionIds: prompt.map((p) => p.map((_, i) => i)), blockPositionIds: prompt.map((p) => p.map(() => 0)), sep: memory })
        .logits,
    );
    const step = (k) => {
      const ids = tf.tensor2d(
        Array.from({ length: batch }, (_, r) => [(k + r) % 1000]),
        [batch, 1],
        "int32",
      );
      const out = decoder.step({
        inputIds: ids,
        positionIds: Array.from({ length: batch }, () => [memory - 1]),
        blockPositionIds: Array.from({ length: batch }, () => [k]),
        sep: 0,
      });
      const id = tf.argMax(out.logits, -1);
      const v = id.dataSync();
      tf.dispose([ids, id, out.logits]);
      return v;
    };
    for (let k = 1; k < 4; k++) step(k);
    const prof = await tf.profile(() => {
      step(4);
    });
    const byName = new Map();
    const msByName = new Map();
    for (const k of prof.kernels) {
      byName.set(k.name, (byName.get(k.name) ?? 0) + 1);
      msByName.set(k.name, (msByName.get(k.name) ?? 0) + (await k.kernelTimeMs));
    }
    // Min over rounds of a few steps each: the machine is shared, the minimum is the least disturbed.
    let ms = Infinity;
    let cpuMs = Infinity;
    for (let round = 0, k = 5; round < 8; round++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < 4; i++) step(k++);
      const c = process.cpuUsage(c0);
      ms = Math.min(ms, (performance.now() - t0) / 4);
      cpuMs = Math.min(cpuMs, (c.user + c.system) / 4000);
    }
    console.log(
      `${name} batch ${batch} memory ${memory}: ${ms.toFixed(2)} ms/token (process CPU ${cpuMs.toFixed(2)} ms); ${prof.kernels.length} kernels, ${prof.newTensors} new tensors, ${(prof.newBytes / 1024).toFixed(0)} KiB kept, peak ${(prof.peakBytes / 1024).toFixed(0)} KiB`,
    );
    console.log(
      "  " +
        [...byName]
          .sort((a, b) => msByName.get(b[0]) - msByName.get(a[0]))
          .map(([k, c]) => `${k}×${c} ${msByName.get(k).toFixed(2)}ms`)
          .join(", "),
    );
    decoder.dispose();
  }
  model.dispose();
}
