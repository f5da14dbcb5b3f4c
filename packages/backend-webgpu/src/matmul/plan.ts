import { GlmjsError } from "@glmjs/common";
// Which program a matMul runs with on WebGPU: glmjs's tiled kernel (one of its tile configs,
// optionally split along the inner dimension) or tfjs's own programs. Pure functions of the
// shapes, the device limits and the options, so that tests and benchmarks can ask for the plan
// of a shape without running it.

/** A tile configuration of glmjs's tiled matMul. */
export interface TileConfig {
  /** Name used in plans, shader keys and benchmark tables, e.g. "128x128x16/8x8". */
  readonly name: string;
  /** Output rows and columns per workgroup, and the inner-dimension step held in shared memory. */
  readonly tileM: number;
  readonly tileN: number;
  readonly tileK: number;
  /** Output rows and columns per thread (multiples of 4: one vec4 accumulator holds 4 columns). */
  readonly threadM: number;
  readonly threadN: number;
  /** 2: the next step's tile is stored into a second shared buffer while this one is used (one barrier per step). */
  readonly buffers: 1 | 2;
}

export function tileConfig(tileM: number, tileN: number, tileK: number, threadM: number, threadN: number, buffers: 1 | 2): TileConfig {
  return { name: `${tileM}x${tileN}x${tileK}/${threadM}x${threadN}${buffers === 2 ? "/db" : ""}`, tileM, tileN, tileK, threadM, threadN, buffers };
}

/** Threads per workgroup of a config. */
export const threadsOf = (c: TileConfig) => (c.tileM / c.threadM) * (c.tileN / c.threadN);
/** Bytes of workgroup (shared) memory a config declares. */
export const sharedBytesOf = (c: TileConfig) => c.buffers * c.tileK * (c.tileM + c.tileN) * 4;

/** The tile configs the automatic choice picks from, largest first. */
export const TILE_CONFIGS = {
  /** 256 threads × 8×8 outputs: the large-GPU config (16 KiB single-buffered). */
  large: tileConfig(128, 128, 16, 8, 8, 1),
  /** The same, double-buffered (32 KiB), where the device allows it. */
  largeDouble: tileConfig(128, 128, 16, 8, 8, 2),
  /** 256 threads × 4×4 outputs: for products too small to fill a large GPU with 128² tiles. */
  medium: tileConfig(64, 64, 16, 4, 4, 1),
  /** 64 threads × 8×8 outputs. */
  medium64: tileConfig(64, 64, 16, 8, 8, 1),
} as const;

/** The device limits a plan depends on (GPUSupportedLimits' names). */
export interface MatMulLimits {
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupSizeY: number;
  maxComputeWorkgroupsPerDimension: number;
  maxStorageBufferBindingSize: number;
}

export interface MatMulOptions {
  /** Use glmjs's tiled kernel at all (default true); false runs every matMul with tfjs's programs. */
  enabled: boolean;
  /** Below this many multiply-adds (batch·M·N·K) tfjs's programs run: launch-bound sizes. Default 2^20. */
  minMultiplyAdds: number;
  /** Below this many output rows or columns tfjs's programs run (its vector and small-output programs fit decoding). Default 16. */
  minOuter: number;
  /**
   * Workgroups that keep a large GPU busy. The 128² tile is used when it gives at least this
   * many; below, the 64² tile, and (batch 1, long inner dimension) the inner dimension is split
   * until there are. Default 128 (about one per multiprocessor of a data-centre GPU).
   */
  targetWorkgroups: number;
  /** Split the inner dimension (two passes, no atomics) when the output has too few tiles. Default true. */
  splitK: boolean;
  /** Each split covers at least this much of the inner dimension. Default 256. */
  minSplitK: number;
  /** Always use this tile config (where the device allows it), e.g. for benchmarks and tests. */
  force?: TileConfig;
  /** Force this many inner-dimension splits (1 = none) where the product allows splitting. */
  forceSplits?: number;
}

export const DEFAULT_MATMUL_OPTIONS: Readonly<MatMulOptions> = {
  enabled: true,
  minMultiplyAdds: 1 << 20,
  minOuter: 16,
  targetWorkgroups: 128,
  splitK: true,
  minSplitK: 256,
};

/** A matMul as glmjs's kernel sees it: `[batch, M, K] · [batch, K, N]` with the operands' layouts. */
export interface MatMulShape {
  batch: number;
  /** Batch sizes of the operands (1 = broadcast over the batch). */
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  /** The product's output shape (broadcast batch dims + [M, N]). */
  outShape: number[];
}

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Reads a BatchMatMul's operand shapes as tfjs does; throws tfjs's errors for shapes that do not match. */
export function matMulShape(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): MatMulShape {
  if (aShape.length < 2 || bShape.length < 2)
    throw new GlmjsError("INPUT_INVALID", `matMul needs operands of rank ≥ 2, got [${aShape.join(", ")}] and [${bShape.join(", ")}]`);
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transposeA ? aShape[ra - 1]! : aShape[ra - 2]!;
  const kA = transposeA ? aShape[ra - 2]! : aShape[ra - 1]!;
  const kB = transposeB ? bShape[rb - 1]! : bShape[rb - 2]!;
  const n = transposeB ? bShape[rb - 2]! : bShape[rb - 1]!;
  if (kA !== kB)
    throw new GlmjsError(
      "INPUT_INVALID",
      `matMul: inner dimensions ${kA} and ${kB} of [${aShape.join(", ")}] and [${bShape.join(", ")}] (transposeA ${transposeA}, transposeB ${transposeB}) differ`,
    );
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  const rank = Math.max(outerA.length, outerB.length);
  const outer: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = outerA[outerA.length - rank + i] ?? 1;
    const y = outerB[outerB.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new GlmjsError("INPUT_INVALID", `matMul: batch dimensions [${outerA.join(", ")}] and [${outerB.join(", ")}] do not broadcast`);
    outer.push(Math.max(x, y));
  }
  return { batch: product(outer), batchA: product(outerA), batchB: product(outerB), m, n, k: kA, transposeA, transposeB, outShape: [...outer, m, n] };
}

export type MatMulPlan =
  | { kind: "tfjs"; reason: string }
  | { kind: "tiled"; config: TileConfig; splits: number; splitK: number; workgroups: number; vecA: boolean; vecB: boolean; vecOut: boolean };

/** Whether a config can run on a device with these limits. */
export function configFits(c: TileConfig, limits: MatMulLimits): boolean {
  const threads = threadsOf(c);
  return (
    threads <= limits.maxComputeInvocationsPerWorkgroup &&
    c.tileN / c.threadN <= limits.maxComputeWorkgroupSizeX &&
    c.tileM / c.threadM <= limits.maxComputeWorkgroupSizeY &&
    sharedBytesOf(c) <= limits.maxComputeWorkgroupStorageSize
  );
}

/** Whether a config is well-formed: every thread loads whole vec4s and owns whole vec4 rows/columns. */
export function configValid(c: TileConfig): boolean {
  const threads = threadsOf(c);
  return (
    c.threadM % 4 === 0 &&
    c.threadN % 4 === 0 &&
    c.tileK % 4 === 0 &&
    c.tileM % c.threadM === 0 &&
    c.tileN % c.threadN === 0 &&
    ((c.tileM * c.tileK) / 4) % threads === 0 &&
    ((c.tileN * c.tileK) / 4) % threads === 0
  );
}

const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** The program a float32 matMul of this shape runs with. */
export function planMatMul(s: MatMulShape, limits: MatMulLimits, options: MatMulOptions = DEFAULT_MATMUL_OPTIONS): MatMulPlan {
  if (!options.enabled) return { kind: "tfjs", reason: "glmjs's matMul is turned off" };
  const { batch, m, n, k } = s;
  if (batch * m * n * k === 0) return { kind: "tfjs", reason: "empty product" };
  if (!options.force) {
    if (batch * m * n * k < options.minMultiplyAdds) return { kind: "tfjs", reason: `fewer than ${options.minMultiplyAdds} multiply-adds` };
    if (Math.min(m, n) < options.minOuter) return { kind: "tfjs", reason: `an output side below ${options.minOuter} (tfjs's vector/small-output programs)` };
  }
  const bytes = (x: number) => x * 4;
  if (Math.max(bytes(s.batchA * m * k), bytes(s.batchB * k * n), bytes(batch * m * n)) > limits.maxStorageBufferBindingSize) {
    return { kind: "tfjs", reason: "an operand exceeds maxStorageBufferBindingSize" };
  }
  if (batch > limits.maxComputeWorkgroupsPerDimension) return { kind: "tfjs", reason: "batch exceeds maxComputeWorkgroupsPerDimension" };

  const tiles = (c: TileConfig) => batch * ceilDiv(m, c.tileM) * ceilDiv(n, c.tileN);
  let config: TileConfig | undefined;
  if (options.force) {
    if (!configValid(options.force)) return { kind: "tfjs", reason: `tile config ${options.force.name} is not well-formed` };
    if (!configFits(options.force, limits)) return { kind: "tfjs", reason: `tile config ${options.force.name} exceeds the device's limits` };
    config = options.force;
  } else {
    const large = configFits(TILE_CONFIGS.largeDouble, limits) ? TILE_CONFIGS.largeDouble : TILE_CONFIGS.large;
    if (configFits(large, limits) && tiles(large) >= options.targetWorkgroups) config = large;
    else if (configFits(TILE_CONFIGS.medium, limits)) config = TILE_CONFIGS.medium;
    else if (configFits(TILE_CONFIGS.medium64, limits)) config = TILE_CONFIGS.medium64;
    else return { kind: "tfjs", reason: "no tile config fits the device's limits" };
  }
  if (ceilDiv(n, config.tileN) > limits.maxComputeWorkgroupsPerDimension || ceilDiv(m, config.tileM) > limits.maxComputeWorkgroupsPerDimension) {
    return { kind: "tfjs", reason: "more tiles than maxComputeWorkgroupsPerDimension" };
  }

  // Split the inner dimension when the output has too few tiles to fill the GPU (batch 1 only:
  // the weight gradients of a training step, [out, tokens]·[tokens, in]).
  let splits = 1;
  const canSplit = batch === 1 && options.splitK;
  if (canSplit && options.forceSplits !== undefined) splits = Math.max(1, Math.min(options.forceSplits, ceilDiv(k, config.tileK)));
  else if (canSplit && !options.force && tiles(config) < options.targetWorkgroups) {
    const wanted = ceilDiv(options.targetWorkgroups, tiles(config));
    splits = Math.max(1, Math.min(wanted, Math.floor(k / options.minSplitK)));
  }
  // Each split covers a whole number of K tiles, so that no tile crosses into the next split.
  let splitK = k;
  if (splits > 1) {
    splitK = ceilDiv(ceilDiv(k, splits), config.tileK) * config.tileK;
    splits = ceilDiv(k, splitK);
    if (splits * m * n * 4 > limits.maxStorageBufferBindingSize || splits > limits.maxComputeWorkgroupsPerDimension) {
      splits = 1;
      splitK = k;
    }
  }
  // vec4 loads need the operand's contiguous dimension to be a multiple of 4.
  const vecA = (s.transposeA ? m : k) % 4 === 0;
  const vecB = (s.transposeB ? k : n) % 4 === 0;
  return { kind: "tiled", config, splits, splitK, workgroups: tiles(config) * splits, vecA, vecB, vecOut: n % 4 === 0 };
}
