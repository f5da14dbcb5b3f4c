// ArgMax for tfjs's wasm backend: over the last axis of a float32 tensor (greedy decoding's
// pick from [batch, vocab] logits) in the SIMD module, four lanes at a time; tfjs 4.22's kernel
// walks the row one element at a time (about 170 µs for 8 × 30k logits). Other cases, and
// engines without the SIMD module, go to tfjs's kernel. Ties resolve to the first index, as there.
import { GlmjsError } from "@glmjs/common";
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { simdKernels } from "./simd.js";
import { asWasmBackend, tensorData } from "./wasm-internals.js";

type Args = { inputs: { x: TensorInfo }; backend: unknown; attrs: NamedAttrMap };
type RawKernel = (args: Args) => TensorInfo;

let tfjsArgMax: RawKernel | undefined;

/** Hands this kernel tfjs's own ArgMax for the cases it does not handle. */
export function setArgMaxDelegate(argMax: RawKernel): void {
  tfjsArgMax = argMax;
}

export function argMax(args: Args): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs;
  const rank = x.shape.length;
  const axisAttr = args.attrs["axis"];
  const axis = Number(Array.isArray(axisAttr) ? axisAttr[0] : (axisAttr ?? 0));
  const cols = x.shape[rank - 1] ?? 0;
  const simd = x.dtype === "float32" && rank >= 1 && (axis === rank - 1 || axis === -1) && cols >= 4 && cols % 4 === 0 ? simdKernels(backend) : undefined;
  if (!simd) {
    if (!tfjsArgMax) throw new GlmjsError("KERNEL_MISSING", "ArgMax (glmjs wasm): tfjs's kernel is not registered; call registerWasmKernels()");
    return tfjsArgMax(args);
  }
  const outShape = x.shape.slice(0, -1);
  const out = backend.makeOutput(outShape, "int32");
  simd.argMaxRows(
    tensorData(backend, x).memoryOffset,
    tensorData(backend, out).memoryOffset,
    outShape.reduce((a, b) => a * b, 1),
    cols,
  );
  return out;
}

export const argMaxConfig: KernelConfig = {
  kernelName: "ArgMax",
  backendName: "wasm",
  kernelFunc: argMax as unknown as KernelFunc,
};
