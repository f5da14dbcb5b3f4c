// Choosing and starting the tensor backend of a training command: wasm threads and WebGPU's
// deterministic mode are set before any backend initialises, then the named backend or the best
// available one (autoBackend) is activated, and its matmul speed measured (the MFU reference).
import { autoBackend, measureMatmulSpeed, useBackend, type BackendProvider } from "@glmjs/core";
import { configureWasm } from "@glmjs/backend-wasm";
import { setWebGPUDeterministic } from "@glmjs/backend-webgpu";
import { loadBackendPackages } from "../commands/backends.js";

export interface BackendChoice {
  /** "auto" or a backend name (wasm, cpu, webgpu, …). */
  backend: string;
  /** wasm threads in Node (undefined: the wasm backend's default, one). */
  threads?: number;
  /** WebGPU: deterministic kernels (cpu and wasm always are). */
  deterministic: boolean;
  /** Receives autoBackend's lines (the backends skipped and why, the choice). */
  log: (line: string) => void;
}

/** Loads the backend packages and activates the chosen backend. */
export async function startBackend(o: BackendChoice): Promise<BackendProvider> {
  await loadBackendPackages();
  // Threads must be chosen before the wasm backend initialises; they do not change the numbers.
  if (o.threads !== undefined) configureWasm({ threads: o.threads });
  setWebGPUDeterministic(o.deterministic);
  return o.backend === "auto" ? autoBackend({ log: o.log }) : useBackend(o.backend);
}

/** The active backend's 512² matmul speed in GFLOP/s: the best of three medians (a busy machine has slow moments). */
export async function peakMatmulGflops(): Promise<number> {
  let peak = 0;
  for (let i = 0; i < 3; i++) peak = Math.max(peak, (await measureMatmulSpeed(512)).gflops);
  return peak;
}

/** "wasm (tfjs wasm, SIMD, 2 threads)": the provider's name and what its probe says. */
export async function describeBackend(provider: BackendProvider): Promise<string> {
  const probed = await provider.probe();
  const detail = probed.available ? probed.detail : undefined;
  return `${provider.name}${detail ? ` (${detail})` : ""}`;
}
