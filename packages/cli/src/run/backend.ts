// Activating a tfjs backend for a command: the backend packages, wasm threads, WebGPU's
// deterministic kernels, then the named backend or autoBackend()'s pick. Shared by every command
// that runs a model (pretrain, finetune, fill, generate, eval).
import { type BackendProvider, autoBackend, measureMatmulSpeed, useBackend } from "@glmjs/core";
import { configureWasm } from "@glmjs/backend-wasm";
import { setWebGPUDeterministic } from "@glmjs/backend-webgpu";
import { loadBackendPackages } from "../commands/backends.js";
import { quietTfjs } from "../terminal/quiet.js";

export interface BackendFlags {
  /** "auto" or a glmjs backend name. */
  backend: string;
  /** wasm threads in Node. */
  threads?: number;
  /** WebGPU: deterministic kernels (default true). */
  deterministic?: boolean;
  verbose?: boolean;
}

/** Loads the backend packages and activates the backend; `log` receives autoBackend()'s choice. */
export async function activateBackend(o: BackendFlags, log: (line: string) => void): Promise<BackendProvider> {
  quietTfjs(o.verbose);
  await loadBackendPackages();
  // Threads must be chosen before the wasm backend initialises; they do not change the numbers.
  if (o.threads !== undefined) configureWasm({ threads: o.threads });
  // cpu and wasm always repeat bit for bit; WebGPU does in its deterministic mode.
  setWebGPUDeterministic(o.deterministic ?? true);
  return o.backend === "auto" ? autoBackend({ log }) : useBackend(o.backend);
}

/** The backend's matmul speed in GFLOP/s: the best of three medians (one can land in a slow moment on a busy machine). */
export async function measurePeakGflops(size = 512): Promise<number> {
  let peak = 0;
  for (let i = 0; i < 3; i++) peak = Math.max(peak, (await measureMatmulSpeed(size)).gflops);
  return peak;
}
