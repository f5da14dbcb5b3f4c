// The codes of the errors @glmjs/checkpoint throws (every one a GlmjsError of @glmjs/common).
// Callers branch on `err.code` (`GlmjsError.is(err, CHECKPOINT_ERROR.CHECKPOINT_INVALID)`), never
// on messages.

/** Every code an error of @glmjs/checkpoint can carry, by name (the value is the code). */
export const CHECKPOINT_ERROR = {
  /** A checkpoint file that cannot be read or written (CheckpointError: `file`, `key`). */
  CHECKPOINT_INVALID: "CHECKPOINT_INVALID",
  /** An option out of range: a model-parallel size, an iteration, maxShardBytes. */
  OPTION_INVALID: "OPTION_INVALID",
  /** An argument that cannot be written or merged: no model-parallel ranks, an integer pickle cannot hold. */
  INPUT_INVALID: "INPUT_INVALID",
  /** A broken invariant (a bug; please report it). */
  INTERNAL: "INTERNAL",
} as const;

/** One of the codes in CHECKPOINT_ERROR. */
export type CheckpointErrorCode = (typeof CHECKPOINT_ERROR)[keyof typeof CHECKPOINT_ERROR];
