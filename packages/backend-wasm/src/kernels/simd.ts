// glmjs's SIMD kernels (./simd/kernels.wat) instantiated over tfjs's own wasm memory, so they
// read and write tensors where tfjs keeps them. The memory object is tfjs's export in the
// single-threaded builds and, in the threaded Node build that glmjs starts (../node-threads.ts),
// the one handed to Emscripten; where it cannot be found (tfjs's threaded build in a browser) or
// the engine lacks wasm SIMD, the kernels run their JavaScript path instead.
import type { CachedAttentionGeometry, LinearActivation } from "@glmjs/core";
import { SIMD_KERNELS_PLAIN_MEMORY, SIMD_KERNELS_SHARED_MEMORY } from "./simd/kernels-wasm.generated.js";
import type { WasmBackendInternals, WasmModule } from "./wasm-internals.js";

/** Byte offsets into the heap; vector kernels need lengths that are multiples of 4. */
export interface SimdKernels {
  layerNorm(x: number, gamma: number, beta: number, out: number, rows: number, cols: number, eps: number): void;
  activate(values: number, n: number, activation: Exclude<LinearActivation, "none">): void;
  addInPlace(out: number, other: number, n: number): void;
  /** `scratch`: room for length + seq floats rounded up to 4. */
  cachedAttention(qkv: number, keys: number, values: number, mask: number, maskRows: number, out: number, scratch: number, g: CachedAttentionGeometry): void;
  /** int32 argmax of each row (cols % 4 == 0, cols ≥ 4). */
  argMaxRows(x: number, out: number, rows: number, cols: number): void;
}

interface Exports {
  layer_norm(x: number, gamma: number, beta: number, out: number, rows: number, cols: number, eps: number): void;
  gelu_tanh(p: number, n: number): void;
  gelu_erf(p: number, n: number): void;
  add_in_place(out: number, other: number, n: number): void;
  cached_attention(...args: number[]): void;
  argmax_rows(x: number, out: number, rows: number, cols: number): void;
}

/** The wasm memory tfjs's module runs in, if it can be found. */
export function wasmMemoryOf(module: WasmModule): WebAssembly.Memory | undefined {
  const m = module as WasmModule & { asm?: { memory?: unknown }; glmjsMemory?: unknown };
  const memory = m.glmjsMemory ?? m.asm?.memory;
  return memory instanceof WebAssembly.Memory && memory.buffer === module.HEAPU8.buffer ? memory : undefined;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(memory: WebAssembly.Memory): SimdKernels {
  const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
  const bytes = decode(shared ? SIMD_KERNELS_SHARED_MEMORY : SIMD_KERNELS_PLAIN_MEMORY);
  // 3 KB: small enough for a synchronous compile even on a browser's main thread.
  const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as Exports;
  return {
    layerNorm: (x, gamma, beta, out, rows, cols, eps) => e.layer_norm(x, gamma, beta, out, rows, cols, eps),
    activate: (p, n, activation) => (activation === "gelu_tanh" ? e.gelu_tanh(p, n) : e.gelu_erf(p, n)),
    addInPlace: (out, other, n) => e.add_in_place(out, other, n),
    cachedAttention: (qkv, keys, values, mask, maskRows, out, scratch, g) =>
      e.cached_attention(qkv, keys, values, mask, maskRows, out, scratch, g.batch, g.seq, g.heads, g.headSize, g.capacity, g.start, g.length, g.keyDivisor),
    argMaxRows: (x, out, rows, cols) => e.argmax_rows(x, out, rows, cols),
  };
}

const instances = new WeakMap<WasmModule, SimdKernels | null>();
let disabled = false;

/** The SIMD kernels for this backend's module, or undefined (use the JavaScript path). */
export function simdKernels(backend: WasmBackendInternals): SimdKernels | undefined {
  if (disabled) return undefined;
  let k = instances.get(backend.wasm);
  if (k === undefined) {
    const memory = wasmMemoryOf(backend.wasm);
    try {
      k = memory ? instantiate(memory) : null;
    } catch {
      k = null; // no wasm SIMD in this engine
    }
    instances.set(backend.wasm, k);
  }
  return k ?? undefined;
}

/** Turns the SIMD kernels off (true) or back on: for tests and comparisons of the two paths. */
export function disableSimdKernels(off: boolean): void {
  disabled = off;
}
