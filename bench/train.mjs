#!/usr/bin/env node
// Training speed of @glmjs/train (benchmark, not a test): tokens/s of one full optimizer step
// (forward + backward + global-norm clip + AdamW, the Trainer's own step) for the tiny and small
// presets on the best backend here, against the plain-PyTorch baseline of the same shapes run in
// the same benchmark (../shared/bench/glm_torch.py --mode train). Prints a table of ratios.
//
//   node bench/train.mjs [--configs tiny,small[,base]] [--backend auto|wasm|cpu] [--threads N] [--steps N] [--torch-steps N] [--batch-small B] [--no-torch]
//
// wasm threads: the backend's default (the free cores) unless --threads N is given.
//
// Needs `pnpm --filter @glmjs/core --filter @glmjs/data --filter @glmjs/train --filter @glmjs/backend-wasm build`.
import { synthBatch } from "./lib/synthetic-batch.mjs";
import { PYTHON, TORCH_SCRIPT, runTorchBaseline, torchAvailable } from "./lib/torch-baseline.mjs";
import { option, flag } from "./lib/args.mjs";

// glm_torch.py's shapes; tiny at its 2,048 tokens per step, small at 1,024 (batch 4) to keep the
// PyTorch side of the run short (tokens/s hardly depends on the batch at these sizes; both sides
// always run the same batch). --batch-small 8 restores 2,048.
const RUNS = {
  tiny: { preset: "tiny", batch: 16, seq: 128 },
  small: { preset: "small", batch: 4, seq: 256 },
  // GLM-Base's shape at glm_torch.py's batch; not in the default run. On the wasm backend it fails even at
  // 1 × 512 (its heap cannot hold weights, gradients and Adam moments, 1.75 GB, plus activations); use
  // --backend webgpu on a GPU.
  base: { preset: "base", batch: 4, seq: 512 },
};

const configs = option("configs", "tiny,small").split(",");
const wantBackend = option("backend", "auto");
const steps = Number(option("steps", "3"));
const torchSteps = Number(option("torch-steps", "2"));
if (option("batch-small")) RUNS.small.batch = Number(option("batch-small"));
const warmup = 1;
const runTorch = !flag("no-torch");

const { tf, GLMModel, presetConfig, autoBackend, useBackend, estimateFlopsPerToken, measureMatmulSpeed } = await import("@glmjs/core");
const { Trainer, MemoryStorage, DEFAULT_TRAINER_OPTIONS, GLM_ADAMW, trainingStepFlops, lossTokens } = await import("@glmjs/train");

const threadOption = option("threads");
let wasmThreadCount = () => undefined;
try {
  const wasm = await import("@glmjs/backend-wasm");
  if (threadOption) wasm.configureWasm({ threads: Number(threadOption) });
  wasmThreadCount = wasm.wasmThreadCount ?? (() => (threadOption ? Number(threadOption) : 1));
} catch (e) {
  console.log(`@glmjs/backend-wasm not loadable (${e.message.split("\n")[0]})`);
}
if (wantBackend === "auto") await autoBackend({ log: (l) => console.log(l) });
else await useBackend(wantBackend);
const backend = tf.getBackend();
const wasmThreads = wasmThreadCount();
const peak = await measureMatmulSpeed(512);
console.log(
  `backend: ${backend}${backend === "wasm" ? ` (${wasmThreads} thread${wasmThreads === 1 ? "" : "s"}${threadOption ? "" : ", default: free cores"})` : ""}; matmul 512² ${peak.gflops.toFixed(1)} GFLOP/s`,
);

const torchOk = runTorch && torchAvailable();
if (runTorch && !torchOk) console.log(`PyTorch baseline missing (${PYTHON} with torch, ${TORCH_SCRIPT}): ratios are not printed`);

/** Runs the Trainer for warmup + steps optimizer steps on one repeated batch; median step time. */
async function glmjsTrain(run) {
  const before = tf.memory().numTensors;
  const config = presetConfig(run.preset);
  const model = GLMModel.fromConfig(config, { seed: 0 });
  const batch = synthBatch(config.vocab_size, run.batch, run.seq);
  const source = { next: () => batch, state: () => ({}), restore: () => {} };
  const seconds = [];
  const tensors = [];
  const total = warmup + steps;
  const trainer = new Trainer(
    model,
    source,
    [],
    new MemoryStorage(),
    {
      ...DEFAULT_TRAINER_OPTIONS,
      steps: total,
      optimizer: { ...GLM_ADAMW, weightDecay: 0.01 },
      schedule: { peakLr: 1e-4, decaySteps: total, warmupFraction: 0, style: "constant", decayRatio: 1 },
      evalEvery: 0,
      checkpointEvery: 0,
      plotEvery: 1e9,
    },
    {
      onStep: (row) => {
        if (row.step > warmup) seconds.push((run.batch * run.seq) / row.tokens_per_s);
        tensors.push(row.num_tensors);
      },
    },
  );
  await trainer.run();
  trainer.dispose();
  model.dispose();
  if (tf.memory().numTensors !== before) console.log(`warning: ${tf.memory().numTensors - before} tensors leaked`);
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)];
  const tokS = (run.batch * run.seq) / median;
  // Two FLOP rates: the work glmjs does (vocabulary projection only at loss positions) and the
  // baseline's work (projection at every position), i.e. tokens/s in the baseline's FLOP units.
  return {
    tokS,
    gflops: trainingStepFlops(config, batch, lossTokens(batch)) / median / 1e9,
    baselineGflops: (tokS * estimateFlopsPerToken(config, run.seq, { training: true })) / 1e9,
  };
}

function torchTrain(name, run) {
  if (!torchOk) return undefined;
  // Dropout off, as the glmjs step here (it trains without dropout unless asked).
  const a = [
    "--config",
    name,
    "--mode",
    "train",
    "--threads",
    "2",
    "--batch",
    String(run.batch),
    "--warmup",
    String(warmup),
    "--steps",
    String(torchSteps),
    "--dropout",
    "0",
  ];
  return runTorchBaseline(a, `${name} train`);
}

const fmt = (x, d = 1) => (x === undefined ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
const rows = [];
for (const name of configs) {
  const run = RUNS[name];
  if (!run) throw new Error(`unknown config ${name}; known: ${Object.keys(RUNS).join(", ")}`);
  let glmjs;
  try {
    glmjs = await glmjsTrain(run);
  } catch (e) {
    console.log(`${name}: glmjs failed at ${run.batch}×${run.seq}: ${e.message.split("\n")[0]}`);
    continue;
  }
  const torch = torchTrain(name, run);
  rows.push({ name, tokens: `${run.batch}×${run.seq}`, glmjs, torch });
  console.log(`${name}: glmjs ${fmt(glmjs.tokS)} tok/s (${fmt(glmjs.gflops, 2)} GFLOP/s), torch ${fmt(torch?.tokens_per_s)} tok/s`);
}

const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(3)}×`);
console.log("");
console.log(
  `Training step (forward + backward + clip + AdamW), ${backend} backend${backend === "wasm" ? ` (${wasmThreads} thread${wasmThreads === 1 ? "" : "s"})` : ""}, median of ${steps} steps after ${warmup} warm-up; PyTorch ${torchOk ? `2 threads, dropout 0, median of ${torchSteps} steps after ${warmup} warm-up` : "not run"}.`,
);
console.log("");
console.log(
  `glmjs GFLOP/s = matmul FLOPs glmjs performs per second; PyTorch-equivalent = tokens/s × the baseline's FLOPs/token (logits at every position). wasm matMul 512²: ${peak.gflops.toFixed(1)} GFLOP/s.`,
);
console.log("");
console.log("| config | tokens/step | glmjs tokens/s | glmjs GFLOP/s | PyTorch-equivalent GFLOP/s | PyTorch tokens/s | PyTorch GFLOP/s | glmjs / PyTorch |");
console.log("|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.tokens} | ${fmt(r.glmjs.tokS)} | ${fmt(r.glmjs.gflops, 2)} | ${fmt(r.glmjs.baselineGflops, 2)} | ${fmt(r.torch?.tokens_per_s)} | ${fmt(r.torch?.gflops, 2)} | ${ratio(r.glmjs.tokS, r.torch?.tokens_per_s)} |`,
  );
}
