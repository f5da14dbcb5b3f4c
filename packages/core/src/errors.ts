// The codes of the errors @glmjs/core throws (every one a GlmjsError of @glmjs/common). Callers
// branch on `err.code` (`GlmjsError.is(err, CORE_ERROR.INPUT_INVALID)`), never on messages, which
// may change. Errors of @glmjs/checkpoint and @glmjs/hub underneath pass through with their codes.

/** Every code an error of @glmjs/core can carry, by name (the value is the code). */
export const CORE_ERROR = {
  /** An argument of the wrong shape, rank, dtype or range: forward()/loss() inputs, the decoder's step()/reorder(), the fused ops (fusedLinear, cachedAttention, topKLogits). */
  INPUT_INVALID: "INPUT_INVALID",
  /** An option out of range or of the wrong kind (save() formats and dtypes, createDecoder's maxMemoryLength, runKernelCoverage's `only`). */
  OPTION_INVALID: "OPTION_INVALID",
  /** A model configuration that cannot be used (GLMConfigError: a field missing, out of range, or not JSON). */
  CONFIG_INVALID: "CONFIG_INVALID",
  /** A checkpoint whose keys, shapes or dtypes do not fit the config (the message names the file and the key). */
  CHECKPOINT_MISMATCH: "CHECKPOINT_MISMATCH",
  /** A weights file that cannot be read as a checkpoint (CheckpointError of @glmjs/checkpoint, `file`, `key`). */
  CHECKPOINT_INVALID: "CHECKPOINT_INVALID",
  /** loadModel(path) on a path that does not exist. */
  FILE_NOT_FOUND: "FILE_NOT_FOUND",
  /** loadModel(hub id) of a repository without weights (HubError of @glmjs/hub, `repo`, `file`). */
  HUB_NOT_FOUND: "HUB_NOT_FOUND",
  /** A parameter name the model does not have (GLMModel.parameter, the decoding weights). */
  PARAMETER_UNKNOWN: "PARAMETER_UNKNOWN",
  /** presetConfig(name) with a name that is not a preset. */
  PRESET_UNKNOWN: "PRESET_UNKNOWN",
  /** A GLMModel or GLMDecoder used after dispose(). */
  DISPOSED: "DISPOSED",
  /** useBackend/autoBackend with a backend that is not registered (import its package first). */
  BACKEND_UNKNOWN: "BACKEND_UNKNOWN",
  /** A registered backend that cannot run here (the message gives the reason and the fix). */
  BACKEND_UNAVAILABLE: "BACKEND_UNAVAILABLE",
  /** A backend that failed to initialise (the backend package's own error is the `cause`). */
  BACKEND_FAILED: "BACKEND_FAILED",
  /** registerBackend with a backend package built for another backend contract version. */
  BACKEND_CONTRACT_MISMATCH: "BACKEND_CONTRACT_MISMATCH",
  /** "@glmjs/core/testing": a model fixture that lacks a file or a tensor the parity checks need. */
  FIXTURE_INVALID: "FIXTURE_INVALID",
  /** A broken invariant inside @glmjs/core (a bug: please report it); no input should cause it. */
  INTERNAL: "INTERNAL",
} as const;

/** One of the codes in CORE_ERROR. */
export type CoreErrorCode = (typeof CORE_ERROR)[keyof typeof CORE_ERROR];
