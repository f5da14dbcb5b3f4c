// The versioned contract between @glmjs/core and backend packages. A backend package exports a
// BackendProvider; core never imports a backend package (dependencies point one way).

/** Bump on any breaking change to BackendProvider; registerBackend refuses other versions. */
export const BACKEND_CONTRACT_VERSION = 1 as const;

/** Where a backend can run. */
export type BackendEnvironment = "node" | "browser" | "worker";

export type ProbeResult =
  | {
      available: true;
      /** e.g. the adapter, the thread count, the CUDA device. */
      detail?: string;
      /** A software/fallback device (SwiftShader, llvmpipe): ranked below wasm by autoBackend(). */
      fallback?: boolean;
    }
  | {
      available: false;
      /** What is missing, precisely. */
      reason: string;
      /** The command or step that fixes it. */
      fix?: string;
    };

export interface BackendProvider {
  readonly contractVersion: typeof BACKEND_CONTRACT_VERSION;
  /** glmjs name, e.g. "wasm", "webgpu", "tfjs-node-gpu". */
  readonly name: string;
  /** The tfjs backend name it activates (what tf.getBackend() reports). */
  readonly tfjsBackend: string;
  readonly environments: readonly BackendEnvironment[];
  /** Rank for autoBackend(): lower is preferred (see AUTO_ORDER). */
  readonly rank: number;
  /** Cheap, side-effect-free check whether activate() can succeed here. Never throws. */
  probe(): Promise<ProbeResult>;
  /** Registers (if needed) and makes this the active tfjs backend; throws with the reason on failure. */
  activate(): Promise<void>;
}

/**
 * The documented preference order of autoBackend() (lower rank first). A fallback (software)
 * WebGPU adapter is ranked just below wasm.
 */
export const AUTO_ORDER = {
  "tfjs-node-gpu": 10,
  webgpu: 20,
  "tfjs-node": 30,
  wasm: 40,
  "webgpu-fallback": 45,
  webgl: 50,
  cpu: 100,
} as const;
