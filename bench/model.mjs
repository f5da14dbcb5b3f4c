#!/usr/bin/env node
// Speed of the GLM model in @glmjs/core (benchmark, not a test): forward tokens/s for batch
// scoring and cached greedy decoding (ms per step at batch 1 and at batch 8, the next token
// picked on the backend), for the tiny / small / base presets, on the best backend here, against
// the plain-PyTorch baseline of the same shapes measured in the same run
// (../shared/bench/glm_torch.py for batch 1, lib/torch_decode_batch.py — glm_torch.py's model and
// decode loop at any batch — for batch 8). Prints a table of ratios (glmjs / PyTorch speed);
// with --repeats N every measurement pair is taken N times and the median ratio is printed.
// Decoding is timed the same way on both sides: the preset's `warmup` whole generations, then the
// median of its `steps` generations (glm_torch.py's --warmup / --steps).
//
//   node bench/model.mjs [--configs tiny,small,base] [--backend auto|wasm|cpu] [--threads N] [--torch-threads 2]
//                        [--decode-batches 1,8] [--repeats 1] [--no-scoring] [--no-torch] [--cpu-time]
//
// --cpu-time also compares process CPU time per decode step (glmjs: process.cpuUsage; PyTorch:
// lib/torch_decode_batch.py's time.process_time, at every batch): on a machine shared with other
// jobs, CPU time measures the work per token where wall time mostly measures the share of the
// cores a process got. Meaningful with one thread on each side (--threads 1 --torch-threads 1).
//
// Needs `pnpm --filter @glmjs/core build` (and @glmjs/backend-wasm built for wasm).
import os from "node:os";
import { lcg, synthBatch } from "./lib/synthetic-batch.mjs";
import { PYTHON, TORCH_BATCH_DECODE_SCRIPT, TORCH_SCRIPT, runTorchBaseline, torchAvailable } from "./lib/torch-baseline.mjs";
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
const decodeBatches = option("decode-batches", "1,8").split(",").map(Number);
const repeats = Number(option("repeats", "1"));
const scoring = !flag("no-scoring");
const cpuTime = flag("cpu-time");
const wantBackend = option("backend", "auto");
const runTorch = !flag("no-torch");
const torchThreads = option("torch-threads", "2");

const core = await import("@glmjs/core");
const { tf, GLMModel, presetConfig, autoBackend, useBackend, estimateFlopsPerToken } = core;

let backendNote = "";
// Default: the backend's own thread count (the free cores); --threads N overrides it.
const threadOption = option("threads");
let wasmThreadCount = () => undefined;
try {
  const wasm = await import("@glmjs/backend-wasm");
  if (threadOption) wasm.configureWasm({ threads: Number(threadOption) });
  // (Older builds have no wasmThreadCount: the bench also measures them, for before/after runs.)
  wasmThreadCount = wasm.wasmThreadCount ?? (() => (threadOption ? Number(threadOption) : 1));
} catch (e) {
  backendNote = `@glmjs/backend-wasm not loadable (${e.message.split("\n")[0]}); `;
}
if (wantBackend === "auto") await autoBackend({ log: (l) => console.log(l) });
else await useBackend(wantBackend);
const backend = tf.getBackend();
const wasmThreads = wasmThreadCount();
backendNote += `backend: ${backend}${backend === "wasm" ? ` (${wasmThreads} thread${wasmThreads === 1 ? "" : "s"}${threadOption ? ", --threads" : ", default: free cores"})` : ""}`;
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

/**
 * Greedy decoding: prefill the prompts (bidirectional), then one cached step per token, each row
 * feeding back its own argmax, picked on the backend (select: "argmax": one id per row read back).
 * Returns seconds per step.
 */
async function decodeRun(model, prompts, gen) {
  const decoder = model.createDecoder();
  if (!decoder.stepArgmax) {
    // Builds before `select`: argMax of the last logits on the backend, one id per row read back (the same work).
    decoder.stepArgmax = async (inputs) => {
      const { logits } = decoder.step(inputs);
      const ids = tf.argMax(logits, -1);
      const v = await ids.data();
      tf.dispose([ids, logits]);
      return v;
    };
  }
  const batch = prompts.length;
  const length = prompts[0].length;
  let next = await decoder.stepArgmax({
    inputIds: prompts,
    positionIds: prompts.map((p) => p.map((_, i) => i)),
    blockPositionIds: prompts.map((p) => p.map(() => 0)),
    sep: length,
  });
  const positions = Array.from({ length: batch }, () => [length - 1]);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let k = 1; k < gen; k++) {
    next = await decoder.stepArgmax({
      inputIds: Array.from(next, (id) => [id]),
      positionIds: positions,
      blockPositionIds: Array.from({ length: batch }, () => [k]),
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  decoder.dispose();
  return { seconds: seconds / (gen - 1), cpuSeconds: (cpu.user + cpu.system) / 1e6 / (gen - 1) };
}

async function glmjsDecode(model, run, batch) {
  const rand = lcg(1);
  const prompts = Array.from({ length: batch }, () => Array.from({ length: PROMPT }, () => rand(model.config.vocab_size)));
  // The PyTorch side's method (glm_torch.py, lib/torch_decode_batch.py): `warmup` whole
  // generations, then the median of `steps` timed ones. A single cold run would time the process
  // warming up (V8's heap growing, JIT tiers) rather than decoding.
  for (let i = 0; i < run.warmup; i++) await decodeRun(model, prompts, run.gen);
  const runs = [];
  for (let i = 0; i < run.steps; i++) runs.push(await decodeRun(model, prompts, run.gen));
  runs.sort((a, b) => a.seconds - b.seconds);
  const r = runs[runs.length >> 1];
  return { ms: 1000 * r.seconds, cpuMs: 1000 * r.cpuSeconds };
}

/** PyTorch's process CPU ms per decode step at this batch (lib/torch_decode_batch.py). */
function torchDecodeCpuMs(name, run, batch) {
  if (!torchOk) return undefined;
  const a = [
    "--config",
    name,
    "--threads",
    torchThreads,
    "--warmup",
    String(run.warmup),
    "--steps",
    String(run.steps),
    "--prompt",
    String(PROMPT),
    "--gen",
    String(run.gen),
    "--batch",
    String(batch),
  ];
  return runTorchBaseline(a, `${name} decode batch ${batch} (CPU time)`, TORCH_BATCH_DECODE_SCRIPT)?.cpu_ms_per_step;
}

/** PyTorch's ms per decode step at this batch (glm_torch.py at batch 1, lib/torch_decode_batch.py otherwise). */
function torchDecodeMs(name, run, batch) {
  if (!torchOk) return undefined;
  const common = [
    "--config",
    name,
    "--threads",
    torchThreads,
    "--warmup",
    String(run.warmup),
    "--steps",
    String(run.steps),
    "--prompt",
    String(PROMPT),
    "--gen",
    String(run.gen),
  ];
  const r =
    batch === 1
      ? runTorchBaseline(["--mode", "decode", ...common], `${name} decode`)
      : runTorchBaseline([...common, "--batch", String(batch)], `${name} decode batch ${batch}`, TORCH_BATCH_DECODE_SCRIPT);
  return r ? 1000 / r.decode_tokens_per_s : undefined;
}

function torchForward(name, run) {
  if (!torchOk) return undefined;
  return runTorchBaseline(
    [
      "--config",
      name,
      "--mode",
      "forward",
      "--threads",
      torchThreads,
      "--warmup",
      String(run.warmup),
      "--steps",
      String(run.steps),
      "--batch",
      String(run.batch),
    ],
    `${name} forward`,
  );
}

const median = (xs) => {
  const v = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

const explicitConfigs = flag("configs");
if (backend === "cpu" && !explicitConfigs && configs.includes("base")) {
  configs.splice(configs.indexOf("base"), 1);
  console.log("skipping base on the plain-JS cpu backend (minutes per step); pass --configs base to run it anyway");
}

const rows = [];
const fmt = (x, d = 1) => (x === undefined ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
const ratioText = (r) => (r === undefined ? "—" : `${r.toFixed(3)}×`);
for (const name of configs) {
  const run = RUNS[name];
  if (!run) throw new Error(`unknown config ${name}; known: ${Object.keys(RUNS).join(", ")}`);
  const config = presetConfig(run.preset);
  const model = GLMModel.fromConfig(config, { seed: 0 });
  const before = tf.memory().numTensors;
  const row = { name, tokens: `${run.batch}×${run.seq}`, gen: run.gen, decode: {} };
  if (scoring) {
    const fwd = await glmjsForward(model, run);
    row.score = fwd.scoreTokS;
    row.loss = fwd.lossTokS;
    row.torchFwd = torchForward(name, run)?.tokens_per_s;
    row.gflops = (fwd.scoreTokS * estimateFlopsPerToken(config, run.seq)) / 1e9;
  }
  for (const batch of decodeBatches) {
    // Each repeat measures glmjs and PyTorch back to back; the ratio of each pair is kept.
    const pairs = [];
    for (let r = 0; r < repeats; r++) {
      const { ms, cpuMs } = await glmjsDecode(model, run, batch);
      const torchMs = torchDecodeMs(name, run, batch);
      const torchCpuMs = cpuTime ? torchDecodeCpuMs(name, run, batch) : undefined;
      pairs.push({
        ms,
        torchMs,
        ratio: torchMs === undefined ? undefined : torchMs / ms,
        cpuMs,
        torchCpuMs,
        cpuRatio: torchCpuMs === undefined ? undefined : torchCpuMs / cpuMs,
      });
      const cpuText = cpuTime ? `; CPU glmjs ${fmt(cpuMs, 2)} ms/step, torch ${fmt(torchCpuMs, 2)} ms/step, ratio ${ratioText(pairs.at(-1).cpuRatio)}` : "";
      console.log(
        `${name} decode batch ${batch} (${r + 1}/${repeats}): glmjs ${fmt(ms, 2)} ms/step, torch ${fmt(torchMs, 2)} ms/step, ratio ${ratioText(pairs.at(-1).ratio)}${cpuText}`,
      );
    }
    const med = (k) => median(pairs.map((p) => p[k]));
    row.decode[batch] = {
      ms: med("ms"),
      torchMs: med("torchMs"),
      ratio: med("ratio"),
      ratios: pairs.map((p) => p.ratio),
      cpuMs: med("cpuMs"),
      torchCpuMs: med("torchCpuMs"),
      cpuRatio: med("cpuRatio"),
      cpuRatios: pairs.map((p) => p.cpuRatio),
    };
  }
  // The model keeps one decoding weight snapshot for its decoders: not a leak, freed here.
  model.releaseDecodingWeights?.();
  if (tf.memory().numTensors !== before) console.log(`warning: ${tf.memory().numTensors - before} tensors leaked`);
  model.dispose();
  rows.push(row);
  if (scoring)
    console.log(
      `${name}: scoring ${fmt(row.score)} tok/s (${fmt(row.gflops, 2)} GFLOP/s), loss-only forward ${fmt(row.loss)} tok/s, torch ${fmt(row.torchFwd)} tok/s`,
    );
}

console.log("");
if (scoring) {
  console.log(`| config | tokens/step | glmjs scoring tok/s | glmjs loss-only forward tok/s | PyTorch forward tok/s | scoring ratio |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.tokens} | ${fmt(r.score)} | ${fmt(r.loss)} | ${fmt(r.torchFwd)} | ${ratioText(r.torchFwd === undefined ? undefined : r.score / r.torchFwd)} |`,
    );
  console.log("");
}
console.log(
  `Cached greedy decoding, prompt ${PROMPT} then the preset's new tokens, ms per step (one new token per row); ratio = PyTorch ms / glmjs ms (higher is better)${repeats > 1 ? `, median of ${repeats} same-run pairs` : ""}:`,
);
console.log("");
console.log(`| config | batch | glmjs ms/step | PyTorch ms/step | decode speed ratio |${repeats > 1 ? " ratios of the runs |" : ""}`);
console.log(`|---|---|---|---|---|${repeats > 1 ? "---|" : ""}`);
for (const r of rows) {
  for (const batch of decodeBatches) {
    const d = r.decode[batch];
    console.log(
      `| ${r.name} | ${batch} | ${fmt(d.ms, 2)} | ${fmt(d.torchMs, 2)} | ${ratioText(d.ratio)} |${repeats > 1 ? ` ${d.ratios.map((x) => (x === undefined ? "—" : x.toFixed(2))).join(", ")} |` : ""}`,
    );
  }
}
if (cpuTime) {
  console.log("");
  console.log("Process CPU time per decode step (all threads), the same runs; ratio = PyTorch CPU ms / glmjs CPU ms:");
  console.log("");
  console.log(`| config | batch | glmjs CPU ms/step | PyTorch CPU ms/step | CPU-time ratio |${repeats > 1 ? " ratios of the runs |" : ""}`);
  console.log(`|---|---|---|---|---|${repeats > 1 ? "---|" : ""}`);
  for (const r of rows) {
    for (const batch of decodeBatches) {
      const d = r.decode[batch];
      console.log(
        `| ${r.name} | ${batch} | ${fmt(d.cpuMs, 2)} | ${fmt(d.torchCpuMs, 2)} | ${ratioText(d.cpuRatio)} |${repeats > 1 ? ` ${d.cpuRatios.map((x) => (x === undefined ? "—" : x.toFixed(2))).join(", ")} |` : ""}`,
      );
    }
  }
}
console.log(
  `\n${backendNote}; PyTorch ${torchOk ? `1.13 (Debian), ${torchThreads} thread(s)` : "missing"}; ratios are glmjs / PyTorch speed (higher is better, 1.0 = parity); ` +
    `1-minute load average at the end ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}).`,
);
