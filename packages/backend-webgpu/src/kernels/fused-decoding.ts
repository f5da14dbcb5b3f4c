// glmjs's fused decoding kernels (GlmLayerNorm, GlmLinear, GlmCachedAttention; see @glmjs/core's
// GLM_KERNELS) for tfjs-backend-webgpu 4.22, to cut the compute passes of a decode step: a
// LayerNorm is one pass instead of nine, a Linear is tfjs's fused matMul (bias included) plus
// at most one in-place pass for GELU and the residual, and attention writes the step's keys and
// values into the preallocated cache (two small passes) and attends in a third. They favour few
// passes over occupancy (one thread per row / per query): a decode step is bound by passes.
import { GLM_KERNELS, type GlmCachedAttentionAttrs, type GlmLayerNormAttrs, type GlmLinearAttrs, tf } from "@glmjs/core";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { WebGPUBackendLike, WebGPUProgramLike } from "../deterministic/webgpu-internals.js";

const WORKGROUP: [number, number, number] = [64, 1, 1];
const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });
const int = (v: number) => ({ type: "int32", data: [v] });
const float = (v: number) => ({ type: "float32", data: [v] });

/** A flat program: one invocation per `count` item, `main(index)`. */
abstract class FlatProgram implements WebGPUProgramLike {
  readonly workgroupSize = WORKGROUP;
  readonly dispatchLayout = { x: [0] };
  readonly dispatch: [number, number, number];
  readonly size = false;
  abstract readonly variableNames: string[];
  abstract readonly shaderKey: string;
  abstract readonly uniforms: string;
  constructor(
    readonly outputShape: number[],
    count: number,
  ) {
    this.dispatch = [Math.max(1, Math.ceil(count / WORKGROUP[0])), 1, 1];
  }
  abstract getUserCode(): string;
}

class LayerNormProgram extends FlatProgram {
  readonly variableNames = ["x", "gamma", "beta"];
  readonly shaderKey = "glmjsLayerNorm";
  readonly uniforms = "rows : i32, cols : i32, eps : f32,";
  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.rows) {
          let cols = uniforms.cols;
          let base = index * cols;
          var sum = 0.0;
          for (var c = 0; c < cols; c++) { sum = sum + x[base + c]; }
          let mean = sum / f32(cols);
          var squares = 0.0;
          for (var c = 0; c < cols; c++) { let d = x[base + c] - mean; squares = squares + d * d; }
          let rstd = 1.0 / sqrt(squares / f32(cols) + uniforms.eps);
          for (var c = 0; c < cols; c++) { result[base + c] = (x[base + c] - mean) * rstd * gamma[c] + beta[c]; }
        }
      }`;
  }
}

const ACTIVATION_WGSL: Record<GlmLinearAttrs["activation"], string> = {
  none: "",
  gelu_tanh: `v = v / (1.0 + exp(-(v * (v * v * 0.07135481627260025 + 1.5957691216057308))));`,
  // Abramowitz & Stegun 7.1.26, as tfjs's erf.
  gelu_erf: `
          let z = v * 0.7071067811865476;
          let a = abs(z);
          let t = 1.0 / (1.0 + 0.3275911 * a);
          let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
          let erfAbs = 1.0 - poly * exp(-a * a);
          v = v * 0.5 * (1.0 + select(erfAbs, -erfAbs, z < 0.0));`,
};

/** In place over a matMul's output: the activation, then + residual. */
class EpilogueProgram extends FlatProgram {
  readonly variableNames: string[];
  readonly shaderKey: string;
  readonly uniforms = "n : i32,";
  constructor(
    shape: number[],
    private readonly activation: GlmLinearAttrs["activation"],
    private readonly residual: boolean,
  ) {
    super(
      shape,
      shape.reduce((a, b) => a * b, 1),
    );
    this.variableNames = residual ? ["residual"] : [];
    this.shaderKey = `glmjsLinearEpilogue_${activation}_${residual}`;
  }
  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.n) {
          var v = result[index];
          ${ACTIVATION_WGSL[this.activation]}
          ${this.residual ? "v = v + residual[index];" : ""}
          result[index] = v;
        }
      }`;
  }
}

/** Writes one third of qkv (keys or values) into a cache buffer at position `at`. */
class WriteCacheProgram extends FlatProgram {
  readonly variableNames = ["qkv"];
  readonly shaderKey = "glmjsWriteCache";
  readonly uniforms = "total : i32, seq : i32, heads : i32, headSize : i32, capacity : i32, at : i32, part : i32, divisor : f32,";
  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.total) {
          let d = uniforms.headSize;
          let e = index % d;
          let h = (index / d) % uniforms.heads;
          let s = (index / (d * uniforms.heads)) % uniforms.seq;
          let b = index / (d * uniforms.heads * uniforms.seq);
          let hidden = uniforms.heads * d;
          let src = (b * uniforms.seq + s) * 3 * hidden + uniforms.part + h * d + e;
          let dst = ((b * uniforms.heads + h) * uniforms.capacity + uniforms.at + s) * d + e;
          result[dst] = qkv[src] / uniforms.divisor;
        }
      }`;
  }
}

/** One invocation per (row, head, query): scores, softmax and the weighted values over the window. */
class AttendProgram extends FlatProgram {
  readonly variableNames: string[];
  readonly shaderKey: string;
  readonly uniforms = "queries : i32, seq : i32, heads : i32, capacity : i32, start : i32, length : i32, maskRows : i32,";
  constructor(
    shape: number[],
    queries: number,
    private readonly headSize: number,
    private readonly masked: boolean,
  ) {
    super(shape, queries);
    this.variableNames = masked ? ["qkv", "cacheK", "cacheV", "mask"] : ["qkv", "cacheK", "cacheV"];
    this.shaderKey = `glmjsCachedAttention_${headSize}_${masked}`;
  }
  getUserCode(): string {
    const d = this.headSize;
    return `
      fn score(q : i32, k : i32, maskAt : i32) -> f32 {
        var dot = 0.0;
        for (var e = 0; e < ${d}; e++) { dot = dot + qkv[q + e] * cacheK[k + e]; }
        ${this.masked ? "let m = f32(mask[maskAt]); dot = dot * m + (1.0 - m) * -65504.0;" : ""}
        return dot;
      }
      fn main(index : i32) {
        if (index < uniforms.queries) {
          let s = index % uniforms.seq;
          let h = (index / uniforms.seq) % uniforms.heads;
          let b = index / (uniforms.seq * uniforms.heads);
          let hidden = uniforms.heads * ${d};
          let q = (b * uniforms.seq + s) * 3 * hidden + h * ${d};
          let base = ((b * uniforms.heads + h) * uniforms.capacity + uniforms.start) * ${d};
          let total = uniforms.length + uniforms.seq;
          let maskRow = (b * uniforms.maskRows + select(s, 0, uniforms.maskRows == 1)) * total;
          var best = -3.0e38;
          for (var j = 0; j < total; j++) { best = max(best, score(q, base + j * ${d}, maskRow + j)); }
          var acc : array<f32, ${d}>;
          var sum = 0.0;
          for (var j = 0; j < total; j++) {
            let p = exp(score(q, base + j * ${d}, maskRow + j) - best);
            sum = sum + p;
            for (var e = 0; e < ${d}; e++) { acc[e] = acc[e] + p * cacheV[base + j * ${d} + e]; }
          }
          let o = (b * uniforms.seq + s) * hidden + h * ${d};
          for (var e = 0; e < ${d}; e++) { result[o + e] = acc[e] / sum; }
        }
      }`;
  }
}

type Args = { inputs: Record<string, TensorInfo | undefined>; backend: unknown; attrs?: NamedAttrMap };
const gpu = (backend: unknown) => backend as WebGPUBackendLike & { incRef(dataId: object): void };

function layerNorm({ inputs, backend, attrs }: Args): TensorInfo {
  const x = inputs["x"]!;
  const cols = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((a, b) => a * b, 1) / cols;
  const { epsilon } = attrs as unknown as GlmLayerNormAttrs;
  const out = gpu(backend).runWebGPUProgram(new LayerNormProgram([rows, cols], rows), [view(x, [rows, cols]), inputs["gamma"]!, inputs["beta"]!], "float32", [
    int(rows),
    int(cols),
    float(epsilon),
  ]);
  return view(out, x.shape);
}

function linear({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, kernel, bias, residual } = inputs as Record<string, TensorInfo>;
  const { activation } = attrs as unknown as GlmLinearAttrs;
  const [rows, inSize] = x!.shape as [number, number];
  const outSize = kernel!.shape[1]!;
  const fused = tf.getKernel("_FusedMatMul", "webgpu")!.kernelFunc as unknown as (a: Args) => TensorInfo;
  const product = fused({
    inputs: { a: view(x!, [1, rows, inSize]), b: view(kernel!, [1, inSize, outSize]), ...(bias ? { bias } : {}) },
    backend,
    attrs: { transposeA: false, transposeB: false, activation: "linear", leakyreluAlpha: 0 },
  });
  const y = view(product, [rows, outSize]);
  if (activation !== "none" || residual) {
    gpu(backend).runWebGPUProgram(
      new EpilogueProgram([rows, outSize], activation, Boolean(residual)),
      residual ? [residual] : [],
      "float32",
      [int(rows * outSize)],
      y,
    );
  }
  return y;
}

function cachedAttention({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { qkv, keys, values, mask } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as GlmCachedAttentionAttrs;
  const [batch, heads, capacity, headSize] = keys!.shape as [number, number, number, number];
  const seq = qkv!.shape[0]! / batch;
  const hidden = heads * headSize;
  const b = gpu(backend);
  const total = batch * seq * hidden;
  const write = (cache: TensorInfo, part: number, divisor: number) =>
    b.runWebGPUProgram(
      new WriteCacheProgram(cache.shape, total),
      [qkv!],
      "float32",
      [int(total), int(seq), int(heads), int(headSize), int(capacity), int(a.start + a.length), int(part), float(divisor)],
      cache,
    );
  write(keys!, hidden, a.keyDivisor);
  write(values!, 2 * hidden, 1);
  const queries = batch * heads * seq;
  const context = b.runWebGPUProgram(
    new AttendProgram([batch * seq, hidden], queries, headSize, Boolean(mask)),
    mask ? [qkv!, keys!, values!, mask] : [qkv!, keys!, values!],
    "float32",
    [int(queries), int(seq), int(heads), int(capacity), int(a.start), int(a.length), int(mask ? mask.shape[2]! : 1)],
  );
  b.incRef(keys!.dataId);
  b.incRef(values!.dataId);
  return [context, { ...keys! }, { ...values! }];
}

export const fusedDecodingKernels: KernelConfig[] = [
  { kernelName: GLM_KERNELS.layerNorm, backendName: "webgpu", kernelFunc: layerNorm as unknown as KernelFunc },
  { kernelName: GLM_KERNELS.linear, backendName: "webgpu", kernelFunc: linear as unknown as KernelFunc },
  { kernelName: GLM_KERNELS.cachedAttention, backendName: "webgpu", kernelFunc: cachedAttention as unknown as KernelFunc },
];
