// tfjs's wasm C++ caches one XNNPACK operator per weight tensor id, with the weight's [k, n] baked
// in, and reuses it for any later product with that id. A reshape shares its input's data (and
// id), so multiplying by a weight in one layout and then by a reshape of it in another made
// tfjs 4.22 read and write out of bounds: `RuntimeError: Aborted()` or a corrupted heap, with tfjs's
// own kernels as with glmjs's. glmjs's products remember the layout each weight's data was first
// multiplied in, and give a weight met in another layout a fresh copy (its own id), so XNNPACK
// builds an operator for that layout; the copy is freed after the product.
import type { TensorInfo } from "@tensorflow/tfjs-core";
import { tensorData, type WasmBackendInternals } from "./wasm-internals.js";

/** The [k, n] each weight's data was first multiplied as, by data id (gone with the data). */
const firstLayout = new WeakMap<object, string>();

/**
 * `w` itself, or — when its data was already multiplied as a weight of another [k, n] — a copy
 * of it pushed to `temporaries` (the caller frees them).
 */
export function weightForLayout(backend: WasmBackendInternals, w: TensorInfo, k: number, n: number, temporaries: TensorInfo[]): TensorInfo {
  const layout = `${k}x${n}`;
  const first = firstLayout.get(w.dataId);
  if (first === undefined) {
    firstLayout.set(w.dataId, layout);
    return w;
  }
  if (first === layout) return w;
  const copy = backend.makeOutput([...w.shape], w.dtype);
  temporaries.push(copy);
  const from = tensorData(backend, w).memoryOffset;
  const bytes = 4 * w.shape.reduce((a, b) => a * b, 1);
  const heap = backend.wasm.HEAPU8;
  heap.copyWithin(tensorData(backend, copy).memoryOffset, from, from + bytes);
  return copy;
}
