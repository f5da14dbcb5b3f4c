// The codes of the errors @glmjs/tokenizer throws (every one a GlmjsError of @glmjs/common).
// Callers branch on `err.code` (`GlmjsError.is(err, TOKENIZER_ERROR.TOKENIZER_FILE_INVALID)`),
// never on messages.

/** Every code an error of @glmjs/tokenizer can carry, by name (the value is the code). */
export const TOKENIZER_ERROR = {
  /** A tokenizer file that cannot be used (TokenizerFileError from the loaders; the parsers and model constructors without a file name). */
  TOKENIZER_FILE_INVALID: "TOKENIZER_FILE_INVALID",
  /** A missing path, or a needed file not among the files given. */
  FILE_NOT_FOUND: "FILE_NOT_FOUND",
  /** encode of a non-string, decode of an unknown id, a text source yielding a non-string, an unknown text model. */
  INPUT_INVALID: "INPUT_INVALID",
  /** trainTokenizer options out of range. */
  OPTION_INVALID: "OPTION_INVALID",
  /** trainTokenizer on a corpus that cannot yield vocabSize ids (TokenizerTrainingError). */
  TOKENIZER_TRAINING_SHORT: "TOKENIZER_TRAINING_SHORT",
  /** A broken invariant (a bug; please report it). */
  INTERNAL: "INTERNAL",
} as const;

/** One of the codes in TOKENIZER_ERROR. */
export type TokenizerErrorCode = (typeof TOKENIZER_ERROR)[keyof typeof TOKENIZER_ERROR];
