#!/usr/bin/env node
// Loading a checkpoint over 2 GiB (benchmark, not a test): peak memory of loadModel on a synthetic
// ~3 GiB float32 GLM written as model.safetensors and as pytorch_model.bin, each loaded in a fresh
// process, against the weights' own float32 size, and against the eager way (the whole file read
// into one buffer, then decoded) measured in the same run. Prints peak RSS / float32 weights;
// the bound glmjs holds is ~1.3×. The files go to a temporary folder (default /tmp), removed after.
//
//   pnpm --filter @glmjs/core... build && node bench/checkpoint-big.mjs [--gib 3] [--dir /tmp] [--no-eager] [--keep]
//
// One run writes ~6 GiB to disk and loads ~3 GiB three or four times: minutes, and about
// 4 GiB of memory at a time. Run it once when the machine is quiet, not in tests.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { flag, option } from "./lib/args.mjs";

const role = process.env.GLMJS_BENCH_ROLE;

/** A GLM whose float32 weights are about `gib` GiB: hidden 2048, 32 heads, GPT-2 vocabulary, layers to fill. */
function configFor(gib) {
  const h = 2048;
  const perLayer = 12 * h * h + 13 * h;
  const fixed = 50304 * h + 2 * 1025 * h + 2 * h;
  const layers = Math.max(1, Math.round(((gib * 2 ** 30) / 4 - fixed) / perLayer));
  return { num_layers: layers, hidden_size: h, num_attention_heads: 32, vocab_size: 50304, max_sequence_length: 1024 };
}

/** Deterministic values of one tensor (a cheap LCG, seeded by the tensor's index). */
function values(n, seed) {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 0.04;
  }
  return out;
}

function checksum(data) {
  let sum = 0;
  for (let i = 0; i < data.length; i += 997) sum += data[i];
  return sum;
}

if (role === "write") {
  // Writes the two files part by part (neither is ever one buffer); the tensors are held once.
  const { parameterSpecs, validateConfig } = await import("@glmjs/core");
  const { writeSafetensorsFile, writePytorchBinFile } = await import("@glmjs/core/node");
  const dir = process.env.GLMJS_BENCH_DIR;
  const config = validateConfig(JSON.parse(process.env.GLMJS_BENCH_CONFIG));
  const tensors = new Map();
  parameterSpecs(config).forEach((spec, i) =>
    tensors.set(spec.name, {
      dtype: "F32",
      shape: spec.shape,
      data: values(
        spec.shape.reduce((a, b) => a * b, 1),
        i + 1,
      ),
    }),
  );
  const probe = "transformer.layers.0.attention.dense.weight";
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  writeFileSync(join(dir, "probe.json"), JSON.stringify({ name: probe, checksum: checksum(tensors.get(probe).data) }));
  await writeSafetensorsFile(join(dir, "model.safetensors"), tensors);
  await writePytorchBinFile(join(dir, "pytorch_model.bin"), tensors);
  process.exit(0);
}

if (role === "load") {
  // A fresh process: import glmjs, note the RSS, load, check one tensor, report the peak.
  const { loadModel, GLMModel, readCheckpointBytes, validateConfig } = await import("@glmjs/core");
  const { readFileBytes } = await import("@glmjs/core/node");
  const file = process.env.GLMJS_BENCH_FILE;
  const dir = process.env.GLMJS_BENCH_DIR;
  const probe = JSON.parse((await import("node:fs")).readFileSync(join(dir, "probe.json"), "utf8"));
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  let model;
  if (process.env.GLMJS_BENCH_MODE === "eager") {
    const config = validateConfig(JSON.parse((await import("node:fs")).readFileSync(join(dir, "config.json"), "utf8")));
    const contents = readCheckpointBytes(await readFileBytes(file), file);
    model = GLMModel.fromNamedArrays(config, contents.tensors, file);
  } else {
    model = await loadModel(file);
  }
  const seconds = (performance.now() - t0) / 1000;
  const got = checksum(model.namedVariables().get(probe.name).dataSync());
  const result = {
    seconds,
    params: model.parameterCount(),
    rssBefore: before,
    peakRss: process.resourceUsage().maxRSS * 1024,
    probeOk: Math.abs(got - probe.checksum) < 1e-6 * Math.max(1, Math.abs(probe.checksum)),
  };
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
}

// ---- the orchestrating process ----
const gib = Number(option("gib", "3"));
const root = mkdtempSync(join(option("dir", "/tmp"), "glmjs-big-ckpt-"));
const self = fileURLToPath(import.meta.url);
const config = configFor(gib);
const run = (env) => {
  const r = spawnSync(process.execPath, ["--max-old-space-size=8192", self], {
    env: { ...process.env, ...env, GLMJS_BENCH_DIR: root },
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`child ${JSON.stringify(env)} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
};
try {
  console.log(`synthetic GLM: ${config.num_layers} layers × ${config.hidden_size}, vocab ${config.vocab_size}; writing to ${root} …`);
  let t = performance.now();
  run({ GLMJS_BENCH_ROLE: "write", GLMJS_BENCH_CONFIG: JSON.stringify(config) });
  console.log(`written in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  const rows = [];
  const cases = [
    ["loadModel", "model.safetensors", "lazy"],
    ["loadModel", "pytorch_model.bin", "lazy"],
    ...(flag("no-eager") ? [] : [["eager: whole file in one buffer", "pytorch_model.bin", "eager"]]),
  ];
  for (const [how, name, mode] of cases) {
    const file = join(root, name);
    t = performance.now();
    const r = JSON.parse(run({ GLMJS_BENCH_ROLE: "load", GLMJS_BENCH_FILE: file, GLMJS_BENCH_MODE: mode }).trim().split("\n").pop());
    const weights = r.params * 4;
    rows.push({
      load: how,
      file: name,
      "file GiB": (statSync(file).size / 2 ** 30).toFixed(2),
      "float32 weights GiB": (weights / 2 ** 30).toFixed(2),
      "peak RSS GiB": (r.peakRss / 2 ** 30).toFixed(2),
      "peak RSS / weights": (r.peakRss / weights).toFixed(2) + "×",
      "(peak − RSS before) / weights": ((r.peakRss - r.rssBefore) / weights).toFixed(2) + "×",
      seconds: r.seconds.toFixed(1),
      "tensor check": r.probeOk ? "ok" : "WRONG",
    });
  }
  console.log(`node ${process.version}; peak RSS = getrusage maxrss of a fresh process per row`);
  console.table(rows);
} finally {
  if (!flag("keep")) rmSync(root, { recursive: true, force: true });
  else console.log(`kept ${root}`);
}
