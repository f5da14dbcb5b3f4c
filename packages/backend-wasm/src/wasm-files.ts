// Where tfjs's .wasm binaries are. In Node they are found inside the installed
// @tensorflow/tfjs-backend-wasm package; in a browser the bundler or page decides, so the path
// is configurable (configureWasm({ wasmPaths })) and otherwise left to tfjs's default (the
// folder of the script that loaded tfjs).
import { importNode, GlmjsError } from "@glmjs/common";
import { currentEnvironment } from "@glmjs/core";

/** The three binaries tfjs 4.22 may load (plain, SIMD, threaded SIMD). */
export const WASM_BINARIES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"] as const;
export type WasmBinaryName = (typeof WASM_BINARIES)[number];

/** The installed package's dist/ folder (with a trailing slash), in Node only. */
export async function nodeWasmDir(): Promise<string> {
  if (currentEnvironment() !== "node") throw new GlmjsError("NODE_ONLY", "nodeWasmDir() runs only in Node");
  const { createRequire } = await importNode("node:module", "nodeWasmDir()");
  const require = createRequire(import.meta.url);
  const file = require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_BINARIES[0]}`);
  return file.slice(0, file.length - WASM_BINARIES[0].length);
}

/** In Node: the binaries missing from `dir` (empty when all are there). */
export async function missingNodeBinaries(dir: string, names: readonly WasmBinaryName[] = WASM_BINARIES): Promise<string[]> {
  const { existsSync } = await importNode("node:fs", "missingNodeBinaries()");
  return names.filter((name) => !existsSync(dir + name)).map((name) => dir + name);
}
