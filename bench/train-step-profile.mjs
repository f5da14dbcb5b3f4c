#!/usr/bin/env node
// Speed of one GLM training step at the model level (benchmark, not a test): forward + backward of
// `model.loss` through `tf.variableGrads`, and batch scoring (`model.perTokenLoss`, logits over the
// whole vocabulary at every position), on the wasm backend with 1 and 2 threads, against the
// plain-PyTorch baseline of the same shapes measured in the same run (../shared/bench/glm_torch.py).
// With --profile it also prints where a training step's time goes: the top kernels by time.
//
//   node bench/train-step-profile.mjs [--configs tiny,small] [--threads 1,2] [--steps 3] [--profile] [--detail] [--no-torch]
//                                     [--baseline-core path/to/other/core/dist/index.js]
//
// --baseline-core also measures the model code of another build of @glmjs/core (say, an older
// commit built into an ignored folder inside packages/core, so it resolves the same tfjs) on
// 1 thread in the same run, as the "before" column.
//
// tokens/s counts input tokens per step (batch × seq) for both sides, as glm_torch.py does. The
// PyTorch step also clips and runs AdamW (a few ms at these sizes); glmjs's is the gradient only.
// Needs `pnpm --filter @glmjs/core build && pnpm --filter @glmjs/backend-wasm build`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { synthBatch } from "./lib/synthetic-batch.mjs";
import { TORCH_SCRIPT, runTorchBaseline } from "./lib/torch-baseline.mjs";
import { option, flag } from "./lib/args.mjs";
import { scoreStep, trainStep } from "./lib/steps.mjs";

// PyTorch + OpenBLAS, 2 threads, on a quiet machine of this kind (../shared/bench/README.md): the
// target is half of these; the shared machines of these runs are rarely quiet.
const QUIET_TORCH = { tiny: { train: 2970, forward: 7720 }, small: { train: 1340, forward: 3682 } };
const RUNS = {
  tiny: { preset: "tiny", batch: 16, seq: 128 },
  small: { preset: "small", batch: 8, seq: 256 },
};

const configs = option("configs", "tiny,small").split(",");
const steps = Number(option("steps", "3"));
const fmt = (x, d = 1) => (x === undefined ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));

if (flag("child")) await child();
else await parent();

/** Runs the glmjs measurements in one process per thread count (threads are fixed when wasm starts). */
async function parent() {
  const threadCounts = option("threads", "1,2").split(",").map(Number);
  const runTorch = !flag("no-torch") && existsSync(TORCH_SCRIPT);
  console.log(`node ${process.version}, ${os.cpus().length} cores, 1-minute load average ${os.loadavg()[0].toFixed(1)}`);
  const rows = [];
  for (const name of configs) {
    if (!RUNS[name]) throw new Error(`unknown config ${name}; known: ${Object.keys(RUNS).join(", ")}`);
    const row = { name, tokens: `${RUNS[name].batch}×${RUNS[name].seq}`, glmjs: {} };
    for (const threads of threadCounts) {
      const extra = flag("profile") && threads === threadCounts[0] ? ["--profile"] : [];
      const r = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), "--child", "--configs", name, "--threads", String(threads), "--steps", String(steps), ...extra],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const lines = r.stdout.trim().split("\n");
      for (const l of lines.slice(0, -1)) console.log(l);
      try {
        row.glmjs[threads] = JSON.parse(lines[lines.length - 1]);
        console.log(`${name}, wasm ${threads} thread(s): train ${fmt(row.glmjs[threads].trainTokS)} tok/s, scoring ${fmt(row.glmjs[threads].scoreTokS)} tok/s`);
      } catch {
        console.log(`${name}, wasm ${threads} thread(s) failed (exit ${r.status})`);
      }
    }
    const baselineCore = option("baseline-core", undefined);
    if (baselineCore) {
      const r = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), "--child", "--configs", name, "--threads", "1", "--steps", String(steps), "--core", baselineCore],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      try {
        row.before = JSON.parse(r.stdout.trim().split("\n").pop());
        console.log(`${name}, baseline core, wasm 1 thread: train ${fmt(row.before.trainTokS)} tok/s, scoring ${fmt(row.before.scoreTokS)} tok/s`);
      } catch {
        console.log(`${name}, baseline core failed (exit ${r.status})`);
      }
    }
    if (runTorch) {
      for (const mode of ["train", "forward"]) {
        const r = runTorchBaseline(["--config", name, "--mode", mode, "--threads", "2", "--warmup", "1", "--steps", String(steps)], `${name} ${mode}`);
        if (r) {
          row[mode] = r.tokens_per_s;
          console.log(`${name}, PyTorch 2 threads: ${mode} ${fmt(row[mode])} tok/s`);
        }
      }
    }
    rows.push(row);
  }
  const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(3)}×`);
  console.log("");
  const head = threadCounts.map((t) => `glmjs train tok/s, ${t} thr`).join(" | ");
  const headScore = threadCounts.map((t) => `glmjs scoring tok/s, ${t} thr`).join(" | ");
  console.log(
    `| config | tokens/step | ${head} | PyTorch train tok/s (2 thr, this run) | best train ratio | vs quiet-machine PyTorch | ${headScore} | PyTorch forward tok/s (2 thr, this run) | best scoring ratio | vs quiet-machine PyTorch |`,
  );
  console.log(`|---|---|${threadCounts.map(() => "---:|").join("")}---:|---:|---:|${threadCounts.map(() => "---:|").join("")}---:|---:|---:|`);
  for (const r of rows) {
    const train = threadCounts.map((t) => r.glmjs[t]?.trainTokS);
    const score = threadCounts.map((t) => r.glmjs[t]?.scoreTokS);
    const best = (xs) => Math.max(...xs.filter((x) => x !== undefined));
    console.log(
      `| ${r.name} | ${r.tokens} | ${train.map((x) => fmt(x)).join(" | ")} | ${fmt(r.train)} | ${ratio(best(train), r.train)} | ${ratio(best(train), QUIET_TORCH[r.name].train)} | ${score.map((x) => fmt(x)).join(" | ")} | ${fmt(r.forward)} | ${ratio(best(score), r.forward)} | ${ratio(best(score), QUIET_TORCH[r.name].forward)} |`,
    );
  }
  if (rows.some((r) => r.before)) {
    console.log("\n| config | train tok/s before (1 thr) | after (1 thr) | speed-up | scoring tok/s before (1 thr) | after (1 thr) | speed-up |");
    console.log("|---|---:|---:|---:|---:|---:|---:|");
    for (const r of rows) {
      const a = r.glmjs[1];
      console.log(
        `| ${r.name} | ${fmt(r.before?.trainTokS)} | ${fmt(a?.trainTokS)} | ${ratio(a?.trainTokS, r.before?.trainTokS)} | ${fmt(r.before?.scoreTokS)} | ${fmt(a?.scoreTokS)} | ${ratio(a?.scoreTokS, r.before?.scoreTokS)} |`,
      );
    }
  }
  console.log(
    `\n1-minute load average at the end ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores; ratios are glmjs / PyTorch tokens/s (input tokens per step on both sides); "vs quiet-machine PyTorch" divides by ../shared/bench/README.md's figures (tiny ${QUIET_TORCH.tiny.train} / ${QUIET_TORCH.tiny.forward}, small ${QUIET_TORCH.small.train} / ${QUIET_TORCH.small.forward} tok/s train / forward).`,
  );
}

/** Wraps every wasm kernel so its time is summed by kernel name (wasm kernels run synchronously). */
function instrumentKernels(tf, detail) {
  const totals = new Map();
  for (const k of tf.getKernelsForBackend("wasm")) {
    const inner = k.kernelFunc;
    const timed = (a) => {
      const t0 = performance.now();
      const out = inner(a);
      const ms = performance.now() - t0;
      const e = totals.get(k.kernelName) ?? { ms: 0, calls: 0, shapes: new Map() };
      e.ms += ms;
      e.calls++;
      if (detail) {
        const key =
          Object.values(a.inputs)
            .map((t) => `[${t.shape.join("x")}]`)
            .join("·") +
          (a.attrs?.transposeA ? " tA" : "") +
          (a.attrs?.transposeB ? " tB" : "");
        e.shapes.set(key, (e.shapes.get(key) ?? 0) + ms);
      }
      totals.set(k.kernelName, e);
      return out;
    };
    tf.unregisterKernel(k.kernelName, "wasm");
    tf.registerKernel({ ...k, kernelFunc: timed });
  }
  return totals;
}

async function child() {
  const threads = Number(option("threads", "1"));
  const core = await import("@glmjs/core");
  const { configureWasm } = await import("@glmjs/backend-wasm");
  const { tf, useBackend } = core;
  if (threads > 1) configureWasm({ threads });
  const totals = flag("profile") ? instrumentKernels(tf, flag("detail")) : undefined;
  await useBackend("wasm");
  // The model code under test: this workspace's @glmjs/core, or another build of it (same tfjs engine).
  const modelCore = option("core", undefined) ? await import(pathToFileURL(resolve(option("core", ""))).href) : core;
  const { GLMModel, presetConfig } = modelCore;
  const name = configs[0];
  const run = RUNS[name];
  const config = presetConfig(run.preset);
  const model = GLMModel.fromConfig(config, { seed: 0 });
  const batch = synthBatch(config.vocab_size, run.batch, run.seq);
  const tokens = run.batch * run.seq;
  const runTrainStep = trainStep(tf, model, batch);
  const runScoreStep = scoreStep(model, batch);
  const median = async (fn) => {
    await fn(); // warm-up
    const times = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await fn();
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  };
  const before = tf.memory().numTensors;
  const trainS = await median(runTrainStep);
  totals?.clear();
  if (totals) {
    const t0 = performance.now();
    await runTrainStep();
    const stepMs = performance.now() - t0;
    const top = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const kernelMs = top.reduce((s, [, e]) => s + e.ms, 0);
    console.log(
      `\nWhere one ${name} training step goes (wasm, ${threads} thread(s)): ${fmt(stepMs, 0)} ms, of which ${fmt(kernelMs, 0)} ms in kernels, ${top.reduce((s, [, e]) => s + e.calls, 0)} kernel calls\n`,
    );
    console.log("| kernel | calls | ms | share of step |");
    console.log("|---|---:|---:|---:|");
    for (const [k, e] of top.slice(0, 15)) console.log(`| ${k} | ${e.calls} | ${fmt(e.ms, 1)} | ${((100 * e.ms) / stepMs).toFixed(1)} % |`);
    if (flag("detail")) {
      for (const [k, e] of top.slice(0, 8)) {
        for (const [shape, ms] of [...e.shapes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`|   ${k} ${shape} | | ${fmt(ms, 1)} | |`);
      }
    }
    console.log(`| (outside kernels: JS, autodiff bookkeeping) | | ${fmt(stepMs - kernelMs, 1)} | ${((100 * (stepMs - kernelMs)) / stepMs).toFixed(1)} % |\n`);
  }
  const scoreS = await median(runScoreStep);
  if (tf.memory().numTensors !== before) console.log(`warning: ${tf.memory().numTensors - before} tensors leaked`);
  model.dispose();
  console.log(JSON.stringify({ config: name, threads, trainTokS: tokens / trainS, scoreTokS: tokens / scoreS }));
  process.exit(0);
}
