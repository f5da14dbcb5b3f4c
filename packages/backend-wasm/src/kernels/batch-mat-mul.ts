// BatchMatMul for tfjs's wasm backend that keeps every float32 matmul on XNNPACK's fast path.
//
// tfjs 4.22's C++ BatchMatMul uses XNNPACK only for a single, untransposed [1,M,K]x[1,K,N]
// product; with transposeA/transposeB, or a batch (rank 3+), it falls back to a naive loop
// about 10x slower (bench/matmul.mjs measures both). This kernel turns every case into
// untransposed 2-D products: a transposed operand is materialised once with the wasm Transpose
// kernel (O(size) against the matmul's O(M·K·N)), a batch is walked slice by slice through zero-copy
// views of the operands in the wasm heap, and a batch that shares B is one tall 2-D product.
// Non-float32 products and ones too small to repay XNNPACK's set-up go to tfjs's own kernel.
import { GlmjsError } from "@glmjs/common";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { weightForLayout } from "./weight-layouts.js";
import { asWasmBackend, tensorData, type WasmBackendInternals, type WasmModule } from "./wasm-internals.js";

type MatMulFn = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

type KernelArgs = { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap };
type RawKernel = (args: KernelArgs) => TensorInfo | TensorInfo[];

const cwrapped = new WeakMap<WasmModule, MatMulFn>();
function wasmMatMul(module: WasmModule): MatMulFn {
  let fn = cwrapped.get(module);
  if (!fn) {
    fn = module.cwrap("BatchMatMul", null, ["number", "array", "number", "number", "array", "number", "number", "number", "number"]) as unknown as MatMulFn;
    cwrapped.set(module, fn);
  }
  return fn;
}

let tfjsBatchMatMul: RawKernel | undefined;
let tfjsTranspose: RawKernel | undefined;

/** Hands this kernel tfjs's own BatchMatMul (fallback) and Transpose kernels. */
export function setBatchMatMulDelegates(batchMatMul: RawKernel, transpose: RawKernel): void {
  tfjsBatchMatMul = batchMatMul;
  tfjsTranspose = transpose;
}

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/** numpy-style broadcast of two batch shapes; throws the tfjs error text on mismatch. */
function broadcastBatch(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`Operands could not be broadcast together with shapes ${a.join(",")} and ${b.join(",")}.`);
    }
    out.push(Math.max(da, db));
  }
  return out;
}

/**
 * Below this many multiply-adds per XNNPACK call, creating the XNNPACK operator (about 5 µs)
 * costs more than tfjs's naive loop saves (measured crossover: 16×16×16 slices).
 */
export const MIN_XNNPACK_MACS = 8192;

/** Which path a matmul takes: exported for the tests and the benchmark. */
export function batchMatMulPlan(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean) {
  const batchA = product(aShape.slice(0, -2));
  const batchB = product(bShape.slice(0, -2));
  const outBatch = broadcastBatch(aShape.slice(0, -2), bShape.slice(0, -2));
  const m = transposeA ? aShape[aShape.length - 1]! : aShape[aShape.length - 2]!;
  const k = transposeA ? aShape[aShape.length - 2]! : aShape[aShape.length - 1]!;
  const n = transposeB ? bShape[bShape.length - 2]! : bShape[bShape.length - 1]!;
  // With a shared B, A's batches are the output's, contiguous: one tall product.
  let path: "tfjs" | "xnnpack-2d" | "xnnpack-tall" | "xnnpack-slices" =
    batchA === 1 && batchB === 1 ? "xnnpack-2d" : batchB === 1 ? "xnnpack-tall" : "xnnpack-slices";
  const macsPerCall = (path === "xnnpack-tall" ? batchA : 1) * m * k * n;
  if (macsPerCall < MIN_XNNPACK_MACS) path = "tfjs";
  return { batchA, batchB, outBatch, path };
}

/** For each output batch index, the batch index of A and of B (numpy broadcasting). */
function broadcastIndices(outBatch: number[], aBatch: number[], bBatch: number[]): { a: Int32Array; b: Int32Array } {
  const count = product(outBatch);
  const rank = outBatch.length;
  const pad = (dims: number[]) => [...Array.from({ length: rank - dims.length }, () => 1), ...dims];
  const [aDims, bDims] = [pad(aBatch), pad(bBatch)];
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let rest = i;
    let ai = 0;
    let bi = 0;
    let aStride = 1;
    let bStride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const index = rest % outBatch[d]!;
      rest = Math.floor(rest / outBatch[d]!);
      if (aDims[d] !== 1) ai += index * aStride;
      if (bDims[d] !== 1) bi += index * bStride;
      aStride *= aDims[d]!;
      bStride *= bDims[d]!;
    }
    a[i] = ai;
    b[i] = bi;
  }
  return { a, b };
}

export function batchMatMul(args: KernelArgs): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const a = args.inputs["a"]!;
  const b = args.inputs["b"]!;
  const transposeA = Boolean(args.attrs?.["transposeA"]);
  const transposeB = Boolean(args.attrs?.["transposeB"]);
  if (!tfjsBatchMatMul || !tfjsTranspose) throw new GlmjsError("KERNEL_MISSING", "glmjs wasm BatchMatMul used before registerWasmKernels()");
  const fallback = () => tfjsBatchMatMul!(args) as TensorInfo;
  if (a.dtype !== "float32" || b.dtype !== "float32") return fallback();

  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const aRows = a.shape[aRank - 2]!;
  const aCols = a.shape[aRank - 1]!;
  const bRows = b.shape[bRank - 2]!;
  const bCols = b.shape[bRank - 1]!;
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const kB = transposeB ? bCols : bRows;
  const n = transposeB ? bRows : bCols;
  if (k !== kB) {
    throw new Error(
      `Error in matMul: inner shapes (${k}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} ` +
        `and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const { batchA, batchB, outBatch, path } = batchMatMulPlan(a.shape, b.shape, transposeA, transposeB);
  if (path === "tfjs") {
    // tfjs's own kernel caches an XNNPACK operator per untransposed 2-D weight too (weight-layouts.ts).
    if (transposeB || batchB !== 1) return fallback();
    const copies: TensorInfo[] = [];
    try {
      const weight = weightForLayout(backend, b, k, n, copies);
      return weight === b ? fallback() : (tfjsBatchMatMul({ ...args, inputs: { ...args.inputs, b: weight } }) as TensorInfo);
    } finally {
      for (const t of copies) backend.disposeData(t.dataId);
    }
  }

  const temporaries: TensorInfo[] = [];
  try {
    // Untransposed operands, as [batch, rows, cols] in the wasm heap.
    const aPlain = transposeA ? transposeLastTwo(backend, a, batchA, aRows, aCols, temporaries) : a;
    // A transposed B is a fresh temporary; an untransposed one is the weight XNNPACK caches an operator for.
    const bPlain = transposeB
      ? transposeLastTwo(backend, b, batchB, bRows, bCols, temporaries)
      : path === "xnnpack-slices"
        ? b
        : weightForLayout(backend, b, k, n, temporaries);
    const batch = product(outBatch);
    const out = backend.makeOutput([batch * m, n], "float32");
    const matmul = wasmMatMul(backend.wasm);
    try {
      if (path !== "xnnpack-slices") {
        // One 2-D product; a batch that shares B is a tall [batchA·M, K] x [K, N] product.
        // The operands' own ids are used, so XNNPACK's per-weights operator cache still applies.
        matmul(
          tensorData(backend, aPlain).id,
          shapeBytes([1, batchA * m, k]),
          3,
          tensorData(backend, bPlain).id,
          shapeBytes([1, k, n]),
          3,
          false,
          false,
          tensorData(backend, out).id,
        );
      } else {
        const indices = broadcastIndices(outBatch, a.shape.slice(0, -2), b.shape.slice(0, -2));
        multiplySlices(backend, matmul, aPlain, bPlain, out, indices, { m, k, n });
      }
    } catch (e) {
      backend.disposeData(out.dataId);
      throw e;
    }
    return { dataId: out.dataId, shape: [...outBatch, m, n], dtype: "float32" };
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
}

function transposeLastTwo(backend: WasmBackendInternals, x: TensorInfo, batch: number, rows: number, cols: number, temporaries: TensorInfo[]): TensorInfo {
  const t = tfjsTranspose!({
    inputs: { x: { dataId: x.dataId, shape: [batch, rows, cols], dtype: x.dtype } },
    backend,
    attrs: { perm: [0, 2, 1] },
  }) as TensorInfo;
  temporaries.push(t);
  return t;
}

/**
 * Batch slice by slice. Each slice is a view (a fresh C++ tensor id pointing into the operand's
 * memory): nothing is copied, and disposing the id drops only the registration (and any XNNPACK
 * operator cached for it), never the memory.
 */
function multiplySlices(
  backend: WasmBackendInternals,
  matmul: MatMulFn,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
  indices: { a: Int32Array; b: Int32Array },
  dims: { m: number; k: number; n: number },
): void {
  const { m, k, n } = dims;
  const { tfjs } = backend.wasm;
  const aOffset = tensorData(backend, a).memoryOffset;
  const bOffset = tensorData(backend, b).memoryOffset;
  const outOffset = tensorData(backend, out).memoryOffset;
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  for (let i = 0; i < indices.a.length; i++) {
    const aId = backend.dataIdNextNumber++;
    const bId = backend.dataIdNextNumber++;
    const outId = backend.dataIdNextNumber++;
    tfjs.registerTensor(aId, m * k, aOffset + 4 * indices.a[i]! * m * k);
    tfjs.registerTensor(bId, k * n, bOffset + 4 * indices.b[i]! * k * n);
    tfjs.registerTensor(outId, m * n, outOffset + 4 * i * m * n);
    try {
      matmul(aId, aShape, 3, bId, bShape, 3, false, false, outId);
    } finally {
      tfjs.disposeData(aId);
      tfjs.disposeData(bId);
      tfjs.disposeData(outId);
    }
  }
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: "BatchMatMul",
  backendName: "wasm",
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
