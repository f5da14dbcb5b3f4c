// Public surface of @glmjs/backend-wasm. Importing it registers tfjs's wasm backend, glmjs's
// extra wasm kernels, and the "wasm" glmjs backend; it does not switch to it (useBackend("wasm")).
import "@tensorflow/tfjs-backend-wasm";
import { registerBackend, tf } from "@glmjs/core";
import { wasmInitialised } from "./initialised.js";
import { registerWasmKernels } from "./kernels/register.js";
import { wasmBackend } from "./provider.js";

// tfjs registers wasm with a priority above cpu, which would make the first tensor op after
// this import try (and, wasm being async, fail) to start wasm. glmjs picks backends explicitly.
const factory = tf.findBackendFactory("wasm");
if (factory && !wasmInitialised()) {
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", factory, 0);
}
registerWasmKernels();
registerBackend(wasmBackend);

export { wasmBackend } from "./provider.js";
export { WASM_ERROR, type WasmErrorCode } from "./errors.js";
export { configureWasm, wasmOptions } from "./config.js";
export { MAX_WASM_THREADS, chooseThreads, freeCores, wasmThreadCount } from "./threads.js";
export type { ThreadChoice, ThreadSource } from "./threads.js";
export type { WasmOptions } from "./config.js";
export { WASM_BINARIES, nodeWasmDir } from "./wasm-files.js";
export type { WasmBinaryName } from "./wasm-files.js";
export { registerWasmKernels, restoreTfjsWasmKernels, WASM_KERNEL_OVERRIDES } from "./kernels/register.js";
export { batchMatMulPlan, MIN_XNNPACK_MACS } from "./kernels/batch-mat-mul.js";
