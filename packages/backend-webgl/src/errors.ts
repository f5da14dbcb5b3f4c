// The codes of the errors @glmjs/backend-webgl throws (every one a GlmjsError of @glmjs/common).
// useBackend("webgl") reports them as @glmjs/core's BACKEND_FAILED, with this error as `cause`.

/** Every code an error of @glmjs/backend-webgl can carry, by name (the value is the code). */
export const WEBGL_ERROR = {
  /** tfjs-backend-webgl did not register (not a browser environment). */
  BACKEND_UNAVAILABLE: "BACKEND_UNAVAILABLE",
  /** tfjs could not initialise its webgl backend (context creation failed). */
  BACKEND_FAILED: "BACKEND_FAILED",
} as const;

/** One of the codes in WEBGL_ERROR. */
export type WebGLErrorCode = (typeof WEBGL_ERROR)[keyof typeof WEBGL_ERROR];
