#!/usr/bin/env node
// Speed of the GLM model in @glmjs/core (benchmark, not a test): forward tokens/s for batch
// scoring and per-token decode latency with the cache, for the tiny / small / base presets, on
// the best backend here, against the plain-PyTorch baseline of the same shapes measured in the
// same run (../shared/bench/glm_torch.py). Prints a table of ratios (glmjs / PyTorch).
//
//   node bench/model.mjs [--configs tiny,small,base] [--backend auto|wasm|cpu] [--threads 1|2] [--torch-threads 2] [--no-torch]
//
// Needs `pnpm --filter @glmjs/core build` (and @glmjs/backend-wasm built for wasm).
import os from "node:os";
import { lcg, synthBatch } from "./lib/synthetic-batch.mjs";
import { PYTHON, TORCH_SCRIPT, runTorchBaseline, torchAvailable } from "./lib/torch-baseline.mjs";
import { option, flag } from "./lib/args.mjs";
import { scoreStep } from "./lib/steps.mjs";

// Shapes and batch as glm_torch.py's configs; base scores one 512-token row per step to keep the run short
// (tokens/s is per token, and the torch baseline is run with the same batch).
const RUNS = {
  tiny: { preset: "tiny", batch: 16, seq: 128, warmup: 1, steps: 3, gen: 64 },
  small: { preset: "small", batch: 8, seq: 256, warmup: 1, steps: 2, gen: 64 },
  base: { preset: "base", batch: 1, seq: 512, warmup: 1, steps: 2, gen: 16 },
};
const PROMPT = 64;

const configs = option("configs", "tiny,small,base").split(",");
const wantBackend = option("backend", "auto");
const runTorch = !flag("no-torch");
const torchThreads = option("torch-threads", "2");

const core = await import("@glmjs/core");
const { tf, GLMModel, presetConfig, autoBackend, useBackend, estimateFlopsPerToken } = core;

let backendNote = "";
const wasmThreads = Number(option("threads", "1"));
try {
  const { configureWasm } = await import("@glmjs/backend-wasm");
  if (wasmThreads > 1) configureWasm({ threads: wasmThreads });
} catch (e) {
  backendNote = `@glmjs/backend-wasm not loadable (${e.message.split("\n")[0]}); `;
}
if (wantBackend === "auto") await autoBackend({ log: (l) => console.log(l) });
else await useBackend(wantBackend);
const backend = tf.getBackend();
backendNote += `backend: ${backend}${backend === "wasm" ? ` (${wasmThreads} thread(s))` : ""}`;
console.log(`${backendNote}; 1-minute load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);

const torchOk = runTorch && torchAvailable();
if (runTorch && !torchOk) console.log(`PyTorch baseline missing (${PYTHON} with torch, ${TORCH_SCRIPT}): ratios are not printed`);

async function timeIt(warmup, steps, fn) {
  const times = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    await fn();
    const dt = (performance.now() - t0) / 1000;
    if (i >= warmup) times.push(dt);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function glmjsForward(model, run) {
  const batch = synthBatch(model.config.vocab_size, run.batch, run.seq);
  const tokens = run.batch * run.seq;
  // Batch scoring: logits over the whole vocabulary at every position + per-token loss (what the baseline's forward does).
  const score = await timeIt(run.warmup, run.steps, scoreStep(model, batch));
  // glmjs's training forward: logits only where the loss mask is set.
  const loss = await timeIt(run.warmup, run.steps, async () => {
    const t = model.loss(batch);
    await t.data();
    t.dispose();
  });
  return { scoreTokS: tokens / score, lossTokS: tokens / loss };
}

/** Greedy decoding at batch 1: prefill the prompt (bidirectional), then one cached step per token. */
async function decodeRun(model, prompt, gen) {
  const decoder = model.createDecoder();
  const argmax = async (logits) => {
    const id = tf.argMax(logits, -1);
    const v = (await id.data())[0];
    tf.dispose([id, logits]);
    return v;
  };
  let next = await argmax(
    decoder.step({ inputIds: [prompt], positionIds: [prompt.map((_, i) => i)], blockPositionIds: [prompt.map(() => 0)], sep: prompt.length }).logits,
  );
  const t0 = performance.now();
  for (let k = 1; k < gen; k++) {
    next = await argmax(decoder.step({ inputIds: [[next]], positionIds: [[prompt.length - 1]], blockPositionIds: [[k]], sep: 0 }).logits);
  }
  const seconds = (performance.now() - t0) / 1000;
  decoder.dispose();
  return seconds / (gen - 1);
}

async function glmjsDecode(model, run) {
  const rand = lcg(1);
  const prompt = Array.from({ length: PROMPT }, () => rand(model.config.vocab_size));
  await decodeRun(model, prompt, 4); // warm-up
  return { msPerToken: 1000 * (await decodeRun(model, prompt, run.gen)) };
}

function torch(name, run, mode) {
  if (!torchOk) return undefined;
  const a = ["--config", name, "--mode", mode, "--threads", torchThreads, "--warmup", String(run.warmup), "--steps", String(run.steps)];
  if (mode === "forward") a.push("--batch", String(run.batch));
  else a.push("--prompt", String(PROMPT), "--gen", String(run.gen));
  return runTorchBaseline(a, `${name} ${mode}`);
}

const explicitConfigs = flag("configs");
if (backend === "cpu" && !explicitConfigs && configs.includes("base")) {
  configs.splice(configs.indexOf("base"), 1);
  console.log("skipping base on the plain-JS cpu backend (minutes per step); pass --configs base to run it anyway");
}

const rows = [];
const fmt = (x, d = 1) => (x === undefined ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
for (const name of configs) {
  const run = RUNS[name];
  if (!run) throw new Error(`unknown config ${name}; known: ${Object.keys(RUNS).join(", ")}`);
  const config = presetConfig(run.preset);
  const model = GLMModel.fromConfig(config, { seed: 0 });
  const before = tf.memory().numTensors;
  const fwd = await glmjsForward(model, run);
  const dec = await glmjsDecode(model, run);
  if (tf.memory().numTensors !== before) console.log(`warning: ${tf.memory().numTensors - before} tensors leaked`);
  model.dispose();
  const tf_ = torch(name, run, "forward");
  const td = torch(name, run, "decode");
  const torchMs = td ? 1000 / td.decode_tokens_per_s : undefined;
  const gflops = (fwd.scoreTokS * estimateFlopsPerToken(config, run.seq)) / 1e9;
  rows.push({
    name,
    tokens: `${run.batch}×${run.seq}`,
    score: fwd.scoreTokS,
    loss: fwd.lossTokS,
    torchFwd: tf_?.tokens_per_s,
    gflops,
    ms: dec.msPerToken,
    torchMs,
    gen: run.gen,
  });
  const r = rows[rows.length - 1];
  console.log(`${name}: scoring ${fmt(r.score)} tok/s (${fmt(gflops, 2)} GFLOP/s), loss-only forward ${fmt(r.loss)} tok/s, torch ${fmt(r.torchFwd)} tok/s; decode ${fmt(r.ms, 2)} ms/token, torch ${fmt(r.torchMs, 2)} ms/token`);
}

const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(3)}×`);
console.log("");
console.log(`| config | tokens/step | glmjs scoring tok/s | glmjs loss-only forward tok/s | PyTorch forward tok/s | scoring ratio | glmjs decode ms/token | PyTorch decode ms/token | decode speed ratio |`);
console.log(`|---|---|---|---|---|---|---|---|---|`);
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.tokens} | ${fmt(r.score)} | ${fmt(r.loss)} | ${fmt(r.torchFwd)} | ${ratio(r.score, r.torchFwd)} | ${fmt(r.ms, 2)} | ${fmt(r.torchMs, 2)} | ${ratio(r.torchMs, r.ms)} |`,
  );
}
console.log(
  `\n${backendNote}; PyTorch ${torchOk ? `1.13 (Debian), ${torchThreads} thread(s)` : "missing"}; ratios are glmjs / PyTorch speed (higher is better, 1.0 = parity); ` +
    `1-minute load average at the end ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores.`,
);
