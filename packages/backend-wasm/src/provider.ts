// The glmjs BackendProvider for tfjs's WebAssembly backend.
import { GlmjsError } from "@glmjs/common";
import { AUTO_ORDER, BACKEND_CONTRACT_VERSION, currentEnvironment, tf, type BackendProvider, type ProbeResult } from "@glmjs/core";
import { BackendWasm, getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { wasmOptions } from "./config.js";
import { wasmInitialised } from "./initialised.js";
import { registerWasmKernels } from "./kernels/register.js";
import { createThreadedNodeModule } from "./node-threads.js";
import { chooseThreads } from "./threads.js";
import { missingNodeBinaries, nodeWasmDir } from "./wasm-files.js";

async function simdSupported(): Promise<boolean> {
  return Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
}

async function threadsSupported(): Promise<boolean> {
  return Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
}

async function describe(): Promise<string> {
  const simd = (await simdSupported()) ? "SIMD" : "no SIMD (plain build, slower)";
  let threads: string;
  const plural = (n: number) => `${n} thread${n === 1 ? "" : "s"}`;
  if (wasmInitialised()) {
    threads = plural(getThreadsCount());
  } else {
    const choice = await chooseThreads();
    if (choice.threads === undefined) threads = (await threadsSupported()) ? "threaded build" : "1 thread (page not cross-origin isolated)";
    else if (choice.source === "free cores") threads = `${plural(choice.threads)} (the free cores; configureWasm({ threads }) or GLMJS_WASM_THREADS to change)`;
    else threads = `${plural(choice.threads)} (from ${choice.source})`;
  }
  return `tfjs wasm, ${simd}, ${threads}; glmjs kernels: UnsortedSegmentSum, OneHot, XNNPACK BatchMatMul, fused decoding (LayerNorm, Linear, cached attention)`;
}

async function probe(): Promise<ProbeResult> {
  if (typeof WebAssembly === "undefined" || typeof WebAssembly.instantiate !== "function") {
    return { available: false, reason: "this JavaScript runtime has no WebAssembly", fix: "use Node >= 20.19 or a current browser" };
  }
  if (!wasmOptions().wasmPaths && currentEnvironment() === "node") {
    let dir: string;
    try {
      dir = await nodeWasmDir();
    } catch (e) {
      return {
        available: false,
        reason: `@tensorflow/tfjs-backend-wasm's .wasm files cannot be located: ${(e as Error).message}`,
        fix: "install @tensorflow/tfjs-backend-wasm@4.22.0 next to @glmjs/backend-wasm",
      };
    }
    const simd = await simdSupported();
    const missing = await missingNodeBinaries(dir, [simd ? "tfjs-backend-wasm-simd.wasm" : "tfjs-backend-wasm.wasm"]);
    if (missing.length > 0) {
      return { available: false, reason: `missing ${missing.join(", ")}`, fix: "reinstall @tensorflow/tfjs-backend-wasm@4.22.0" };
    }
  }
  return { available: true, detail: await describe() };
}

async function activate(): Promise<void> {
  registerWasmKernels();
  if (!wasmInitialised()) {
    const { wasmPaths } = wasmOptions();
    const { threads } = await chooseThreads();
    if (wasmPaths) setWasmPaths(wasmPaths);
    else if (currentEnvironment() === "node") setWasmPaths(await nodeWasmDir());
    if (threads !== undefined) setThreadsCount(threads);
    if (threads !== undefined && threads > 1 && currentEnvironment() === "node") useThreadedNodeBuild(threads);
  }
  const ok = await tf.setBackend("wasm");
  if (!ok || tf.getBackend() !== "wasm") {
    throw new GlmjsError(
      "BACKEND_FAILED",
      "tfjs could not initialise its wasm backend (see the error logged above; in a browser check that the .wasm files are served, or call configureWasm({ wasmPaths }))",
    );
  }
}

/** Makes tfjs create its wasm backend from the threaded build (see node-threads.ts). */
function useThreadedNodeBuild(threads: number): void {
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", async () => new BackendWasm((await createThreadedNodeModule(threads)) as never), 0);
}

export const wasmBackend: BackendProvider = {
  contractVersion: BACKEND_CONTRACT_VERSION,
  name: "wasm",
  tfjsBackend: "wasm",
  environments: ["node", "browser", "worker"],
  rank: AUTO_ORDER.wasm,
  probe: async () => {
    try {
      return await probe();
    } catch (e) {
      return { available: false, reason: `wasm probe failed: ${(e as Error).message}` };
    }
  },
  activate,
};
