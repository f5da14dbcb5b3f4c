#!/usr/bin/env node
// GPU benchmark (not a test), one command for a session with a GPU: glmjs on WebGPU (Dawn in
// Node) against PyTorch CUDA on the same card in the same run, float32 and TF32:
//   - matMul TFLOP/s at 1024² and 2048² (glmjs's tiled kernel, tfjs's own programs, PyTorch),
//     as a share of the card's float32 peak;
//   - training tokens/s and MFU for tiny / small / base (the Trainer's full step: forward +
//     backward + clip + AdamW; PyTorch: ../shared/bench/glm_torch.py's model and step);
//   - greedy decode ms/token at batch 1 (the next id read back every step on both sides).
//
//   node bench/gpu/gpu-bench.mjs [--configs tiny,small,base] [--sizes 1024,2048] [--steps 10]
//        [--gen 64] [--peak-tflops 67] [--python python3] [--no-torch] [--json out.json]
// Not yet timed on a GPU: glmjs runs first, then PyTorch twice (float32, TF32) in a child process.
//
// MFU = tokens/s × model FLOPs per token / the card's float32 peak, with glm_torch.py's count of
// model FLOPs (logits at every position) on both sides, so the two MFUs compare the same work.
// The float32 peak: --peak-tflops, else the vendor figure for a card named by the adapter /
// nvidia-smi (table below), else none (MFU not printed).
// Needs the glmjs packages built (`pnpm exec turbo run build`) and, for the baseline, a python3
// whose torch sees the GPU (bench/gpu/torch_cuda.py).
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { option, flag } from "../lib/args.mjs";
import { synthBatch } from "../lib/synthetic-batch.mjs";

const { tf, GLMModel, presetConfig, useBackend, estimateFlopsPerToken, probeBackends } = await import("@glmjs/core");
const webgpu = await import("@glmjs/backend-webgpu");
const { Trainer, MemoryStorage, DEFAULT_TRAINER_OPTIONS, GLM_ADAMW } = await import("@glmjs/train");

const configs = option("configs", "tiny,small,base").split(",");
const sizes = option("sizes", "1024,2048").split(",").map(Number);
const steps = Number(option("steps", "10"));
const gen = Number(option("gen", "64"));
const PROMPT = 64;
// glm_torch.py's shapes and batches (2,048 tokens per step).
const RUNS = { tiny: { batch: 16, seq: 128 }, small: { batch: 8, seq: 256 }, base: { batch: 4, seq: 512 } };
// Vendor float32 (non-tensor-core) peaks, TFLOP/s, by a substring of the card's name.
const FP32_PEAK_TFLOPS = [
  ["H200", 67],
  ["H100 PCIe", 51],
  ["H100", 67],
  ["A100", 19.5],
  ["L40S", 91.6],
  ["L4", 30.3],
  ["A10", 31.2],
  ["RTX 4090", 82.6],
];

function nvidiaSmiName() {
  try {
    return execFileSync("nvidia-smi", ["--query-gpu=name", "--format=csv,noheader"], { encoding: "utf8" }).split("\n")[0].trim();
  } catch {
    return undefined;
  }
}

const probe = (await probeBackends()).find((p) => p.name === "webgpu");
if (!probe?.probe?.available) {
  console.log(`WebGPU is not available here: ${probe?.probe?.reason ?? "no probe"}`);
  process.exit(1);
}
await useBackend("webgpu");
const adapter = JSON.stringify(probe.probe);
const cardName = nvidiaSmiName() ?? adapter;
const peakTflops = option("peak-tflops") ? Number(option("peak-tflops")) : FP32_PEAK_TFLOPS.find(([k]) => cardName.includes(k))?.[1];
console.log(`webgpu adapter: ${adapter}`);
console.log(`card: ${cardName}; float32 peak ${peakTflops ?? "unknown"} TFLOP/s; ${os.cpus().length} CPU cores, load ${os.loadavg()[0].toFixed(1)}`);

/** TFLOP/s of n×n×n products, `reps` queued back to back and read once (the queue is serial). */
async function matMulTflops(n, reps = 20) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const round = async () => {
    const t0 = performance.now();
    let last;
    for (let i = 0; i < reps; i++) {
      last?.dispose();
      last = tf.matMul(a, b);
    }
    const one = tf.slice(last, [0, 0], [1, 1]); // waits for the queue without reading n² floats back
    await one.data();
    tf.dispose([one, last]);
    return (performance.now() - t0) / 1000;
  };
  await round();
  const times = [];
  for (let r = 0; r < 5; r++) times.push(await round());
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / Math.min(...times) / 1e12;
}

/** The Trainer's full optimizer step on one repeated synthetic batch: median tokens/s. */
async function trainTokensPerSecond(name) {
  const { batch, seq } = RUNS[name];
  const config = presetConfig(name);
  const model = GLMModel.fromConfig(config, { seed: 0 });
  const data = synthBatch(config.vocab_size, batch, seq);
  const source = { next: () => data, state: () => ({}), restore: () => {} };
  const warmup = 2;
  const seconds = [];
  const trainer = new Trainer(
    model,
    source,
    [],
    new MemoryStorage(),
    {
      ...DEFAULT_TRAINER_OPTIONS,
      steps: warmup + steps,
      optimizer: { ...GLM_ADAMW, weightDecay: 0.01 },
      schedule: { peakLr: 1e-4, decaySteps: warmup + steps, warmupFraction: 0, style: "constant", decayRatio: 1 },
      evalEvery: 0,
      checkpointEvery: 0,
      plotEvery: 1e9,
    },
    { onStep: (row) => row.step > warmup && seconds.push((batch * seq) / row.tokens_per_s) },
  );
  await trainer.run();
  trainer.dispose();
  model.dispose();
  seconds.sort((x, y) => x - y);
  const tokS = (batch * seq) / seconds[Math.floor(seconds.length / 2)];
  return { tokS, flopsPerToken: estimateFlopsPerToken(config, seq, { training: true }) };
}

/** Greedy decoding at batch 1 after a 64-token prompt: ms per token, one id read back per step. */
async function decodeMsPerToken(name) {
  const model = GLMModel.fromConfig(presetConfig(name), { seed: 0 });
  const prompt = Array.from({ length: PROMPT }, (_, i) => (i * 7919) % model.config.vocab_size);
  const once = async (n) => {
    const decoder = model.createDecoder();
    let next = await decoder.stepArgmax({ inputIds: [prompt], positionIds: [prompt.map((_, i) => i)], blockPositionIds: [prompt.map(() => 0)], sep: PROMPT });
    const t0 = performance.now();
    for (let k = 1; k < n; k++) next = await decoder.stepArgmax({ inputIds: [[next[0]]], positionIds: [[PROMPT - 1]], blockPositionIds: [[k]] });
    const ms = (performance.now() - t0) / (n - 1);
    decoder.dispose();
    return ms;
  };
  await once(8);
  const runs = [await once(gen), await once(gen), await once(gen)].sort((x, y) => x - y);
  model.dispose();
  return runs[1];
}

const glmjs = { matmul: {}, train: {}, decode: {} };
for (const n of sizes) {
  webgpu.setWebGPUMatMul({ enabled: true });
  const tiled = await matMulTflops(n);
  webgpu.setWebGPUMatMul({ enabled: false });
  const tfjs = await matMulTflops(n);
  webgpu.resetWebGPUMatMul();
  glmjs.matmul[n] = { tiled, tfjs, plan: webgpu.webGPUMatMulPlan([n, n], [n, n]) };
  console.log(`matMul ${n}²: glmjs tiled ${tiled.toFixed(2)} TFLOP/s (${JSON.stringify(glmjs.matmul[n].plan)}), tfjs programs ${tfjs.toFixed(2)}`);
}
for (const name of configs) {
  glmjs.train[name] = await trainTokensPerSecond(name);
  glmjs.decode[name] = await decodeMsPerToken(name);
  console.log(`${name}: train ${glmjs.train[name].tokS.toFixed(0)} tokens/s, decode ${glmjs.decode[name].toFixed(2)} ms/token`);
}

// PyTorch CUDA, float32 and TF32, after glmjs has released the card's memory (one process per run).
const torch = { matmul: {}, train: {}, decode: {} };
let torchVersion = "not run";
if (!flag("no-torch")) {
  const script = fileURLToPath(new URL("./torch_cuda.py", import.meta.url));
  const args = [script, "--configs", configs.join(","), "--sizes", sizes.join(","), "--steps", String(steps), "--prompt", String(PROMPT), "--gen", String(gen)];
  const r = spawnSync(option("python", "python3"), args, { encoding: "utf8" });
  for (const line of r.stdout.split("\n").filter((l) => l.startsWith("{"))) {
    const m = JSON.parse(line);
    if (m.error) torchVersion = `failed: ${m.error}`;
    else {
      torchVersion = `PyTorch ${m.torch}, CUDA ${m.cuda}, ${m.device}`;
      if (m.mode === "matmul") (torch.matmul[m.n] ??= {})[m.precision] = m.tflops;
      if (m.mode === "train") (torch.train[m.config] ??= {})[m.precision] = m.tokens_per_s;
      if (m.mode === "decode") (torch.decode[m.config] ??= {})[m.precision] = m.ms_per_token;
    }
  }
  if (r.status !== 0 && torchVersion === "not run") torchVersion = `failed (exit ${r.status}): ${r.stderr.trim().split("\n").at(-1)}`;
}
console.log(`\nbaseline: ${torchVersion}`);

const f = (x, d = 2) => (x === undefined || Number.isNaN(x) ? "—" : x.toFixed(d));
const pct = (tflops) => (peakTflops && tflops !== undefined ? `${((100 * tflops) / peakTflops).toFixed(1)} %` : "—");
const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(3)}×`);
console.log(`\nmatMul n×n×n, TFLOP/s (share of the float32 peak ${peakTflops ?? "?"} TFLOP/s):\n`);
console.log("| n | glmjs tiled | tfjs programs | PyTorch fp32 | PyTorch TF32 | glmjs / PyTorch fp32 |");
console.log("|---|---|---|---|---|---|");
for (const n of sizes) {
  const g = glmjs.matmul[n];
  const t = torch.matmul[n] ?? {};
  console.log(
    `| ${n} | ${f(g.tiled)} (${pct(g.tiled)}) | ${f(g.tfjs)} (${pct(g.tfjs)}) | ${f(t.fp32)} (${pct(t.fp32)}) | ${f(t.tf32)} | ${ratio(g.tiled, t.fp32)} |`,
  );
}
console.log("\nTraining step (forward + backward + clip + AdamW), tokens/s and MFU (model FLOPs as glm_torch.py counts them / float32 peak):\n");
console.log("| config | tokens/step | glmjs tok/s | glmjs MFU | PyTorch fp32 tok/s | MFU | PyTorch TF32 tok/s | glmjs / PyTorch fp32 | glmjs / PyTorch TF32 |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const name of configs) {
  const g = glmjs.train[name];
  const t = torch.train[name] ?? {};
  const mfu = (tokS) => (tokS === undefined ? undefined : (tokS * g.flopsPerToken) / 1e12);
  console.log(
    `| ${name} | ${RUNS[name].batch}×${RUNS[name].seq} | ${f(g.tokS, 0)} | ${pct(mfu(g.tokS))} | ${f(t.fp32, 0)} | ${pct(mfu(t.fp32))} | ${f(t.tf32, 0)} | ${ratio(g.tokS, t.fp32)} | ${ratio(g.tokS, t.tf32)} |`,
  );
}
console.log(`\nGreedy decoding, batch 1, ${PROMPT}-token prompt, ${gen - 1} steps, ms/token (ratio = PyTorch ms / glmjs ms):\n`);
console.log("| config | glmjs | PyTorch fp32 | PyTorch TF32 | ratio fp32 | ratio TF32 |");
console.log("|---|---|---|---|---|---|");
for (const name of configs) {
  const t = torch.decode[name] ?? {};
  console.log(
    `| ${name} | ${f(glmjs.decode[name])} | ${f(t.fp32)} | ${f(t.tf32)} | ${ratio(t.fp32, glmjs.decode[name])} | ${ratio(t.tf32, glmjs.decode[name])} |`,
  );
}
if (option("json")) writeFileSync(option("json"), JSON.stringify({ adapter, cardName, peakTflops, torchVersion, glmjs, torch }, null, 2));
process.exit(0);
