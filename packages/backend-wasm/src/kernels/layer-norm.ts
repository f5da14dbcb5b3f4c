// GlmLayerNorm (a glmjs decoding kernel, see @glmjs/core's GLM_KERNELS) on the wasm heap: one
// pass per row instead of tfjs's nine ops (mean, centre, square, mean, add, rsqrt, three
// element-wise). Runs in the SIMD module (./simd.ts) where it loaded, else in JavaScript.
import { type GlmLayerNormAttrs, GLM_KERNELS, layerNormRows } from "@glmjs/core";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { simdKernels } from "./simd.js";
import { asWasmBackend, heapView, tensorData } from "./wasm-internals.js";

type Args = { inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }; backend: unknown; attrs: NamedAttrMap };

export function layerNorm({ inputs, backend: raw, attrs }: Args): TensorInfo {
  const backend = asWasmBackend(raw);
  const { x, gamma, beta } = inputs;
  const { epsilon } = attrs as unknown as GlmLayerNormAttrs;
  const cols = x.shape[x.shape.length - 1]!;
  const rows = x.shape.reduce((a, b) => a * b, 1) / cols;
  const out = backend.makeOutput(x.shape, "float32");
  const simd = simdKernels(backend);
  const at = (t: TensorInfo) => tensorData(backend, t).memoryOffset;
  if (simd && cols % 4 === 0) simd.layerNorm(at(x), at(gamma), at(beta), at(out), rows, cols, epsilon);
  else {
    const f = (t: TensorInfo) => heapView(backend, t) as Float32Array;
    layerNormRows(f(x), f(gamma), f(beta), f(out), rows, cols, epsilon);
  }
  return out;
}

export const layerNormConfig: KernelConfig = {
  kernelName: GLM_KERNELS.layerNorm,
  backendName: "wasm",
  kernelFunc: layerNorm as unknown as KernelFunc,
};
