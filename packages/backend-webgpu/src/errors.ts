// The codes of the errors @glmjs/backend-webgpu throws (every one a GlmjsError of @glmjs/common).
// Callers branch on `err.code` (`GlmjsError.is(err, WEBGPU_ERROR.BACKEND_UNAVAILABLE)`), never on
// messages. useBackend("webgpu") reports a failed start as @glmjs/core's BACKEND_FAILED, with this
// package's error as `cause`.

/** Every code an error of @glmjs/backend-webgpu can carry, by name (the value is the code). */
export const WEBGPU_ERROR = {
  /** No WebGPU adapter here (the message gives the reason and the fix). */
  BACKEND_UNAVAILABLE: "BACKEND_UNAVAILABLE",
  /** tfjs could not start its webgpu backend (adapter or device request failed, tfjs-backend-webgpu imported too early). */
  BACKEND_FAILED: "BACKEND_FAILED",
  /** tfjs-backend-webgpu lacks a kernel glmjs wraps (another version than 4.22). */
  KERNEL_MISSING: "KERNEL_MISSING",
  /** setWebGPUMatMul / webGPUMatMulPlan options that cannot be used (not a non-negative integer; no device limits). */
  OPTION_INVALID: "OPTION_INVALID",
  /** Operands a kernel does not take: matMul shapes that do not multiply or broadcast, UnsortedSegmentSum dtypes and ids. */
  INPUT_INVALID: "INPUT_INVALID",
} as const;

/** One of the codes in WEBGPU_ERROR. */
export type WebGPUErrorCode = (typeof WEBGPU_ERROR)[keyof typeof WEBGPU_ERROR];
