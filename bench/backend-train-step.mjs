// Training-step and batch-scoring tokens/s of the GLM presets on any glmjs backend (e.g. WebGPU on
// a real GPU through Dawn), with the first loss checked against the cpu backend on the same weights.
//   node bench/backend-train-step.mjs --backend webgpu [--configs tiny,small,base] [--steps 5]
// Same synthetic GLM batch as bench/train-step-profile.mjs (Part A = first 80 %, loss on Part B).
import os from "node:os";
import { tf, GLMModel, presetConfig, useBackend, measureMatmulSpeed, probeBackends } from "@glmjs/core";
import "@glmjs/backend-wasm";
import "@glmjs/backend-webgpu";
import { synthBatch } from "./lib/synthetic-batch.mjs";
import { option } from "./lib/args.mjs";
import { scoreStep, trainStep } from "./lib/steps.mjs";

const backend = option("backend", "webgpu");
const steps = Number(option("steps", "5"));
const RUNS = { tiny: { batch: 16, seq: 128 }, small: { batch: 8, seq: 256 }, base: { batch: 4, seq: 512 } };
const configs = option("configs", "tiny,small,base").split(",");

async function median(fn) {
  await fn();
  const times = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const probe = (await probeBackends()).find((p) => p.name === backend);
console.log(`backend ${backend}: ${JSON.stringify(probe?.probe)}`);
await useBackend(backend);
const peak = await measureMatmulSpeed(1024);
console.log(`matMul 1024²: ${peak.gflops.toFixed(1)} GFLOP/s`);
const rows = [];
for (const name of configs) {
  const { batch, seq } = RUNS[name];
  const config = presetConfig(name);
  const model = GLMModel.fromConfig(config, { seed: 0 });
  const data = synthBatch(config.vocab_size, batch, seq);
  const runTrainStep = trainStep(tf, model, data);
  const runScoreStep = scoreStep(model, data);
  const loss = tf.tidy(() => model.loss(data));
  const lossHere = (await loss.data())[0];
  loss.dispose();
  const trainS = await median(runTrainStep);
  const scoreS = await median(runScoreStep);
  let lossCpu;
  // (A bundle that tree-shakes tfjs-backend-cpu away has no cpu to compare with.)
  if (name === "tiny" && tf.findBackendFactory("cpu")) {
    await useBackend("cpu");
    const l = tf.tidy(() => model.loss(data));
    lossCpu = (await l.data())[0];
    l.dispose();
    await useBackend(backend);
  }
  model.dispose();
  rows.push({ name, tokens: batch * seq, train: (batch * seq) / trainS, score: (batch * seq) / scoreS, lossHere, lossCpu });
  console.log(JSON.stringify(rows.at(-1)));
}
console.log(`\n| config | tokens/step | train tok/s | scoring tok/s | loss here | loss on cpu |\n|---|---|---:|---:|---:|---:|`);
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.tokens} | ${r.train.toFixed(0)} | ${r.score.toFixed(0)} | ${r.lossHere.toFixed(6)} | ${r.lossCpu === undefined ? "—" : r.lossCpu.toFixed(6)} |`,
  );
console.log(`\n${backend}, ${os.cpus().length} CPU cores, load ${os.loadavg()[0].toFixed(1)}`);
process.exit(0);
