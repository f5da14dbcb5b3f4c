#!/usr/bin/env node
// Token selection after a decode step (benchmark aid, not a test): what picking the next token
// costs per step over vocabulary-sized rows, glmjs's GlmTopK kernel (`topKLogits`: k best ids,
// their logits and the row's log Σ exp in one pass) against the ways it was done before, in the
// same process: tf.topk over a log-softmax (the decoder's former `select: { topK }`) and reading
// the whole row back to pick in JavaScript (the tasks package's former sampling / beam path: here
// its minimum, log Σ exp in float64 and the k best by one scan with a sorted list of k).
//   node bench/token-selection.mjs [--backend wasm] [--threads N] [--rows 1,8] [--k 1,8,40] [--vocab 30592]
// Prints process CPU ms per call (minimum over rounds: the machine may be shared) and the ratio
// baseline / GlmTopK (higher is better).
import { option } from "./lib/args.mjs";

const { tf, topKLogits, useBackend } = await import("@glmjs/core");
const threads = option("threads");
try {
  const { configureWasm } = await import("@glmjs/backend-wasm");
  if (threads) configureWasm({ threads: Number(threads) });
} catch {}
await useBackend(option("backend", "wasm"));
const vocab = Number(option("vocab", "30592"));

/** Process CPU ms per call of f, the minimum over rounds of 5 calls. */
function cpuMs(f, rounds = 20) {
  let best = Infinity;
  f();
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 5; i++) f();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 5000);
  }
  return best;
}

/** log Σ exp (float64) and the k largest entries' indices by one scan (the JavaScript path's minimum). */
function jsTopK(row, k) {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  const ids = [];
  for (let i = 0; i < row.length; i++) {
    if (ids.length === k && row[i] <= row[ids[k - 1]]) continue;
    if (ids.length === k) ids.pop();
    let j = ids.length;
    while (j > 0 && row[ids[j - 1]] < row[i]) j--;
    ids.splice(j, 0, i);
  }
  return { ids, logSumExp: max + Math.log(sum) };
}

console.log(`backend ${tf.getBackend()}, vocabulary ${vocab}`);
console.log("| rows | k | GlmTopK ms | tf.topk(logSoftmax) ms | ratio | whole rows read back + JS ms | ratio |");
console.log("|---|---|---|---|---|---|---|");
for (const rows of option("rows", "1,8").split(",").map(Number)) {
  const x = tf.randomNormal([rows, vocab], 0, 3);
  for (const k of option("k", "1,8,40").split(",").map(Number)) {
    const glm = cpuMs(() => {
      const r = topKLogits(x, k);
      r.indices.dataSync();
      r.values.dataSync();
      r.logSumExp.dataSync();
      tf.dispose([r.indices, r.values, r.logSumExp]);
    });
    const tfTopk = cpuMs(() => {
      const r = tf.tidy(() => tf.topk(tf.logSoftmax(x, -1), k));
      r.indices.dataSync();
      r.values.dataSync();
      tf.dispose([r.indices, r.values]);
    });
    const onCpu = cpuMs(() => {
      const all = x.dataSync();
      for (let r = 0; r < rows; r++) jsTopK(all.subarray(r * vocab, (r + 1) * vocab), k);
    });
    console.log(
      `| ${rows} | ${k} | ${glm.toFixed(3)} | ${tfTopk.toFixed(3)} | ${(tfTopk / glm).toFixed(2)}× | ${onCpu.toFixed(3)} | ${(onCpu / glm).toFixed(2)}× |`,
    );
  }
  x.dispose();
}
