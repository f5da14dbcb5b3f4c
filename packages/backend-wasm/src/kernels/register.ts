// Installs glmjs's wasm kernels into tfjs's kernel registry: the ones tfjs's wasm backend lacks
// (UnsortedSegmentSum), the ones it gets wrong (OneHot with float32), the ones it runs slowly
// (BatchMatMul with transposes or a batch, GatherV2 of rows, Identity's copy, ArgMax), and
// glmjs's own fused decoding kernels (GlmLayerNorm, GlmLinear, GlmCachedAttention, GlmTopK). Must run after
// @tensorflow/tfjs-backend-wasm has registered its own kernels (importing this package does both,
// in that order).
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { batchMatMulConfig, setBatchMatMulDelegates } from "./batch-mat-mul.js";
import { gatherV2Config, setGatherDelegate } from "./gather.js";
import { identityConfig, setIdentityDelegate } from "./identity.js";
import { oneHotConfig } from "./one-hot.js";
import { unsortedSegmentSumConfig } from "./unsorted-segment-sum.js";
import { layerNormConfig } from "./layer-norm.js";
import { linearConfig } from "./linear.js";
import { cachedAttentionConfig } from "./cached-attention.js";
import { argMaxConfig, setArgMaxDelegate } from "./arg-max.js";
import { topKConfig } from "./top-k.js";

/** glmjs's own decoding kernels (names from @glmjs/core's GLM_KERNELS). */
const GLMJS_KERNELS: KernelConfig[] = [layerNormConfig, linearConfig, cachedAttentionConfig, topKConfig];

/** The kernels glmjs adds to or replaces in tfjs's wasm backend, by name. */
export const WASM_KERNEL_OVERRIDES = {
  added: ["UnsortedSegmentSum", "GlmLayerNorm", "GlmLinear", "GlmCachedAttention", "GlmTopK"],
  replaced: ["BatchMatMul", "OneHot", "GatherV2", "Identity", "ArgMax"],
} as const;

/** tfjs's own wasm kernels that glmjs replaced, kept to restore them. */
const tfjsKernels = new Map<string, KernelConfig>();
let registered = false;

export function registerWasmKernels(): void {
  if (registered) return;
  if (tfjsKernels.size === 0) {
    for (const name of ["BatchMatMul", "Transpose", "OneHot", "GatherV2", "Identity", "ArgMax"]) {
      const k = tf.getKernel(name, "wasm");
      if (!k)
        throw new GlmjsError("KERNEL_MISSING", `@glmjs/backend-wasm: tfjs's wasm kernel ${name} is not registered; import @tensorflow/tfjs-backend-wasm first`);
      tfjsKernels.set(name, k);
    }
  }
  const tfjsMatMul = tfjsKernels.get("BatchMatMul")!;
  setBatchMatMulDelegates(tfjsMatMul.kernelFunc as never, tfjsKernels.get("Transpose")!.kernelFunc as never);
  // tfjs's kernels keep what their setup (run when the backend initialises) prepared, so a
  // replacement runs the replaced kernel's setup too: the fallback path stays usable.
  replace({ ...batchMatMulConfig, setupFunc: tfjsMatMul.setupFunc });
  replace({ ...oneHotConfig, setupFunc: tfjsKernels.get("OneHot")!.setupFunc });
  setGatherDelegate(tfjsKernels.get("GatherV2")!.kernelFunc as never);
  setIdentityDelegate(tfjsKernels.get("Identity")!.kernelFunc as never);
  replace({ ...gatherV2Config, setupFunc: tfjsKernels.get("GatherV2")!.setupFunc });
  replace({ ...identityConfig, setupFunc: tfjsKernels.get("Identity")!.setupFunc });
  setArgMaxDelegate(tfjsKernels.get("ArgMax")!.kernelFunc as never);
  replace({ ...argMaxConfig, setupFunc: tfjsKernels.get("ArgMax")!.setupFunc });
  replace(unsortedSegmentSumConfig);
  for (const k of GLMJS_KERNELS) replace(k);
  registered = true;
}

/**
 * Puts tfjs's own wasm kernels back (for comparisons such as bench/matmul.mjs): embeddings
 * then cannot be trained on wasm. registerWasmKernels() installs glmjs's again.
 */
export function restoreTfjsWasmKernels(): void {
  if (!registered) return;
  for (const name of WASM_KERNEL_OVERRIDES.replaced) replace(tfjsKernels.get(name)!);
  for (const name of WASM_KERNEL_OVERRIDES.added) tf.unregisterKernel(name, "wasm");
  registered = false;
}

function replace(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}
