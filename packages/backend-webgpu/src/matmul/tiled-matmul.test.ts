// glmjs's tiled WebGPU matMul in Node (Dawn; llvmpipe on a GPU-less machine) against tfjs's cpu
// backend: every tile config, with and without a split inner dimension, on shapes with partial
// tiles, transposes, batches, broadcasts and widths that are not multiples of 4; the coverage
// suite's big-matMul cases under the automatic choice; bit-identical repeats; no leaks.
import { tf, useBackend } from "@glmjs/core";
import { runKernelCoverage, tiledMatMulCases } from "@glmjs/core/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TILE_CONFIGS, resetWebGPUMatMul, setWebGPUMatMul, webGPUMatMulPlan, webgpuBackend } from "../index.js";

const probe = await webgpuBackend.probe();
if (!probe.available) console.warn(`SKIPPING WebGPU tiled matMul tests: ${probe.reason}`);

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}

type Case = { a: number[]; b: number[]; tA: boolean; tB: boolean; bias?: boolean };
const SHAPES: Case[] = [
  { a: [130, 70], b: [70, 136], tA: false, tB: false }, // partial tiles, K not a multiple of 4 (scalar A loads)
  { a: [128, 64], b: [64, 128], tA: false, tB: false }, // whole tiles: the unchecked shader
  { a: [70, 130], b: [70, 136], tA: true, tB: false }, // transposeA, M not a multiple of 4
  { a: [130, 72], b: [136, 72], tA: false, tB: true },
  { a: [72, 130], b: [136, 72], tA: true, tB: true },
  { a: [3, 33, 17], b: [3, 17, 35], tA: false, tB: false }, // scalar B loads and output
  { a: [2, 3, 40, 24], b: [2, 3, 40, 36], tA: true, tB: false }, // 4-D batch
  { a: [4, 70, 64], b: [64, 68], tA: false, tB: false }, // B broadcast over the batch
  { a: [40, 600], b: [600, 36], tA: false, tB: false, bias: true }, // long K, fused bias
  { a: [33, 64], b: [64, 35], tA: false, tB: false, bias: true }, // fused bias, scalar output
];

const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
const outCols = (c: Case) => (c.tB ? c.b.at(-2)! : c.b.at(-1)!);

function product(c: Case): tf.Tensor {
  const a = tf.tensor(seeded(size(c.a), 1), c.a);
  const b = tf.tensor(seeded(size(c.b), 2), c.b);
  if (!c.bias) return tf.matMul(a, b, c.tA, c.tB);
  const bias = tf.tensor1d(seeded(outCols(c), 3));
  return tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: c.tA, transposeB: c.tB, bias });
}

async function on(backend: string, c: Case): Promise<{ values: Float32Array; shape: number[] }> {
  await useBackend(backend);
  const t = tf.tidy(() => product(c));
  const values = (await t.data()) as Float32Array;
  const shape = t.shape;
  t.dispose();
  return { values, shape };
}

const expected = new Map<Case, { values: Float32Array; shape: number[] }>();

function worstError(actual: Float32Array, reference: Float32Array): number {
  let worst = 0;
  reference.forEach((r, i) => (worst = Math.max(worst, Math.abs(actual[i]! - r) / Math.max(1, Math.abs(r)))));
  return worst;
}

function pipelineKeys(): string[] {
  return Object.keys((tf.backend() as unknown as { pipelineCache: Record<string, unknown> }).pipelineCache);
}

describe.skipIf(!probe.available)(probe.available ? "glmjs's tiled matMul on WebGPU" : "glmjs's tiled matMul on WebGPU (SKIPPED: no adapter)", () => {
  beforeAll(async () => {
    for (const c of SHAPES) expected.set(c, await on("cpu", c));
    await useBackend("webgpu");
  });
  afterEach(() => resetWebGPUMatMul());
  afterAll(async () => {
    resetWebGPUMatMul();
    await tf.setBackend("cpu");
  });

  const forced = [
    ["128² tile", TILE_CONFIGS.large],
    ["128² tile, double-buffered", TILE_CONFIGS.largeDouble],
    ["64² tile, 4×4 per thread", TILE_CONFIGS.medium],
    ["64² tile, 8×8 per thread", TILE_CONFIGS.medium64],
  ] as const;
  for (const [label, config] of forced) {
    for (const splits of [1, 3]) {
      it(`${label}${splits > 1 ? ", inner dimension split in 3" : ""}: matches cpu on every shape`, async () => {
        await useBackend("webgpu");
        setWebGPUMatMul({ force: config, forceSplits: splits });
        for (const c of SHAPES) {
          const plan = webGPUMatMulPlan(c.a, c.b, c.tA, c.tB);
          expect(plan.kind, JSON.stringify(c)).toBe("tiled");
          const batched = c.a.length > 2 || c.b.length > 2;
          if (plan.kind === "tiled") expect(plan.splits > 1).toBe(splits > 1 && !batched && (c.tA ? c.a[0]! : c.a.at(-1)!) > 16);
          const got = await on("webgpu", c);
          const want = expected.get(c)!;
          expect(got.shape, JSON.stringify(c)).toEqual(want.shape);
          // The coverage suite's tolerance: float32 sums in another order than cpu's (K up to 600 here).
          expect(worstError(got.values, want.values), JSON.stringify(c)).toBeLessThan(1e-4);
        }
        expect(pipelineKeys().some((k) => k.startsWith(`glmjsTiledMatMul_${config.name}_`))).toBe(true);
        if (splits > 1) expect(pipelineKeys().some((k) => k.startsWith("glmjsSplitKReduce"))).toBe(true);
      }, 300_000);
    }
  }

  it("passes the coverage suite's big-matMul cases (forward and gradient) with the automatic choice", async () => {
    await useBackend("webgpu");
    const results = await runKernelCoverage({ backend: "webgpu", cases: tiledMatMulCases });
    expect(results.filter((r) => !r.ok).map((r) => `${r.name} (${r.kind}): ${r.error ?? r.maxAbsError}`)).toEqual([]);
    expect(results.filter((r) => r.kind === "gradient")).toHaveLength(tiledMatMulCases.length - 1);
    // The automatic choice ran the 64² tile and split the long inner dimension.
    expect(pipelineKeys().some((k) => k.startsWith(`glmjsTiledMatMul_${TILE_CONFIGS.medium.name}_`))).toBe(true);
    expect(webGPUMatMulPlan([1030, 40], [1030, 36], true, false)).toMatchObject({ kind: "tiled", splits: 4 });
  }, 300_000);

  it("repeats bit for bit, leaks no tensor and no GPU memory over repeated calls", async () => {
    await useBackend("webgpu");
    const c = SHAPES[8]!; // split inner dimension + bias: two passes and a temporary
    // (Below the automatic choice's size threshold: the config and the split are forced.)
    setWebGPUMatMul({ force: TILE_CONFIGS.medium, forceSplits: 2 });
    expect(webGPUMatMulPlan(c.a, c.b, c.tA, c.tB)).toMatchObject({ kind: "tiled", splits: 2 });
    const first = await on("webgpu", c);
    const tensors = tf.memory().numTensors;
    const bytes = (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU;
    for (let i = 0; i < 3; i++) expect(Array.from((await on("webgpu", c)).values)).toEqual(Array.from(first.values));
    expect(tf.memory().numTensors).toBe(tensors);
    expect((tf.memory() as { numBytesInGPU?: number }).numBytesInGPU).toBe(bytes);
  }, 120_000);

  it("leaves int32 products, fused activations, small products and a turned-off kernel to tfjs", async () => {
    await useBackend("webgpu");
    const before = new Set(pipelineKeys());
    const ints = tf.matMul(tf.ones([64, 64], "int32"), tf.ones([64, 64], "int32"));
    expect((await ints.data())[0]).toBe(64);
    expect(ints.dtype).toBe("int32");
    const relu = tf.fused.matMul({ a: tf.fill([130, 72], -1) as tf.Tensor2D, b: tf.ones([72, 136]) as tf.Tensor2D, activation: "relu" });
    expect(Array.from(await relu.data()).every((v) => v === 0)).toBe(true);
    const small = tf.matMul(tf.ones([20, 20]), tf.ones([20, 20]));
    expect((await small.data())[0]).toBe(20);
    setWebGPUMatMul({ enabled: false });
    expect(webGPUMatMulPlan([2048, 2048], [2048, 2048])).toMatchObject({ kind: "tfjs" });
    const off = tf.matMul(tf.ones([256, 256]), tf.ones([256, 256]));
    expect((await off.data())[0]).toBe(256);
    tf.dispose([ints, relu, small, off]);
    expect(pipelineKeys().filter((k) => !before.has(k) && k.startsWith("glmjs"))).toEqual([]);
  });

  it("refuses bad options", () => {
    expect(() => setWebGPUMatMul({ minMultiplyAdds: -1 })).toThrow(/non-negative integer/);
    expect(() => setWebGPUMatMul({ targetWorkgroups: 1.5 })).toThrow(/targetWorkgroups/);
  });
});
