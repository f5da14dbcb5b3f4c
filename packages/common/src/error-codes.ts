// The codes of the errors @glmjs/common throws itself (every one a GlmjsError). Callers branch on
// `err.code` (`GlmjsError.is(err, COMMON_ERROR.NODE_ONLY)`), never on messages.

/** Every code an error of @glmjs/common can carry, by name (the value is the code). */
export const COMMON_ERROR = {
  /** importNode outside Node: a path-based function called in a browser. */
  NODE_ONLY: "NODE_ONLY",
  /** writeFileAtomic with a part that is not a Uint8Array. */
  INPUT_INVALID: "INPUT_INVALID",
} as const;

/** One of the codes in COMMON_ERROR. */
export type CommonErrorCode = (typeof COMMON_ERROR)[keyof typeof COMMON_ERROR];
