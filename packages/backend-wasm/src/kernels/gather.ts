// GatherV2 for tfjs's wasm backend: rows of a matrix (axis 0, no batch dimensions: embedding
// look-ups) are copied as whole rows straight in the wasm heap. tfjs 4.22's wasm kernel copies
// element by element with index arithmetic, about 10 ms for 2048 rows of 256 — slower than the
// matMuls around it. Other gathers go to tfjs's kernel.
import { GlmjsError } from "@glmjs/common";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { asWasmBackend, heapView } from "./wasm-internals.js";

type KernelArgs = { inputs: { x: TensorInfo; indices: TensorInfo }; backend: unknown; attrs: NamedAttrMap };
type RawKernel = (args: KernelArgs) => TensorInfo;

let tfjsGather: RawKernel | undefined;

/** Hands this kernel tfjs's own GatherV2 for the cases it does not handle. */
export function setGatherDelegate(gather: RawKernel): void {
  tfjsGather = gather;
}

export function gatherV2(args: KernelArgs): TensorInfo {
  const { x, indices } = args.inputs;
  const axis = Number(args.attrs.axis ?? 0);
  const batchDims = Number(args.attrs.batchDims ?? 0);
  const rowsAxis = axis === 0 || axis === -x.shape.length;
  if (!rowsAxis || batchDims !== 0 || x.shape.length < 1 || (x.dtype !== "float32" && x.dtype !== "int32") || indices.dtype !== "int32") {
    if (!tfjsGather) throw new GlmjsError("KERNEL_MISSING", "GatherV2 (glmjs wasm): tfjs's kernel is not registered; call registerWasmKernels()");
    return tfjsGather(args);
  }
  const backend = asWasmBackend(args.backend);
  const rows = x.shape[0]!;
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  // Views after the allocation: makeOutput may have grown (and detached) the heap.
  const outValues = heapView(backend, out);
  const xValues = heapView(backend, x);
  const ids = heapView(backend, indices) as Int32Array;
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i]!;
    if (!(row >= 0 && row < rows)) {
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
    }
    outValues.set(xValues.subarray(row * inner, row * inner + inner), i * inner);
  }
  return out;
}

export const gatherV2Config: KernelConfig = {
  kernelName: "GatherV2",
  backendName: "wasm",
  kernelFunc: gatherV2 as unknown as KernelFunc,
};
