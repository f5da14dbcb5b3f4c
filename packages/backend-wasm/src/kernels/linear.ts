// GlmLinear (a glmjs decoding kernel) on wasm: act(x·kernel + bias) + residual as one kernel.
// The product and the bias run in tfjs's own C `_FusedMatMul` (XNNPACK's fully-connected
// operator with the bias fused, cached per weight tensor); the activation and the residual are
// applied in place on the output (SIMD module, else JavaScript).
import { type GlmLinearAttrs, GLM_KERNELS, activateInPlace } from "@glmjs/core";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { simdKernels } from "./simd.js";
import { weightForLayout } from "./weight-layouts.js";
import { asWasmBackend, heapView, tensorData, type WasmModule } from "./wasm-internals.js";

type Args = { inputs: { x: TensorInfo; kernel: TensorInfo; bias?: TensorInfo; residual?: TensorInfo }; backend: unknown; attrs: NamedAttrMap };

type FusedMatMulFn = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  activation: number,
  biasId: number,
  preluId: number,
  leakyAlpha: number,
  outId: number,
) => void;

const cwrapped = new WeakMap<WasmModule, FusedMatMulFn>();
function fusedMatMul(module: WasmModule): FusedMatMulFn {
  let fn = cwrapped.get(module);
  if (!fn) {
    const n = "number";
    fn = module.cwrap("_FusedMatMul", null, [n, "array", n, n, "array", n, n, n, n, n, n, n, n]) as unknown as FusedMatMulFn;
    cwrapped.set(module, fn);
  }
  return fn;
}

const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);
/** tfjs's FusableActivation.linear. */
const LINEAR = 0;

export function linear({ inputs, backend: raw, attrs }: Args): TensorInfo {
  const backend = asWasmBackend(raw);
  const { x, kernel, bias, residual } = inputs;
  const { activation } = attrs as unknown as GlmLinearAttrs;
  const [rows, inSize] = x.shape as [number, number];
  const outSize = kernel.shape[1]!;
  const out = backend.makeOutput([rows, outSize], "float32");
  const copies: TensorInfo[] = [];
  try {
    const id = (t: TensorInfo) => tensorData(backend, t).id;
    const weight = weightForLayout(backend, kernel, inSize, outSize, copies);
    fusedMatMul(backend.wasm)(
      id(x),
      shapeBytes([1, rows, inSize]),
      3,
      id(weight),
      shapeBytes([1, inSize, outSize]),
      3,
      false,
      false,
      LINEAR,
      bias ? id(bias) : 0,
      0,
      0,
      id(out),
    );
    const simd = simdKernels(backend);
    const at = (t: TensorInfo) => tensorData(backend, t).memoryOffset;
    if (simd && (rows * outSize) % 4 === 0) {
      if (activation !== "none") simd.activate(at(out), rows * outSize, activation);
      if (residual) simd.addInPlace(at(out), at(residual), rows * outSize);
    } else {
      const y = heapView(backend, out) as Float32Array;
      activateInPlace(y, activation);
      if (residual) {
        const r = heapView(backend, residual) as Float32Array;
        for (let i = 0; i < y.length; i++) y[i] = y[i]! + r[i]!;
      }
    }
  } catch (e) {
    backend.disposeData(out.dataId);
    throw e;
  } finally {
    for (const t of copies) backend.disposeData(t.dataId);
  }
  return out;
}

export const linearConfig: KernelConfig = {
  kernelName: GLM_KERNELS.linear,
  backendName: "wasm",
  kernelFunc: linear as unknown as KernelFunc,
};
