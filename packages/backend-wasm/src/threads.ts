// How many threads the wasm backend uses. In Node glmjs starts tfjs's threaded build by default,
// sized to the machine's free cores; configureWasm({ threads }) or the GLMJS_WASM_THREADS
// environment variable override it (1 = the single-threaded build). In browsers tfjs decides
// (its threaded build runs only on cross-origin-isolated pages), unless configured.
import { importNode, GlmjsError } from "@glmjs/common";
import { currentEnvironment } from "@glmjs/core";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { wasmOptions } from "./config.js";
import { wasmInitialised } from "./initialised.js";

/** tfjs's threaded build starts a pool of 8 pthread workers: more XNNPACK threads would spawn more. */
export const MAX_WASM_THREADS = 8;

export type ThreadSource = "configureWasm" | "GLMJS_WASM_THREADS" | "free cores" | "tfjs";

export interface ThreadChoice {
  /** undefined: tfjs's own choice (browsers). */
  threads: number | undefined;
  source: ThreadSource;
}

/**
 * Free cores in Node: the logical cores (os.availableParallelism) minus the 1-minute load average
 * beyond one core (work of other processes; the first unit is usually this process starting),
 * at least 1 and at most MAX_WASM_THREADS.
 */
export async function freeCores(): Promise<number> {
  const os = await importNode("node:os", "freeCores()");
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  const busy = Math.floor(Math.max(0, os.loadavg()[0]! - 1));
  return Math.min(MAX_WASM_THREADS, Math.max(1, cores - busy));
}

function fromEnvironment(): number | undefined {
  const raw = typeof process !== "undefined" ? process.env?.["GLMJS_WASM_THREADS"] : undefined;
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new GlmjsError("OPTION_INVALID", `GLMJS_WASM_THREADS must be a positive integer, got "${raw}"`);
  return n;
}

/** The thread count activation will use, and where it comes from. */
export async function chooseThreads(): Promise<ThreadChoice> {
  const configured = wasmOptions().threads;
  if (configured !== undefined) return { threads: configured, source: "configureWasm" };
  const env = fromEnvironment();
  if (env !== undefined) return { threads: env, source: "GLMJS_WASM_THREADS" };
  if (currentEnvironment() === "node") return { threads: await freeCores(), source: "free cores" };
  return { threads: undefined, source: "tfjs" };
}

/** Threads of the running wasm backend (undefined before it is initialised). */
export function wasmThreadCount(): number | undefined {
  return wasmInitialised() ? getThreadsCount() : undefined;
}
