// Starts tfjs's threaded (pthreads + SharedArrayBuffer) wasm build in Node, which tfjs itself
// never does (its WASM_HAS_MULTITHREAD_SUPPORT flag is false in Node, tfjs issue 3830). Three
// things stand in the way, and each is handled here instead of patching tfjs:
//  1. tfjs hands Emscripten its pthread worker script as a blob: URL, which Node's
//     worker_threads cannot load. The script (shipped in the package as a string) is written to
//     a .cjs file in the OS temp folder and that path is given to Emscripten instead.
//  2. tfjs hands the workers the main script as a Blob; here it is the path of the package's
//     wasm-out/tfjs-backend-wasm-threaded-simd.js, which the workers' importScripts shim reads.
//  3. tfjs's C++ caps the XNNPACK thread pool at half the logical cores (so 1 on a 2-core
//     machine). The wasm import that reports the core count is answered with 2 × threads.
import { importNode, GlmjsError } from "@glmjs/common";
import { writeFileAtomic } from "@glmjs/common/node";
import type { WasmModule } from "./kernels/wasm-internals.js";

const START_TIMEOUT_MS = 60_000;

type EmscriptenFactory = (config: Record<string, unknown>) => Promise<WasmModule & { PThread?: unknown }>;
type ImportObject = { env: Record<string, unknown> } & Record<string, unknown>;

/** Writes the pthread worker script once per tfjs version (atomically). */
async function workerScript(contents: string, version: string): Promise<string> {
  const fs = await importNode("node:fs", "the threaded wasm build");
  const os = await importNode("node:os", "the threaded wasm build");
  const path = await importNode("node:path", "the threaded wasm build");
  // tfjs escapes newlines the same way before turning the script into a Blob.
  const source = contents.replace(/\n/g, "\\n");
  const file = path.join(os.tmpdir(), `glmjs-tfjs-wasm-${version}-pthread-worker.cjs`);
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === source) return file;
  await writeFileAtomic(file, source);
  return file;
}

interface PThreadWorker {
  ref(): unknown;
  unref(): unknown;
}

interface PThreadPool {
  unusedWorkers: PThreadWorker[];
  runningWorkers: PThreadWorker[];
  allocateUnusedWorker(): void;
}

/**
 * Emscripten refs a worker whenever it starts a pthread on it, and XNNPACK's pool threads never
 * end, so a script that used the threaded build never exited by itself. The workers only ever
 * compute while the main thread waits for them (a kernel call is synchronous), so none of them
 * has work the process must wait for: every worker is unref'd, now and when Emscripten adds
 * one, and its ref() becomes a no-op. Node ends the workers when the main thread is done.
 */
function letProcessExit(module: WasmModule): void {
  const pool = (module as unknown as { PThread?: PThreadPool }).PThread;
  if (!pool) return;
  const quiet = (w: PThreadWorker | undefined) => {
    if (!w) return;
    w.unref();
    w.ref = () => w;
  };
  for (const w of [...pool.unusedWorkers, ...pool.runningWorkers]) quiet(w);
  const allocate = pool.allocateUnusedWorker.bind(pool);
  pool.allocateUnusedWorker = () => {
    allocate();
    quiet(pool.unusedWorkers[pool.unusedWorkers.length - 1]);
  };
}

/** The threaded-SIMD Emscripten module with `threads` XNNPACK threads, ready for BackendWasm. */
export async function createThreadedNodeModule(threads: number): Promise<WasmModule> {
  const { createRequire } = await importNode("node:module", "the threaded wasm build");
  const fs = await importNode("node:fs", "the threaded wasm build");
  const path = await importNode("node:path", "the threaded wasm build");
  const require = createRequire(import.meta.url);
  const mainScript = require.resolve("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js");
  const dir = path.dirname(mainScript);
  const factory = require(mainScript) as EmscriptenFactory;
  const { wasmWorkerContents } = require("@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js") as {
    wasmWorkerContents: string;
  };
  const { version } = require("@tensorflow/tfjs-backend-wasm/package.json") as { version: string };
  const worker = await workerScript(wasmWorkerContents, version);
  const binary = fs.readFileSync(path.join(dir, "tfjs-backend-wasm-threaded-simd.wasm"));

  // Emscripten never settles its ready promise when instantiation or a worker fails: race it
  // against those failures and a time limit so activation reports the cause instead of hanging.
  let fail: (e: unknown) => void = () => {};
  let memory: unknown;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {}); // a late failure after a successful start is not an unhandled rejection
  const timer = setTimeout(
    () => fail(new GlmjsError("BACKEND_FAILED", `the threaded wasm build did not start within ${START_TIMEOUT_MS / 1000} s`)),
    START_TIMEOUT_MS,
  );
  const started = factory({
    locateFile: (file: string) => (file.endsWith(".worker.js") ? worker : path.join(dir, file)),
    mainScriptUrlOrBlob: mainScript,
    instantiateWasm(imports: ImportObject, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      imports.env["emscripten_num_logical_cores"] = () => 2 * threads;
      // The shared memory Emscripten created: glmjs's SIMD kernels are instantiated over it (kernels/simd.ts).
      memory = imports.env["memory"];
      WebAssembly.instantiate(binary, imports as WebAssembly.Imports).then(
        (result) => receive(result.instance, result.module),
        (e: unknown) => fail(e),
      );
      return {};
    },
    onAbort: (what: unknown) => fail(new GlmjsError("BACKEND_FAILED", `the threaded wasm build aborted: ${String(what)}`)),
  });
  let module: WasmModule;
  try {
    module = await Promise.race([started, failed]);
  } finally {
    clearTimeout(timer);
  }
  (module as unknown as { glmjsMemory: unknown }).glmjsMemory = memory;
  letProcessExit(module);
  // What tfjs's own init() adds to the module.
  (module as unknown as { tfjs: Record<string, unknown> }).tfjs = {
    init: module.cwrap("init", null, []),
    initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: module.cwrap("get_threads_count", "number", []),
    registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: module.cwrap("dispose_data", null, ["number"]),
    dispose: module.cwrap("dispose", null, []),
  };
  return module;
}
