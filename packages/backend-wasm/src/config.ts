// User settings of the wasm backend, applied when it is activated.
import { GlmjsError } from "@glmjs/common";
import { wasmInitialised } from "./initialised.js";
import type { WasmBinaryName } from "./wasm-files.js";

export interface WasmOptions {
  /**
   * Where the .wasm binaries are served from: a folder URL/path ending in "/", or one path per
   * binary. Needed with bundlers that do not copy the binaries next to the script. Default in
   * Node: the installed @tensorflow/tfjs-backend-wasm package's dist/ folder.
   */
  wasmPaths?: string | Record<WasmBinaryName, string>;
  /**
   * XNNPACK threads. In Node more than one starts tfjs's threaded build (glmjs does it, see
   * README); 1 keeps the single-threaded build. In browsers only cross-origin-isolated pages run
   * the threaded build. Default in Node: the GLMJS_WASM_THREADS environment variable, else the
   * free cores (see freeCores()); in browsers tfjs's choice.
   */
  threads?: number;
}

let options: WasmOptions = {};

/**
 * Sets where the .wasm binaries are and how many threads to use. Call before activating the
 * backend (useBackend("wasm") / autoBackend()); afterwards it throws, because tfjs reads these
 * settings only when it initialises the backend.
 */
export function configureWasm(next: WasmOptions): void {
  if (wasmInitialised()) {
    throw new GlmjsError("BACKEND_ALREADY_INITIALISED", 'configureWasm() must be called before the wasm backend is initialised (before useBackend("wasm"))');
  }
  if (next.threads !== undefined && (!Number.isInteger(next.threads) || next.threads < 1)) {
    throw new GlmjsError("OPTION_INVALID", `configureWasm: threads must be a positive integer, got ${String(next.threads)}`);
  }
  options = { ...options, ...next };
}

export function wasmOptions(): Readonly<WasmOptions> {
  return options;
}
