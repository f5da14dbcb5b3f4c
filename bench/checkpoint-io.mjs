#!/usr/bin/env node
// Checkpoint I/O speed in @glmjs/core (benchmark, not a test): reading and writing safetensors
// (F32, F16, BF16) and PyTorch pytorch_model.bin bytes in memory, against a plain memory copy of
// the same F32 bytes measured in the same run (the floor for any format that copies its data).
// Prints a table: median time, throughput in file bytes/s, and time relative to the copy.
//
//   pnpm --filter @glmjs/core build && node bench/checkpoint-io.mjs [--mib 64] [--seconds 0.5]
//
// The data is a GLM-Large-like state dict scaled to --mib MiB of float32 (an embedding, then
// layers of QKV / dense / MLP / LayerNorm tensors), so per-tensor overheads count too.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { option } from "./lib/args.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "packages", "core", "dist", "checkpoint");
// Checkpoint modules straight from the build: no tfjs is loaded, so only file-format work is timed.
const { readPytorchBin, readSafetensors, writeSafetensors } = await import(join(dist, "index.js"));
const { writePytorchBin } = await import(join(dist, "pytorch-bin-writer.js"));
const { crc32 } = await import(join(dist, "zip-writer.js"));

const MIB = Number(option("mib", 64));
const SECONDS = Number(option("seconds", 0.5));

// ---- a GLM-like state dict: hidden 512, a quarter of the floats in the embedding, then whole layers ----
function stateDict(totalFloats) {
  const hidden = 512;
  const shapes = [];
  let used = 0;
  const vocab = Math.max(1, Math.floor(totalFloats / 4 / hidden)); // a quarter in the embedding
  shapes.push(["word_embeddings.weight", [vocab, hidden]]);
  used += vocab * hidden;
  const layer = [
    ["attention.query_key_value.weight", [3 * hidden, hidden]],
    ["attention.query_key_value.bias", [3 * hidden]],
    ["attention.dense.weight", [hidden, hidden]],
    ["attention.dense.bias", [hidden]],
    ["mlp.dense_h_to_4h.weight", [4 * hidden, hidden]],
    ["mlp.dense_h_to_4h.bias", [4 * hidden]],
    ["mlp.dense_4h_to_h.weight", [hidden, 4 * hidden]],
    ["mlp.dense_4h_to_h.bias", [hidden]],
    ["input_layernorm.weight", [hidden]],
    ["input_layernorm.bias", [hidden]],
  ];
  for (let i = 0; ; i++) {
    const size = layer.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
    if (used + size > totalFloats) break;
    for (const [name, shape] of layer) shapes.push([`transformer.layers.${i}.${name}`, shape]);
    used += size;
  }
  const all = new Float32Array(used);
  let s = 12345;
  for (let i = 0; i < used; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    all[i] = (s / 2 ** 32 - 0.5) * 0.04;
  }
  let at = 0;
  return shapes.map(([name, shape]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = all.subarray(at, at + n);
    at += n;
    return { name, shape, data };
  });
}

const entries = stateDict((MIB * 1024 * 1024) / 4);
const as = (dtype) => new Map(entries.map(({ name, shape, data }) => [name, { dtype, shape, data }]));
const f32Bytes = entries.reduce((n, e) => n + e.data.byteLength, 0);
const f32Raw = new Uint8Array(f32Bytes);
{
  let at = 0;
  for (const e of entries) {
    f32Raw.set(new Uint8Array(e.data.buffer, e.data.byteOffset, e.data.byteLength), at);
    at += e.data.byteLength;
  }
}

/**
 * Fastest ms of `f` over at least 3 runs and about SECONDS seconds, after one warm-up. The fastest
 * run, not the median: the bench machines are shared, and other work only ever adds time.
 */
function time(f) {
  f();
  const times = [];
  const start = performance.now();
  while (times.length < 3 || (performance.now() - start < SECONDS * 1000 && times.length < 50)) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

const rows = [];
function row(label, bytes, f) {
  rows.push({ label, bytes, ms: time(f) });
}

row("memory copy of the F32 bytes (baseline)", f32Bytes, () => f32Raw.slice());
row("CRC-32 of the F32 bytes (zip checksum)", f32Bytes, () => crc32(f32Raw));
for (const dtype of ["F32", "F16", "BF16"]) {
  const tensors = as(dtype);
  const st = writeSafetensors(tensors);
  const bin = writePytorchBin(tensors);
  // each file must read back to the tensors it was written from
  for (const [name, t] of readPytorchBin(bin, "bench.bin"))
    if (t.data.length !== tensors.get(name).data.length) throw new Error(`bench: ${name} read back wrong`);
  row(`safetensors write ${dtype}`, st.byteLength, () => writeSafetensors(tensors));
  row(`safetensors read ${dtype}${dtype === "F32" ? " (zero-copy views)" : " -> F32"}`, st.byteLength, () => readSafetensors(st, "bench.safetensors"));
  row(`pytorch_model.bin write ${dtype}`, bin.byteLength, () => writePytorchBin(tensors));
  row(`pytorch_model.bin read ${dtype}${dtype === "F32" ? " (zero-copy views)" : " -> F32"}`, bin.byteLength, () => readPytorchBin(bin, "bench.bin"));
}
const fixture = join(here, "..", "..", "shared", "fixtures", "glm-tiny-a", "pytorch_model.bin");
if (existsSync(fixture)) {
  const bin = new Uint8Array(readFileSync(fixture));
  row("glm-tiny-a pytorch_model.bin read (torch.save file)", bin.byteLength, () => readPytorchBin(bin, "bench.bin"));
}

const base = rows[0].ms;
console.log(`checkpoint I/O, ${entries.length} tensors, ${(f32Bytes / 2 ** 20).toFixed(1)} MiB as F32, node ${process.version}, fastest of >= 3 runs`);
console.table(
  rows.map((r) => ({
    operation: r.label,
    "file MB": +(r.bytes / 1e6).toFixed(1),
    ms: +r.ms.toPrecision(3),
    "MB/s": Math.round(r.bytes / 1e6 / (r.ms / 1000)),
    "x copy time": +(r.ms / base).toPrecision(2),
  })),
);
