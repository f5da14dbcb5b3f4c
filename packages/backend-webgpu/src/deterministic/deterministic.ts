// Deterministic mode for tfjs's WebGPU backend: the same inputs give bit-identical results on
// every run, so that training on WebGPU is reproducible and `--resume` repeats an uninterrupted
// run exactly (as it does on cpu and wasm). Off by default, as in PyTorch
// (torch.use_deterministic_algorithms): the kernels it replaces are atomics-based and can be
// faster on large GPUs. Kernels used by GLM's training step that it covers:
//   * UnsortedSegmentSum (the gradient of every embedding lookup): segment-sum.ts;
//   * BatchMatMul and _FusedMatMul when tfjs would pick its split-K program: matmul-without-split-k.ts.
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { orderedUnsortedSegmentSumConfig } from "./segment-sum.js";
import { withoutSplitK } from "./matmul-without-split-k.js";

let deterministic = false;
let originals: Map<string, KernelConfig> | undefined;

/**
 * Turns WebGPU deterministic mode on or off. May be called before or after the backend is
 * activated; it applies to every kernel call from then on.
 */
export function setWebGPUDeterministic(on: boolean): void {
  deterministic = on;
  if (originals) swapSegmentSum();
}

export function isWebGPUDeterministic(): boolean {
  return deterministic;
}

/**
 * Installs the wrappers over tfjs's WebGPU kernels (once, after tfjs-backend-webgpu registered
 * them): the matmul kernels check the mode on each call; UnsortedSegmentSum is swapped.
 */
export function installDeterministicKernels(): void {
  if (originals) return;
  originals = new Map();
  for (const name of ["BatchMatMul", "_FusedMatMul", "UnsortedSegmentSum"]) {
    const config = tf.getKernel(name, "webgpu");
    if (!config)
      throw new GlmjsError("KERNEL_MISSING", `tfjs-backend-webgpu registered no ${name} kernel: @glmjs/backend-webgpu expects tfjs-backend-webgpu 4.22`);
    originals.set(name, config);
  }
  for (const name of ["BatchMatMul", "_FusedMatMul"]) {
    const config = originals.get(name)!;
    tf.unregisterKernel(name, "webgpu");
    tf.registerKernel({ ...config, kernelFunc: withoutSplitK(config.kernelFunc, () => deterministic) });
  }
  swapSegmentSum();
}

function swapSegmentSum(): void {
  const config = deterministic ? orderedUnsortedSegmentSumConfig : originals!.get("UnsortedSegmentSum")!;
  if (tf.getKernel("UnsortedSegmentSum", "webgpu")?.kernelFunc === config.kernelFunc) return;
  tf.unregisterKernel("UnsortedSegmentSum", "webgpu");
  tf.registerKernel(config);
}
