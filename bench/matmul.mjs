// matMul speed per backend, and the transposed/batched matMuls of GLM's training step on wasm
// with tfjs's own BatchMatMul kernel versus @glmjs/backend-wasm's (not a test: prints tables).
//
//   pnpm --filter @glmjs/core build && pnpm --filter @glmjs/backend-wasm build
//   node bench/matmul.mjs [--threads 2] [--quick]
//
// Every configuration runs in its own child process (a tfjs backend starts once per process),
// one after another; ratios are against wasm (1 thread) measured in the same run.
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const SIZES = [256, 512, 1024];
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const quick = args.includes("--quick");
const threads = Number(option("--threads", "2"));

/**
 * Fastest of `reps` runs of f (each awaited to completion) after one warm-up. The best run, not
 * the median: on a shared, busy machine the median measures the neighbours.
 */
async function time(tf, f, reps) {
  const once = async () => {
    const t = f();
    await t.data();
    t.dispose();
  };
  await once();
  const times = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await once();
    times.push((performance.now() - t0) / 1000);
  }
  return Math.min(...times);
}

// ---- child: one configuration ----
async function child(config) {
  const core = await import("@glmjs/core");
  const { tf } = core;
  const result = { config };
  if (config === "tfjs-node") {
    try {
      await import("@glmjs/backend-node");
    } catch (e) {
      return { config, unavailable: `@glmjs/backend-node failed to load: ${e.message}` };
    }
    const status = (await core.probeBackends()).find((s) => s.name === "tfjs-node");
    if (!status?.probe.available) return { config, unavailable: status ? status.probe.reason : "not registered" };
  }
  if (config.startsWith("wasm")) {
    const wasm = await import("@glmjs/backend-wasm");
    if (config === "wasm-threads") wasm.configureWasm({ threads });
  }
  await core.useBackend(config.startsWith("wasm") ? "wasm" : config);
  const probe = (await core.probeBackends()).find((s) => s.name === core.activeBackend());
  result.detail = probe?.probe.available ? probe.probe.detail : undefined;
  result.square = {};
  for (const n of SIZES) {
    const reps = config === "cpu" ? (n >= 1024 ? 1 : 2) : quick ? 3 : 7;
    const a = tf.randomUniform([n, n], -1, 1, "float32", 1);
    const b = tf.randomUniform([n, n], -1, 1, "float32", 2);
    result.square[n] = (2 * n ** 3) / (await time(tf, () => tf.matMul(a, b), reps)) / 1e9;
    tf.dispose([a, b]);
  }
  if (config === "wasm" || config === "wasm-threads") result.variants = await variants(tf, await import("@glmjs/backend-wasm"));
  return result;
}

/** GLM-shaped and square transposed/batched matMuls, tfjs's kernel then glmjs's, same inputs. */
async function variants(tf, wasm) {
  const shapes = [
    // name, a shape, b shape, transposeA, transposeB
    ["square 512, transposeA", [512, 512], [512, 512], true, false],
    ["square 512, transposeB", [512, 512], [512, 512], false, true],
    ["square 1024, transposeB", [1024, 1024], [1024, 1024], false, true],
    ["batched 8x[256x256]x[256x256]", [8, 256, 256], [8, 256, 256], false, false],
    ["tied logits h·Wᵀ [2048x128]·[4096x128]ᵀ", [2048, 128], [4096, 128], false, true],
    ["kernel grad xᵀ·dy [2048x128]ᵀ·[2048x384]", [2048, 128], [2048, 384], true, false],
    ["input grad dy·Wᵀ [2048x384]·[128x384]ᵀ", [2048, 384], [128, 384], false, true],
    ["attention q·kᵀ 64x[128x32]·[128x32]ᵀ", [64, 128, 32], [64, 128, 32], false, true],
    ["attention probs·v 64x[128x128]·[128x32]", [64, 128, 128], [64, 128, 32], false, false],
    ["attention grad 64x[128x128]ᵀ·[128x32]", [64, 128, 128], [64, 128, 32], true, false],
    ["[16x128x128]·[128x384] (3-D x 2-D)", [16, 128, 128], [128, 384], false, false],
  ];
  const rows = [];
  for (const [name, aShape, bShape, tA, tB] of shapes) {
    const a = tf.randomUniform(aShape, -1, 1, "float32", 1);
    const b = tf.randomUniform(bShape, -1, 1, "float32", 2);
    const m = tA ? aShape.at(-1) : aShape.at(-2);
    const k = tA ? aShape.at(-2) : aShape.at(-1);
    const n = tB ? bShape.at(-2) : bShape.at(-1);
    const batch = Math.max(
      aShape.slice(0, -2).reduce((x, y) => x * y, 1),
      bShape.slice(0, -2).reduce((x, y) => x * y, 1),
    );
    const flops = 2 * batch * m * k * n;
    const reps = quick ? 2 : 5;
    wasm.restoreTfjsWasmKernels();
    const before = flops / (await time(tf, () => tf.matMul(a, b, tA, tB), reps)) / 1e9;
    wasm.registerWasmKernels();
    const after = flops / (await time(tf, () => tf.matMul(a, b, tA, tB), reps)) / 1e9;
    rows.push({ name, path: wasm.batchMatMulPlan(aShape, bShape, tA, tB).path, before, after });
    tf.dispose([a, b]);
  }
  return rows;
}

// ---- parent: run every configuration, print the tables ----
async function main() {
  const self = fileURLToPath(import.meta.url);
  const configs = ["cpu", "wasm", "wasm-threads", "tfjs-node"];
  const results = {};
  for (const config of configs) {
    process.stderr.write(`measuring ${config}...\n`);
    try {
      const out = execFileSync(process.execPath, [self, "--child", config, ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 20 * 60_000,
      });
      results[config] = JSON.parse(out.trim().split("\n").at(-1));
    } catch (e) {
      results[config] = { config, unavailable: `failed: ${String(e.message).split("\n")[0]}` };
    }
  }
  const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const label = { cpu: "cpu (plain JS)", wasm: "wasm, 1 thread", "wasm-threads": `wasm, ${threads} threads`, "tfjs-node": "tfjs-node" };
  const base = results.wasm?.square?.[1024];
  console.log(
    `matMul GFLOP/s (float32, square n×n·n×n, best of several runs), Node ${process.version}, ${cpus()[0]?.model ?? "?"} ×${availableParallelism()}, load ${loadavg()[0].toFixed(1)}\n`,
  );
  console.log(`| backend | ${SIZES.map((n) => `${n}²`).join(" | ")} | × wasm 1 thread @1024 |`);
  console.log(`|---|${SIZES.map(() => "---:").join("|")}|---:|`);
  for (const c of configs) {
    const r = results[c];
    if (!r.square) {
      console.log(`| ${label[c]} | ${SIZES.map(() => "—").join(" | ")} | unavailable: ${r.unavailable} |`);
      continue;
    }
    console.log(`| ${label[c]} | ${SIZES.map((n) => f(r.square[n])).join(" | ")} | ${base ? (r.square[1024] / base).toFixed(2) : "—"} |`);
  }
  for (const c of ["wasm", "wasm-threads"]) {
    const rows = results[c]?.variants;
    if (!rows) continue;
    console.log(`\nTransposed / batched matMuls on ${label[c]}: tfjs 4.22's BatchMatMul kernel vs @glmjs/backend-wasm's (GFLOP/s)\n`);
    console.log("| matMul | glmjs path | tfjs kernel | glmjs kernel | speed-up |");
    console.log("|---|---|---:|---:|---:|");
    for (const r of rows) console.log(`| ${r.name} | ${r.path} | ${f(r.before)} | ${f(r.after)} | ${(r.after / r.before).toFixed(1)}× |`);
  }
}

const childIndex = args.indexOf("--child");
if (childIndex >= 0) {
  // tfjs prints a banner suggesting tfjs-node; keep stdout for the JSON result only.
  console.log = (...xs) => process.stderr.write(xs.join(" ") + "\n");
  const result = await child(args[childIndex + 1]);
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
} else {
  await main();
}
