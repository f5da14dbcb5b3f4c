// The codes of the errors @glmjs/data throws (every one a GlmjsError of @glmjs/common). Callers
// branch on `err.code` (`GlmjsError.is(err, DATA_ERROR.STATE_INVALID)`), never on messages.

/** Every code an error of @glmjs/data can carry, by name (the value is the code). */
export const DATA_ERROR = {
  /** An option out of range or combined with one it excludes (mostly InvalidOptionError). */
  OPTION_INVALID: "OPTION_INVALID",
  /** Explicit samples, spans or offsets out of range; a tokenizer or document of the wrong shape. */
  INPUT_INVALID: "INPUT_INVALID",
  /** Corpus paths that match nothing. */
  FILE_NOT_FOUND: "FILE_NOT_FOUND",
  /** Corpus input refused under onError "throw" (CorpusError), a folder without Brown files. */
  CORPUS_INVALID: "CORPUS_INVALID",
  /** More tokens than one Int32Array holds here (buildTokenizedCorpus). */
  CORPUS_TOO_LARGE: "CORPUS_TOO_LARGE",
  /** BlockDatasetPacker over an empty corpus. */
  NO_TOKENS: "NO_TOKENS",
  /** Objective settings that need a command token the tokenizer lacks. */
  SPECIAL_TOKEN_MISSING: "SPECIAL_TOKEN_MISSING",
  /** A saved iterator, packer or generator state that cannot be resumed. */
  STATE_INVALID: "STATE_INVALID",
  /** `state()` of a prefetching iterator before its first batch (when not resuming). */
  STATE_UNAVAILABLE: "STATE_UNAVAILABLE",
  /** The prefetch worker failed. */
  PREFETCH_FAILED: "PREFETCH_FAILED",
  /** A broken invariant (a bug; please report it). */
  INTERNAL: "INTERNAL",
} as const;

/** One of the codes in DATA_ERROR. */
export type DataErrorCode = (typeof DATA_ERROR)[keyof typeof DATA_ERROR];
