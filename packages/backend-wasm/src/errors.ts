// The codes of the errors @glmjs/backend-wasm throws (every one a GlmjsError of @glmjs/common).
// Callers branch on `err.code` (`GlmjsError.is(err, WASM_ERROR.OPTION_INVALID)`), never on
// messages. useBackend("wasm") reports a failed start as @glmjs/core's BACKEND_FAILED, with this
// package's error as `cause`.

/** Every code an error of @glmjs/backend-wasm can carry, by name (the value is the code). */
export const WASM_ERROR = {
  /** configureWasm({ threads }) or GLMJS_WASM_THREADS that is not a positive integer. */
  OPTION_INVALID: "OPTION_INVALID",
  /** configureWasm() after the wasm backend was initialised (call it before useBackend("wasm")). */
  BACKEND_ALREADY_INITIALISED: "BACKEND_ALREADY_INITIALISED",
  /** tfjs could not start its wasm backend: the .wasm files not served, the threaded build not starting or aborting. */
  BACKEND_FAILED: "BACKEND_FAILED",
  /** tfjs's wasm kernel that a glmjs kernel wraps is not registered (import @tensorflow/tfjs-backend-wasm, call registerWasmKernels()). */
  KERNEL_MISSING: "KERNEL_MISSING",
  /** A glmjs wasm kernel given a tensor of a dtype or shape it does not take (OneHot, UnsortedSegmentSum, GlmCachedAttention's mask). */
  INPUT_INVALID: "INPUT_INVALID",
  /** nodeWasmDir() outside Node. */
  NODE_ONLY: "NODE_ONLY",
  /** A broken invariant (a bug; please report it), e.g. a glmjs wasm kernel run on another backend. */
  INTERNAL: "INTERNAL",
} as const;

/** One of the codes in WASM_ERROR. */
export type WasmErrorCode = (typeof WASM_ERROR)[keyof typeof WASM_ERROR];
