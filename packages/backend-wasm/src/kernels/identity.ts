// Identity for tfjs's wasm backend without a copy. tfjs 4.22's wasm Identity copies the tensor's
// bytes, and tfjs runs Identity for every tensor a gradient keeps for the backward pass
// (engine.clone), so a training step copied every saved activation once more. Here the output
// shares the input's heap data under a reference count, as the wasm Reshape kernel (and the cpu
// backend's Identity) already do; tfjs kernels never write into their inputs.
import { GlmjsError } from "@glmjs/common";
import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";
import { asWasmBackend } from "./wasm-internals.js";

type RawKernel = (args: { inputs: { x: TensorInfo }; backend: unknown; attrs?: object }) => TensorInfo;

let tfjsIdentity: RawKernel | undefined;

/** Hands this kernel tfjs's own Identity (used for string tensors, which do not live in the heap). */
export function setIdentityDelegate(identity: RawKernel): void {
  tfjsIdentity = identity;
}

export function identity(args: { inputs: { x: TensorInfo }; backend: unknown }): TensorInfo {
  const { x } = args.inputs;
  const backend = asWasmBackend(args.backend);
  if (x.dtype === "string") {
    if (!tfjsIdentity) throw new GlmjsError("KERNEL_MISSING", "Identity (glmjs wasm): tfjs's kernel is not registered; call registerWasmKernels()");
    return tfjsIdentity(args);
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: "Identity",
  backendName: "wasm",
  kernelFunc: identity as unknown as KernelFunc,
};
