// The parts of tfjs's wasm backend (4.22) that glmjs's kernels use. tfjs types some of them as
// private, so they are described here once instead of cast at every use.
import { GlmjsError } from "@glmjs/common";
import type { DataType, TensorInfo } from "@tensorflow/tfjs-core";

export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

export interface WasmModule {
  HEAPU8: Uint8Array;
  cwrap(name: string, returnType: string | null, argTypes: string[]): (...args: unknown[]) => unknown;
  tfjs: {
    /** Tells the C++ side that tensor `id` of `size` elements lives at byte `memoryOffset`. */
    registerTensor(id: number, size: number, memoryOffset: number): void;
    /** Forgets tensor `id` on the C++ side (and drops XNNPACK operators cached for it); frees nothing. */
    disposeData(id: number): void;
    getThreadsCount(): number;
  };
}

export interface WasmBackendInternals {
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  /** One more tensor shares this data (freed when the last one is disposed). */
  incRef(dataId: object): void;
}

/** The wasm backend behind a kernel call, with the internals glmjs uses. */
export function asWasmBackend(backend: unknown): WasmBackendInternals {
  const b = backend as Partial<WasmBackendInternals>;
  if (!b || !b.wasm || !b.dataIdMap || typeof b.makeOutput !== "function") {
    throw new GlmjsError("INTERNAL", "glmjs wasm kernel called with a backend that is not tfjs's wasm backend");
  }
  return b as WasmBackendInternals;
}

/** The heap record of a tensor; throws if the tensor is not on this backend. */
export function tensorData(backend: WasmBackendInternals, t: TensorInfo): WasmTensorData {
  const d = backend.dataIdMap.get(t.dataId);
  if (!d) throw new GlmjsError("INTERNAL", `tensor of shape [${t.shape.join(",")}] is not on the wasm backend`);
  return d;
}

/**
 * A live view of a tensor's elements in the wasm heap. Re-create it after any allocation: a
 * heap growth detaches the previous views.
 */
export function heapView(backend: WasmBackendInternals, t: TensorInfo): Float32Array | Int32Array | Uint8Array {
  const { memoryOffset } = tensorData(backend, t);
  const size = t.shape.reduce((a, b) => a * b, 1);
  const buffer = backend.wasm.HEAPU8.buffer;
  switch (t.dtype) {
    case "float32":
      return new Float32Array(buffer, memoryOffset, size);
    case "int32":
      return new Int32Array(buffer, memoryOffset, size);
    case "bool":
      return new Uint8Array(buffer, memoryOffset, size);
    default:
      throw new GlmjsError("INPUT_INVALID", `glmjs wasm kernels do not handle dtype ${t.dtype}`);
  }
}
