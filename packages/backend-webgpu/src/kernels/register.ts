// Kernels that @glmjs/backend-webgpu puts over tfjs-backend-webgpu's own, installed once when the
// backend is activated (after tfjs-backend-webgpu has registered its kernels).
import { GlmjsError } from "@glmjs/common";
import { tf } from "@glmjs/core";
import { groupedAddN } from "./add-n.js";
import { fusedDecodingKernels } from "./fused-decoding.js";
import { installDeterministicKernels } from "../deterministic/deterministic.js";
import { installTiledMatMul } from "../matmul/kernel.js";

let installed = false;

export function installWebGPUKernels(): void {
  if (installed) return;
  installed = true;
  const addN = tf.getKernel("AddN", "webgpu");
  if (!addN) throw new GlmjsError("KERNEL_MISSING", "tfjs-backend-webgpu registered no AddN kernel: @glmjs/backend-webgpu expects tfjs-backend-webgpu 4.22");
  tf.unregisterKernel("AddN", "webgpu");
  tf.registerKernel({ ...addN, kernelFunc: groupedAddN(addN.kernelFunc) });
  installDeterministicKernels();
  // Over deterministic mode's wrappers: what the tiled kernel leaves to tfjs still avoids split-K there.
  installTiledMatMul();
  for (const k of fusedDecodingKernels) if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
}
