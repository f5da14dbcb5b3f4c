// OneHot for tfjs's wasm backend. tfjs 4.22's C++ OneHot always writes int32 values, so
// oneHot(..., "float32") returns int32 bit patterns (1 reads as 1.4e-45). This writes the
// requested dtype directly into the wasm heap.
import { GlmjsError } from "@glmjs/common";
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { asWasmBackend, heapView } from "./wasm-internals.js";

export function oneHot(args: {
  inputs: { indices: TensorInfo };
  backend: unknown;
  attrs: { depth: number; onValue: number; offValue: number; dtype: DataType };
}): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { indices } = args.inputs;
  const { depth, onValue, offValue, dtype } = args.attrs;
  if (indices.dtype !== "int32") {
    throw new GlmjsError("INPUT_INVALID", `OneHot (glmjs wasm): indices must be int32, got ${indices.dtype}`);
  }
  const out = backend.makeOutput([...indices.shape, depth], dtype);
  const values = heapView(backend, out);
  const ids = heapView(backend, indices) as Int32Array;
  values.fill(offValue);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    // Out-of-range indices give an all-off row, as on the cpu backend.
    if (id >= 0 && id < depth) values[i * depth + id] = onValue;
  }
  return out;
}

export const oneHotConfig: KernelConfig = {
  kernelName: "OneHot",
  backendName: "wasm",
  kernelFunc: oneHot as unknown as KernelFunc,
};
