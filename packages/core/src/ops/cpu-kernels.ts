// The cpu backend's kernels for glmjs's fused decoding ops (registered on first use of an op).
// They compute on tfjs's own arrays with ./kernel-math.ts; the matMul of GlmLinear is the cpu
// backend's own BatchMatMul kernel.
import { GlmjsError } from "@glmjs/common";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { tf } from "../tfjs.js";
import { type CachedAttentionGeometry, activateInPlace, attendCached, layerNormRows, writeKeysValues } from "./kernel-math.js";
import { GLM_KERNELS, type GlmCachedAttentionAttrs, type GlmLayerNormAttrs, type GlmLinearAttrs, type GlmTopKAttrs } from "./kernel-names.js";
import { topKRows } from "./top-k-math.js";

/** What glmjs uses of tfjs's cpu backend (MathBackendCPU). */
interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: string, values?: Float32Array | Int32Array): TensorInfo;
  incRef(dataId: object): void;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

type Args = { inputs: Record<string, TensorInfo | undefined>; backend: unknown; attrs?: NamedAttrMap };

/**
 * A tensor's values as float32. tfjs's cpu backend may keep a float32 tensor's values in another
 * typed array (a bool tensor cast to float32 keeps its bytes): those are converted (read-only use).
 */
function floats(backend: CpuBackend, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Float32Array) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Float32Array.from(v as unknown as ArrayLike<number>);
  throw new GlmjsError("INPUT_INVALID", `glmjs cpu kernel: a ${t.dtype} tensor [${t.shape}] has no numeric values on the cpu backend`);
}

/** The values of a buffer written in place (must be tfjs's own Float32Array). */
function writable(backend: CpuBackend, t: TensorInfo): Float32Array {
  const v = backend.data.get(t.dataId).values;
  if (!(v instanceof Float32Array)) throw new GlmjsError("INTERNAL", `GlmCachedAttention (cpu): the cache buffer [${t.shape}] is not float32 data`);
  return v;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function layerNormCpu({ inputs, backend, attrs }: Args): TensorInfo {
  const b = backend as CpuBackend;
  const x = inputs["x"]!;
  const cols = x.shape[x.shape.length - 1]!;
  const out = new Float32Array(size(x.shape));
  layerNormRows(
    floats(b, x),
    floats(b, inputs["gamma"]!),
    floats(b, inputs["beta"]!),
    out,
    out.length / cols,
    cols,
    (attrs as unknown as GlmLayerNormAttrs).epsilon,
  );
  return b.makeTensorInfo(x.shape, "float32", out);
}

function linearCpu({ inputs, backend, attrs }: Args): TensorInfo {
  const b = backend as CpuBackend;
  const x = inputs["x"]!;
  const kernel = inputs["kernel"]!;
  const matMul = tf.getKernel("BatchMatMul", "cpu")!.kernelFunc as unknown as (a: Args) => TensorInfo;
  const product = matMul({ inputs: { a: x, b: kernel }, backend, attrs: { transposeA: false, transposeB: false } });
  const values = Float32Array.from(floats(b, product));
  b.disposeIntermediateTensorInfo(product);
  const [rows, cols] = [x.shape[0]!, kernel.shape[1]!];
  const bias = inputs["bias"] ? floats(b, inputs["bias"]) : undefined;
  if (bias) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = values[r * cols + c]! + bias[c]!;
  activateInPlace(values, (attrs as unknown as GlmLinearAttrs).activation);
  const residual = inputs["residual"] ? floats(b, inputs["residual"]) : undefined;
  if (residual) for (let i = 0; i < values.length; i++) values[i] = values[i]! + residual[i]!;
  return b.makeTensorInfo([rows, cols], "float32", values);
}

/** The geometry of a GlmCachedAttention call from its inputs and attrs. */
export function cachedAttentionGeometry(qkv: TensorInfo, keys: TensorInfo, attrs: GlmCachedAttentionAttrs): CachedAttentionGeometry {
  const [batch, heads, capacity, headSize] = keys.shape as [number, number, number, number];
  return { batch, heads, capacity, headSize, seq: qkv.shape[0]! / batch, start: attrs.start, length: attrs.length, keyDivisor: attrs.keyDivisor };
}

function cachedAttentionCpu({ inputs, backend, attrs }: Args): TensorInfo[] {
  const b = backend as CpuBackend;
  const { qkv, keys, values, mask } = inputs as Record<string, TensorInfo>;
  const g = cachedAttentionGeometry(qkv!, keys!, attrs as unknown as GlmCachedAttentionAttrs);
  const q = floats(b, qkv!);
  const k = writable(b, keys!);
  const v = writable(b, values!);
  writeKeysValues(q, k, v, g);
  const out = new Float32Array(g.batch * g.seq * g.heads * g.headSize);
  attendCached(q, k, v, mask ? floats(b, mask) : undefined, mask ? mask.shape[2]! : 1, out, g);
  b.incRef(keys!.dataId);
  b.incRef(values!.dataId);
  return [b.makeTensorInfo([g.batch * g.seq, g.heads * g.headSize], "float32", out), { ...keys! }, { ...values! }];
}

function topKCpu({ inputs, backend, attrs }: Args): TensorInfo[] {
  const b = backend as CpuBackend;
  const logits = inputs["logits"]!;
  const [rows, cols] = logits.shape as [number, number];
  const { k } = attrs as unknown as GlmTopKAttrs;
  const indices = new Int32Array(rows * k);
  const values = new Float32Array(rows * k);
  const logSumExp = new Float32Array(rows);
  topKRows(floats(b, logits), rows, cols, k, indices, values, logSumExp);
  return [b.makeTensorInfo([rows, k], "int32", indices), b.makeTensorInfo([rows, k], "float32", values), b.makeTensorInfo([rows], "float32", logSumExp)];
}

const cpuKernels: KernelConfig[] = [
  { kernelName: GLM_KERNELS.layerNorm, backendName: "cpu", kernelFunc: layerNormCpu as unknown as KernelFunc },
  { kernelName: GLM_KERNELS.linear, backendName: "cpu", kernelFunc: linearCpu as unknown as KernelFunc },
  { kernelName: GLM_KERNELS.cachedAttention, backendName: "cpu", kernelFunc: cachedAttentionCpu as unknown as KernelFunc },
  { kernelName: GLM_KERNELS.topK, backendName: "cpu", kernelFunc: topKCpu as unknown as KernelFunc },
];

let registered = false;

/** Registers the cpu kernels once (idempotent; the ops call it before looking a kernel up). */
export function ensureCpuKernels(): void {
  if (registered) return;
  registered = true;
  for (const k of cpuKernels) if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
}
