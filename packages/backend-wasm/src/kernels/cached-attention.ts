// GlmCachedAttention (a glmjs decoding kernel) on wasm: writes a step's keys/values into the
// preallocated cache buffers in place and attends over the cached window in one pass — no
// concatenation, no per-head matMul calls. The two cache outputs share the inputs' heap data
// (reference-counted, as the Identity kernel does).
import { GlmjsError } from "@glmjs/common";
import { type GlmCachedAttentionAttrs, GLM_KERNELS, attendCached, cachedAttentionGeometry, writeKeysValues } from "@glmjs/core";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { simdKernels } from "./simd.js";
import { asWasmBackend, heapView, tensorData } from "./wasm-internals.js";

type Args = { inputs: { qkv: TensorInfo; keys: TensorInfo; values: TensorInfo; mask?: TensorInfo }; backend: unknown; attrs: NamedAttrMap };

export function cachedAttention({ inputs, backend: raw, attrs }: Args): TensorInfo[] {
  const backend = asWasmBackend(raw);
  const { qkv, keys, values, mask } = inputs;
  const g = cachedAttentionGeometry(qkv, keys, attrs as unknown as GlmCachedAttentionAttrs);
  if (mask && mask.dtype !== "float32") throw new GlmjsError("INPUT_INVALID", `GlmCachedAttention: the mask must be float32, got ${mask.dtype}`);
  const out = backend.makeOutput([g.batch * g.seq, g.heads * g.headSize], "float32");
  const simd = g.headSize % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd) {
    const scratch = backend.makeOutput([Math.ceil((g.length + g.seq) / 4) * 4], "float32");
    const at = (t: TensorInfo) => tensorData(backend, t).memoryOffset;
    try {
      simd.cachedAttention(at(qkv), at(keys), at(values), mask ? at(mask) : 0, mask ? mask.shape[2]! : 1, at(out), at(scratch), g);
    } finally {
      backend.disposeData(scratch.dataId);
    }
  } else {
    const f = (t: TensorInfo) => heapView(backend, t) as Float32Array;
    const q = f(qkv);
    writeKeysValues(q, f(keys), f(values), g);
    attendCached(q, f(keys), f(values), mask ? f(mask) : undefined, mask ? mask.shape[2]! : 1, f(out), g);
  }
  backend.incRef(keys.dataId);
  backend.incRef(values.dataId);
  return [out, { ...keys }, { ...values }];
}

export const cachedAttentionConfig: KernelConfig = {
  kernelName: GLM_KERNELS.cachedAttention,
  backendName: "wasm",
  kernelFunc: cachedAttention as unknown as KernelFunc,
};
