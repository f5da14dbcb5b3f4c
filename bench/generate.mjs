#!/usr/bin/env node
// Speed of generation in @glmjs/tasks (benchmark, not a test): generated tokens/s with the
// key/value cache at batch 1 and 8, the cache's speed-up over recomputing the whole sequence
// for every new token, and beam search (4 beams), on the best backend here, against the
// plain-PyTorch greedy decode of the same shapes measured in the same run
// (../shared/bench/glm_torch.py --mode decode: batch 1, 64-token prompt, KV cache).
//
//   node bench/generate.mjs [--configs tiny,small] [--backend auto|wasm|cpu] [--threads 1|2]
//                           [--gen 64] [--recompute-gen 256] [--torch-threads 2] [--no-torch]
//
// Needs `pnpm turbo run build --filter=@glmjs/tasks...` (and @glmjs/backend-wasm for wasm).
import os from "node:os";
import { flag, option } from "./lib/args.mjs";
import { lcg } from "./lib/synthetic-batch.mjs";
import { PYTHON, TORCH_SCRIPT, runTorchBaseline, torchAvailable } from "./lib/torch-baseline.mjs";

const PROMPT = 64;
const configs = option("configs", "tiny,small").split(",");
const gen = Number(option("gen", "64"));
const recomputeGen = Number(option("recompute-gen", "256"));
const wantBackend = option("backend", "auto");
const runTorch = !flag("no-torch");
const torchThreads = option("torch-threads", "2");
const wasmThreads = Number(option("threads", "1"));

const { tf, GLMModel, presetConfig, autoBackend, useBackend } = await import("@glmjs/core");
const { infillIds, infillBatchIds } = await import("@glmjs/tasks");

let backendNote = "";
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
if (runTorch && !torchOk) console.log(`PyTorch baseline unavailable (${PYTHON} with torch, ${TORCH_SCRIPT}): glmjs figures only`);

// The special ids of the BERT vocabulary (GLM-Large's): only their roles matter here.
const SPECIAL = { pad: 0, eos: 0, cls: 101, mask: 103, sop: 30522, eop: 30523, gMask: 30524, sMask: 30525 };

/** Prompts as glm_torch.py's decode builds them: 63 random tokens + [gMASK] (mask position 63). */
function prompts(vocab, count) {
  const rand = lcg(11);
  return Array.from({ length: count }, () => [...Array.from({ length: PROMPT - 1 }, () => 1000 + rand(vocab - 1200)), SPECIAL.gMask]);
}

async function timeIt(warmup, steps, fn) {
  const times = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    await fn();
    if (i >= warmup) times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Greedy with the cache; stop ids off so every row generates exactly `n` tokens. Also times the decode loop alone (first to last token). */
async function cached(model, contexts, n) {
  let first = 0;
  let last = 0;
  const opts = {
    specialIds: SPECIAL,
    maxNewTokens: n,
    stopIds: [],
    onToken: (e) => {
      if (e.type !== "token") return;
      const t = performance.now();
      if (e.index === 0 && e.row === 0) first = t;
      last = t;
    },
  };
  const seconds = await timeIt(1, 2, () => infillBatchIds(model, contexts, opts));
  return { tokS: (contexts.length * n) / seconds, loopTokS: (contexts.length * (n - 1)) / ((last - first) / 1000) };
}

/** The same greedy tokens by recomputing context + [sop] + generated at every step (no cache; logits of the last position only). */
async function recompute(model, context, n) {
  const word = model.namedVariables().get("word_embeddings.weight");
  const L = context.length;
  const out = [];
  for (let k = 0; k < n; k++) {
    const ids = [...context, SPECIAL.sop, ...out];
    const next = tf.tidy(() => {
      const { hidden } = model.forward(
        {
          inputIds: [ids],
          positionIds: [[...context.map((_, i) => i), ...[SPECIAL.sop, ...out].map(() => L - 1)]],
          blockPositionIds: [[...context.map(() => 0), ...[SPECIAL.sop, ...out].map((_, j) => j + 1)]],
          sep: [L],
        },
        { logits: false, returnHidden: true },
      );
      const lastRow = tf.slice(tf.reshape(hidden, [ids.length, -1]), [ids.length - 1, 0], [1, -1]);
      return tf.argMax(tf.matMul(lastRow, word, false, true), 1);
    });
    out.push((await next.data())[0]);
    next.dispose();
  }
  return out;
}

const rows = [];
const fmt = (x, d = 1) => (x === undefined ? "—" : x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d }));
for (const name of configs) {
  const config = presetConfig(name);
  const model = GLMModel.fromConfig(config, { seed: 0 });
  const ctx = prompts(config.vocab_size, 8);
  const before = tf.memory().numTensors;
  const b1 = await cached(model, ctx.slice(0, 1), gen);
  const b8 = await cached(model, ctx, gen);
  // Beam search, 4 beams: tokens of the best hypothesis per second (every beam computes a row per step).
  const beamSeconds = await timeIt(1, 2, () =>
    infillIds(model, ctx[0], { specialIds: SPECIAL, maxNewTokens: gen, stopIds: [], strategy: "beam", numBeams: 4 }),
  );
  // The cache against recomputation, same tokens.
  let withCache;
  const cacheSeconds = await timeIt(1, 2, async () => {
    withCache = await infillIds(model, ctx[0], { specialIds: SPECIAL, maxNewTokens: recomputeGen, stopIds: [] });
  });
  // One run: recomputation is slow, and the comparison is an order of magnitude, not a few percent.
  let recomputed;
  const recomputeSeconds = await timeIt(0, 1, async () => {
    recomputed = await recompute(model, ctx[0], recomputeGen);
  });
  const same = JSON.stringify(recomputed) === JSON.stringify(withCache.spans[0].ids);
  if (tf.memory().numTensors !== before) console.log(`warning: ${tf.memory().numTensors - before} tensors leaked`);
  model.dispose();
  const torch = torchOk
    ? runTorchBaseline(
        ["--config", name, "--mode", "decode", "--threads", torchThreads, "--warmup", "1", "--steps", "2", "--prompt", String(PROMPT), "--gen", String(gen)],
        `${name} decode`,
      )
    : undefined;
  const r = {
    name,
    b1: b1.tokS,
    b1loop: b1.loopTokS,
    b8: b8.tokS,
    torchEnd: torch?.end_to_end_tokens_per_s,
    torchLoop: torch?.decode_tokens_per_s,
    beam: gen / beamSeconds,
    speedup: recomputeSeconds / cacheSeconds,
    cacheTokS: recomputeGen / cacheSeconds,
    recomputeTokS: recomputeGen / recomputeSeconds,
    same,
  };
  rows.push(r);
  console.log(
    `${name}: batch 1 ${fmt(r.b1)} tok/s (decode loop ${fmt(r.b1loop)}), batch 8 ${fmt(r.b8)} tok/s, torch ${fmt(r.torchEnd)} (loop ${fmt(r.torchLoop)}); ` +
      `beam×4 ${fmt(r.beam)} tok/s; ${recomputeGen} tokens: cache ${fmt(r.cacheTokS)} vs recompute ${fmt(r.recomputeTokS)} tok/s (${r.speedup.toFixed(1)}×, same tokens: ${same})`,
  );
}

const ratio = (a, b) => (a === undefined || b === undefined ? "—" : `${(a / b).toFixed(3)}×`);
console.log("");
console.log(`Generated tokens/s (prompt ${PROMPT}, ${gen} new tokens per row, greedy, key/value cache; "loop" = first to last token, without prefill):`);
console.log("");
console.log(
  "| config | glmjs batch 1 | glmjs batch 1 loop | PyTorch batch 1 | PyTorch batch 1 loop | batch 1 ratio (loop) | glmjs batch 8 | batch 8 / PyTorch batch 1 | glmjs beam search, 4 beams | cache speed-up at " +
    recomputeGen +
    " new tokens |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${fmt(r.b1)} | ${fmt(r.b1loop)} | ${fmt(r.torchEnd)} | ${fmt(r.torchLoop)} | ${ratio(r.b1, r.torchEnd)} (${ratio(r.b1loop, r.torchLoop)}) | ${fmt(r.b8)} | ${ratio(r.b8, r.torchEnd)} | ${fmt(r.beam)} | ${r.speedup.toFixed(1)}× (${fmt(r.cacheTokS)} vs ${fmt(r.recomputeTokS)} tok/s${r.same ? "" : ", TOKENS DIFFER"}) |`,
  );
}
console.log(
  `\n${backendNote}; PyTorch ${torchOk ? `1.13 (Debian), ${torchThreads} thread(s), glm_torch.py --mode decode (batch 1 only: it has no batched decode)` : "unavailable"}; ` +
    `ratios are glmjs / PyTorch tokens per second (higher is better); beam search counts the best hypothesis's tokens; ` +
    `1-minute load average at the end ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores.`,
);
