// Deterministic mode on WebGPU in Node (Dawn; llvmpipe on a GPU-less machine): the replaced
// kernels agree with tfjs's cpu backend, repeat bit for bit, and a GLM gradient repeats too.
// Repeating alone proves little (a software rasteriser may run atomics in a fixed order), so the
// tests also record which WebGPU programs each computation dispatched: the ordered ones while the
// mode is on, tfjs's atomic ones (which the same inputs pick) while it is off.
import { GLMModel, presetConfig, tf, useBackend } from "@glmjs/core";
import { runKernelCoverage } from "@glmjs/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWebGPUDeterministic, resetWebGPUMatMul, setWebGPUDeterministic, setWebGPUMatMul, webgpuBackend } from "../index.js";
import { orderedUnsortedSegmentSum } from "./segment-sum.js";
import type { WebGPUBackendLike } from "./webgpu-internals.js";

const probe = await webgpuBackend.probe();
if (!probe.available) console.warn(`SKIPPING WebGPU deterministic-mode tests: ${probe.reason}`);

function seeded(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
}

async function on(backend: string, f: () => tf.Tensor): Promise<Float32Array> {
  await useBackend(backend);
  // tidy: the inputs f builds go too, only its result stays until read.
  const t = tf.tidy(f);
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}

/** The shader keys of the WebGPU programs `f` dispatches (on the active webgpu backend), in order. */
async function dispatched(f: () => Promise<unknown>): Promise<string[]> {
  const backend = tf.backend() as unknown as WebGPUBackendLike;
  const run = backend.runWebGPUProgram;
  const keys: string[] = [];
  backend.runWebGPUProgram = function (this: WebGPUBackendLike, program, ...rest) {
    keys.push(program.shaderKey);
    return run.call(this, program, ...rest);
  };
  try {
    await f();
  } finally {
    backend.runWebGPUProgram = run;
  }
  return keys;
}

// tfjs-backend-webgpu 4.22's shader keys: its atomic segment sum and split-K matmul; ours.
const TFJS_SEGMENT_SUM = "unsortedSegmentSum";
const isSplitK = (key: string) => key.startsWith("matMulSplitK");
const ORDERED_SEGMENT_SUM = "glmjsColumnSegmentSum_float32";

describe.skipIf(!probe.available)(probe.available ? "WebGPU deterministic mode" : "WebGPU deterministic mode (SKIPPED: no adapter)", () => {
  beforeAll(async () => {
    await useBackend("webgpu");
    setWebGPUDeterministic(true);
  });
  afterAll(async () => {
    setWebGPUDeterministic(false);
    await tf.setBackend("cpu");
  });

  it("registers the ordered kernels while on and tfjs's own while off, for the same inputs", async () => {
    await useBackend("webgpu");
    // tfjs's own matMul programs are what this test inspects (glmjs's tiled kernel is checked below).
    setWebGPUMatMul({ enabled: false });
    const rows = 700;
    const segmentSum = () =>
      dispatched(async () => {
        const t = tf.tidy(() =>
          tf.unsortedSegmentSum(
            tf.tensor2d(seeded(rows * 4, 7), [rows, 4]),
            tf.tensor1d(
              Int32Array.from({ length: rows }, (_, i) => i % 9),
              "int32",
            ),
            9,
          ),
        );
        await t.data();
        t.dispose();
      });
    // [64 × 2400] · [2400 × 32]: few output tiles and K ≥ 2000, where tfjs picks split-K.
    const longK = () =>
      dispatched(async () => {
        const t = tf.tidy(() => tf.matMul(tf.tensor2d(seeded(64 * 2400, 8), [64, 2400]), tf.tensor2d(seeded(2400 * 32, 9), [2400, 32])));
        await t.data();
        t.dispose();
      });
    try {
      setWebGPUDeterministic(false);
      expect(tf.getKernel("UnsortedSegmentSum", "webgpu")!.kernelFunc).not.toBe(orderedUnsortedSegmentSum);
      expect(await segmentSum()).toContain(TFJS_SEGMENT_SUM);
      expect((await longK()).some(isSplitK)).toBe(true);
    } finally {
      setWebGPUDeterministic(true);
    }
    expect(tf.getKernel("UnsortedSegmentSum", "webgpu")!.kernelFunc).toBe(orderedUnsortedSegmentSum);
    const ordered = await segmentSum();
    expect(ordered).toContain(ORDERED_SEGMENT_SUM);
    expect(ordered).not.toContain(TFJS_SEGMENT_SUM);
    const matmul = await longK();
    expect(matmul.filter(isSplitK)).toEqual([]);
    expect(matmul.some((k) => k.startsWith("matMulSmallOutputSize"))).toBe(true);
    resetWebGPUMatMul();
  });

  it("sums segments in a fixed order, equal to cpu, ignoring out-of-range ids", async () => {
    expect(isWebGPUDeterministic()).toBe(true);
    const rows = 700;
    const x = seeded(rows * 2 * 3, 1);
    const ids = Int32Array.from({ length: rows }, (_, i) => ((i * 7919) % 53 === 52 ? -1 : (i * 7919) % 53));
    const op = () => tf.unsortedSegmentSum(tf.tensor3d(x, [rows, 2, 3]), tf.tensor1d(ids, "int32"), 52);
    const cpu = await on("cpu", op);
    await useBackend("webgpu");
    let a = new Float32Array();
    const programs = await dispatched(async () => {
      a = await on("webgpu", op);
    });
    expect(programs).toContain(ORDERED_SEGMENT_SUM);
    expect(programs).not.toContain(TFJS_SEGMENT_SUM);
    const b = await on("webgpu", op);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(a.length).toBe(52 * 6);
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(cpu[i]!, 4);
    // int32 too
    const ints = await on("webgpu", () => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4], "int32"), tf.tensor1d([1, 0, 1, 5], "int32"), 3));
    expect(Array.from(ints)).toEqual([2, 4, 0]);
  });

  it("keeps a long-K matmul off tfjs's atomic split-K program and matches cpu", async () => {
    // [64 × 2400] · [2400 × 32]: 2 tiles of 32×32 and K ≥ 2000, which tfjs runs split-K by default.
    const a = seeded(64 * 2400, 2);
    const b = seeded(2400 * 32, 3);
    const op = () => tf.matMul(tf.tensor2d(a, [64, 2400]), tf.tensor2d(b, [2400, 32]));
    const cpu = await on("cpu", op);
    const pipelines = () => Object.keys((tf.backend() as unknown as { pipelineCache: Record<string, unknown> }).pipelineCache);
    // glmjs's tiled kernel (which, where it splits K, adds the parts in order) or, with it off,
    // tfjs's own small-output program: never tfjs's atomic split-K.
    try {
      for (const tiled of [true, false]) {
        setWebGPUMatMul({ enabled: tiled });
        let first = new Float32Array();
        const programs = await dispatched(async () => {
          first = await on("webgpu", op);
        });
        const second = await on("webgpu", op);
        expect(Array.from(first)).toEqual(Array.from(second));
        for (let i = 0; i < cpu.length; i++) expect(first[i]).toBeCloseTo(cpu[i]!, 2);
        // glmjs's tiled kernel dispatches without passing through the hooked method: the
        // pipeline cache shows the tiled program was built; the hook sees tfjs's own programs.
        if (tiled) expect(pipelines().some((k) => k.startsWith("glmjsTiledMatMul"))).toBe(true);
        else expect(programs.some((k) => k.startsWith("matMulSmallOutputSize"))).toBe(true);
        expect(programs.filter(isSplitK)).toEqual([]);
      }
    } finally {
      resetWebGPUMatMul();
    }
  });

  it("gives bit-identical GLM gradients on repeated runs", async () => {
    await useBackend("webgpu");
    const model = GLMModel.fromConfig(presetConfig("tiny", { vocab_size: 256 }), { seed: 3 });
    const B = 4;
    const S = 40;
    const ids = (seed: number) => Int32Array.from(seeded(B * S, seed), (v) => 5 + Math.floor((v + 1) * 100));
    const batch = {
      batchSize: B,
      seqLength: S,
      inputIds: ids(4),
      targets: ids(5),
      positionIds: Int32Array.from({ length: B * S }, (_, i) => (i % S < 20 ? i % S : 5)),
      blockPositionIds: Int32Array.from({ length: B * S }, (_, i) => (i % S < 20 ? 0 : (i % S) - 19)),
      lossMask: Float32Array.from({ length: B * S }, (_, i) => (i % S < 20 ? 0 : 1)),
      sep: new Int32Array(B).fill(20),
    };
    const variables = [...model.namedVariables()];
    const gradients = async () => {
      const { value, grads } = tf.variableGrads(
        () => model.loss(batch),
        variables.map(([, v]) => v),
      );
      const out = new Map<string, Float32Array>();
      for (const [name, v] of variables) out.set(name, (await grads[v.name]!.data()) as Float32Array);
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    let first = new Map<string, Float32Array>();
    const programs = await dispatched(async () => {
      first = await gradients();
    });
    // The embedding gradients went through the ordered segment sum, and nothing atomic ran.
    expect(programs).toContain(ORDERED_SEGMENT_SUM);
    expect(programs).not.toContain(TFJS_SEGMENT_SUM);
    expect(programs.filter(isSplitK)).toEqual([]);
    const second = await gradients();
    const differing = [...first].filter(([name, g]) => g.some((x, i) => x !== second.get(name)![i])).map(([name]) => name);
    expect(differing).toEqual([]);
    expect(first.get("word_embeddings.weight")!.some((x) => x !== 0)).toBe(true);
    model.dispose();
  }, 120_000);

  it("passes every kernel coverage case against cpu", async () => {
    await useBackend("webgpu");
    const results = await runKernelCoverage({ backend: "webgpu" });
    expect(results.filter((r) => !r.ok).map((r) => `${r.name} (${r.kind}): ${r.error ?? r.maxAbsError}`)).toEqual([]);
  }, 120_000);
});
