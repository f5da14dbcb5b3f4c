// GlmTopK (a glmjs decoding kernel) on wasm: each row's k largest logits, best first, their
// indices, and the row's log Σ exp, read straight from tfjs's heap. k = 1 (greedy decoding) uses
// the SIMD ArgMax; a larger k (beam search, top-k sampling) keeps the k best in JavaScript while
// the SIMD module scans for the next value above the k-th (a few dozen insertions per row of
// 30k). The log Σ exp sums SIMD exps in float64. Without the SIMD module: @glmjs/core's topKRow
// and Math.exp. No copies of the logits.
import { type GlmTopKAttrs, GLM_KERNELS, logSumExpRow, topKRow } from "@glmjs/core";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { type SimdKernels, simdKernels } from "./simd.js";
import { asWasmBackend, heapView, tensorData } from "./wasm-internals.js";

type Args = { inputs: { logits: TensorInfo }; backend: unknown; attrs: NamedAttrMap };

export function topK({ inputs, backend: raw, attrs }: Args): TensorInfo[] {
  const backend = asWasmBackend(raw);
  const { logits } = inputs;
  const [rows, cols] = logits.shape as [number, number];
  const { k } = attrs as unknown as GlmTopKAttrs;
  const indices = backend.makeOutput([rows, k], "int32");
  const values = backend.makeOutput([rows, k], "float32");
  const logSumExp = backend.makeOutput([rows], "float32");
  try {
    const simd = cols >= 4 && cols % 4 === 0 ? simdKernels(backend) : undefined;
    const at = (t: TensorInfo) => tensorData(backend, t).memoryOffset;
    if (simd && k === 1) simd.argMaxRows(at(logits), at(indices), rows, cols);
    // Views after every allocation: a heap growth detaches earlier ones.
    const x = heapView(backend, logits) as Float32Array;
    const iv = heapView(backend, indices) as Int32Array;
    const vv = heapView(backend, values) as Float32Array;
    const lse = heapView(backend, logSumExp) as Float32Array;
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      if (simd && k === 1) {
        vv[r] = x[row + iv[r]!]!;
        // The ArgMax rule for a row starting with NaN differs from topKRow's (NaN last): redo it.
        if (Number.isNaN(vv[r]!)) topKRow(x, row, cols, 1, iv, vv, r);
      } else if (simd) {
        topKRowScan(simd, x, at(logits), row, cols, k, iv, vv, r * k);
      } else {
        topKRow(x, row, cols, k, iv, vv, r * k);
      }
      const max = vv[r * k]!;
      lse[r] = simd && max > -Infinity ? max + Math.log(simd.sumExp(at(logits) + 4 * row, cols, max)) : logSumExpRow(x, row, cols, max);
    }
  } catch (e) {
    for (const t of [indices, values, logSumExp]) backend.disposeData(t.dataId);
    throw e;
  }
  return [indices, values, logSumExp];
}

/**
 * topKRow's result with the SIMD scan: the first k numbers fill the list, then only values above
 * its last entry are inserted (equal ones never enter: the earlier index stays ahead). A row with
 * fewer than k numbers (NaN) takes topKRow, which places NaN last.
 */
function topKRowScan(
  simd: SimdKernels,
  x: Float32Array,
  base: number,
  row: number,
  cols: number,
  k: number,
  indices: Int32Array,
  values: Float32Array,
  out: number,
): void {
  let n = 0;
  let j = 0;
  for (; j < cols && n < k; j++) {
    const v = x[row + j]!;
    if (Number.isNaN(v)) continue;
    insert(values, indices, out, n++, v, j);
  }
  if (n < k) {
    topKRow(x, row, cols, k, indices, values, out);
    return;
  }
  const rowPtr = base + 4 * row;
  for (;;) {
    j = simd.firstAbove(rowPtr, j, cols, values[out + k - 1]!);
    if (j >= cols) return;
    insert(values, indices, out, k - 1, x[row + j]!, j);
    j++;
  }
}

/** Puts (v, j) at position p or higher of the descending list, after the entries ≥ v. */
function insert(values: Float32Array, indices: Int32Array, out: number, p: number, v: number, j: number): void {
  while (p > 0 && values[out + p - 1]! < v) {
    values[out + p] = values[out + p - 1]!;
    indices[out + p] = indices[out + p - 1]!;
    p--;
  }
  values[out + p] = v;
  indices[out + p] = j;
}

export const topKConfig: KernelConfig = {
  kernelName: GLM_KERNELS.topK,
  backendName: "wasm",
  kernelFunc: topK as unknown as KernelFunc,
};
