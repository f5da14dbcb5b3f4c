// The codes of the errors @glmjs/backend-node throws (every one a GlmjsError of @glmjs/common).
// useBackend("tfjs-node") reports them as @glmjs/core's BACKEND_FAILED, with this error as `cause`.

/** Every code an error of @glmjs/backend-node can carry, by name (the value is the code). */
export const NODE_BACKEND_ERROR = {
  /** tfjs-node (or tfjs-node-gpu) cannot be loaded here (the message gives the reason and the install command). */
  BACKEND_UNAVAILABLE: "BACKEND_UNAVAILABLE",
  /** tfjs loaded the package but could not initialise its "tensorflow" backend. */
  BACKEND_FAILED: "BACKEND_FAILED",
} as const;

/** One of the codes in NODE_BACKEND_ERROR. */
export type NodeBackendErrorCode = (typeof NODE_BACKEND_ERROR)[keyof typeof NODE_BACKEND_ERROR];
