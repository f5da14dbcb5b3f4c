// The choice between glmjs's tiled matMul (which tile, how many inner-dimension splits) and
// tfjs's programs: pure functions of shapes, limits and options.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MATMUL_OPTIONS,
  type MatMulLimits,
  TILE_CONFIGS,
  configFits,
  configValid,
  matMulShape,
  planMatMul,
  sharedBytesOf,
  threadsOf,
  tileConfig,
} from "./plan.js";
import { GlmjsError } from "@glmjs/common";

/** The code of the GlmjsError `f` throws ("no error" / the message otherwise, so a failure shows what happened). */
function thrownCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return GlmjsError.is(e) ? e.code : `not a GlmjsError: ${String(e)}`;
  }
  return "no error";
}

/** WebGPU's default limits (what a browser gives without asking for more). */
const DEFAULT_LIMITS: MatMulLimits = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 134217728,
};
const LARGE_GPU: MatMulLimits = {
  ...DEFAULT_LIMITS,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupStorageSize: 32768,
  maxStorageBufferBindingSize: 2 ** 31,
};

const plan = (a: number[], b: number[], tA = false, tB = false, limits = LARGE_GPU, options = DEFAULT_MATMUL_OPTIONS) =>
  planMatMul(matMulShape(a, b, tA, tB), limits, options);

describe("matMulShape", () => {
  it("reads M, N, K and the broadcast batch as tfjs does", () => {
    expect(matMulShape([2, 3, 5, 7], [2, 3, 7, 4], false, false)).toMatchObject({ batch: 6, batchA: 6, batchB: 6, m: 5, n: 4, k: 7, outShape: [2, 3, 5, 4] });
    expect(matMulShape([7, 5], [4, 7], true, true)).toMatchObject({ batch: 1, m: 5, n: 4, k: 7, outShape: [5, 4] });
    expect(matMulShape([4, 70, 64], [64, 68], false, false)).toMatchObject({ batch: 4, batchA: 4, batchB: 1, outShape: [4, 70, 68] });
  });

  it("refuses inner dimensions that differ and batches that do not broadcast", () => {
    expect(() => matMulShape([5, 7], [6, 4], false, false)).toThrow(/inner dimensions 7 and 6/);
    expect(() => matMulShape([2, 5, 7], [3, 7, 4], false, false)).toThrow(/do not broadcast/);
    expect(() => matMulShape([7], [7, 4], false, false)).toThrow(/rank ≥ 2/);
    expect(thrownCode(() => matMulShape([5, 7], [6, 4], false, false))).toBe("INPUT_INVALID");
    expect(thrownCode(() => matMulShape([2, 5, 7], [3, 7, 4], false, false))).toBe("INPUT_INVALID");
    expect(thrownCode(() => matMulShape([7], [7, 4], false, false))).toBe("INPUT_INVALID");
  });
});

describe("tile configs", () => {
  it("are well-formed and sized as documented", () => {
    for (const c of Object.values(TILE_CONFIGS)) expect(configValid(c), c.name).toBe(true);
    expect(threadsOf(TILE_CONFIGS.large)).toBe(256);
    expect(sharedBytesOf(TILE_CONFIGS.large)).toBe(16384);
    expect(sharedBytesOf(TILE_CONFIGS.largeDouble)).toBe(32768);
    expect(threadsOf(TILE_CONFIGS.medium64)).toBe(64);
    expect(configValid(tileConfig(128, 128, 16, 6, 8, 1))).toBe(false); // 6 rows is no whole vec4
    expect(configValid(tileConfig(128, 128, 4, 8, 8, 1))).toBe(false); // 128 vec4s of A per tile for 256 threads
  });

  it("fit a device only within its workgroup-size and shared-memory limits", () => {
    expect(configFits(TILE_CONFIGS.largeDouble, DEFAULT_LIMITS)).toBe(false);
    expect(configFits(TILE_CONFIGS.large, DEFAULT_LIMITS)).toBe(true);
    expect(configFits(TILE_CONFIGS.large, { ...DEFAULT_LIMITS, maxComputeInvocationsPerWorkgroup: 128 })).toBe(false);
  });
});

describe("planMatMul", () => {
  it("gives square products that fill a large GPU the 128² tile, double-buffered where 32 KiB are allowed", () => {
    expect(plan([2048, 2048], [2048, 2048])).toMatchObject({
      kind: "tiled",
      config: TILE_CONFIGS.largeDouble,
      splits: 1,
      workgroups: 256,
      vecA: true,
      vecB: true,
      vecOut: true,
    });
    expect(plan([2048, 2048], [2048, 2048], false, false, DEFAULT_LIMITS)).toMatchObject({ kind: "tiled", config: TILE_CONFIGS.large });
    // GLM base: qkv of 2,048 tokens; attention scores of 4 rows × 12 heads.
    expect(plan([2048, 768], [768, 2304])).toMatchObject({ config: TILE_CONFIGS.largeDouble, workgroups: 16 * 18 });
    expect(plan([4, 12, 512, 64], [4, 12, 512, 64], false, true)).toMatchObject({ config: TILE_CONFIGS.largeDouble, workgroups: 48 * 16 });
  });

  it("uses the 64² tile when 128² tiles would leave a large GPU idle", () => {
    // GLM small: [2048 × 256]·[256 × 768] has 96 tiles of 128², 384 of 64².
    expect(plan([2048, 256], [256, 768])).toMatchObject({ kind: "tiled", config: TILE_CONFIGS.medium, splits: 1, workgroups: 384 });
  });

  it("splits a long inner dimension of a product with few output tiles into whole K tiles", () => {
    // A weight gradient dyᵀ·x of GLM tiny: [384 × 2048]·[2048 × 128] → 12 tiles of 64².
    const p = plan([2048, 384], [2048, 128], true, false);
    expect(p).toMatchObject({ kind: "tiled", config: TILE_CONFIGS.medium, splits: 8, splitK: 256, workgroups: 96 });
    // Never below minSplitK per split, and the splits cover K exactly once.
    const q = plan([1030, 40], [1030, 36], true, false);
    if (q.kind !== "tiled") throw new Error("expected tiled");
    expect(q.splits).toBe(4);
    expect(q.splitK % q.config.tileK).toBe(0);
    expect((q.splits - 1) * q.splitK).toBeLessThan(1030);
    expect(q.splits * q.splitK).toBeGreaterThanOrEqual(1030);
    // Batched products are not split; nor anything with splitK off.
    expect(plan([4, 64, 2048], [4, 2048, 64])).toMatchObject({ splits: 1 });
    expect(plan([2048, 384], [2048, 128], true, false, LARGE_GPU, { ...DEFAULT_MATMUL_OPTIONS, splitK: false })).toMatchObject({ splits: 1 });
  });

  it("marks vec4 loads only where the operand's contiguous dimension is a multiple of 4", () => {
    expect(plan([130, 70], [70, 136])).toMatchObject({ vecA: false, vecB: true, vecOut: true });
    expect(plan([70, 130], [70, 136], true, false)).toMatchObject({ vecA: false });
    expect(plan([96, 64], [250, 64], false, true)).toMatchObject({ vecA: true, vecB: true, vecOut: false });
  });

  it("leaves small, skinny, empty and oversized products to tfjs, with the reason", () => {
    expect(plan([32, 32], [32, 32])).toMatchObject({ kind: "tfjs", reason: expect.stringMatching(/multiply-adds/) });
    expect(plan([8, 4096], [4096, 4096])).toMatchObject({ kind: "tfjs", reason: expect.stringMatching(/output side below 16/) });
    expect(plan([0, 64], [64, 64])).toMatchObject({ kind: "tfjs", reason: "empty product" });
    expect(plan([8192, 8192], [8192, 8192], false, false, DEFAULT_LIMITS)).toMatchObject({
      kind: "tfjs",
      reason: expect.stringMatching(/maxStorageBufferBindingSize/),
    });
    expect(plan([2048, 2048], [2048, 2048], false, false, LARGE_GPU, { ...DEFAULT_MATMUL_OPTIONS, enabled: false })).toMatchObject({ kind: "tfjs" });
  });

  it("honours a forced config and split count, or says why it cannot", () => {
    const forced = { ...DEFAULT_MATMUL_OPTIONS, force: TILE_CONFIGS.medium64, forceSplits: 3 };
    expect(plan([40, 600], [600, 36], false, false, LARGE_GPU, forced)).toMatchObject({ kind: "tiled", config: TILE_CONFIGS.medium64, splits: 3, splitK: 208 });
    expect(plan([8, 8], [8, 8], false, false, LARGE_GPU, forced)).toMatchObject({ kind: "tiled" }); // forcing skips the size thresholds
    expect(plan([256, 256], [256, 256], false, false, DEFAULT_LIMITS, { ...DEFAULT_MATMUL_OPTIONS, force: TILE_CONFIGS.largeDouble })).toMatchObject({
      kind: "tfjs",
      reason: expect.stringMatching(/exceeds the device's limits/),
    });
  });
});
