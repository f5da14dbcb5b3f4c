// The codes of the errors @glmjs/tasks throws (every one a GlmjsError of @glmjs/common). Callers
// branch on `err.code` (`GlmjsError.is(err, TASKS_ERROR.PATTERN_INVALID)`), never on messages,
// which may change. Several codes are shared with other glmjs packages and mean the same there.

/** Every code an error of @glmjs/tasks can carry, by name (the value is the code). */
export const TASKS_ERROR = {
  /** An option out of range, of the wrong type, or combined with one it excludes (decoding, fine-tuning, metrics, evaluation). */
  OPTION_INVALID: "OPTION_INVALID",
  /** An argument of the wrong shape or range: ids outside the vocabulary, empty or mismatched arrays, a text without a blank. */
  INPUT_INVALID: "INPUT_INVALID",
  /** A task example that lacks what the task needs: a missing field or label, an empty source or target, a label the verbalizer does not know. */
  EXAMPLE_INVALID: "EXAMPLE_INVALID",
  /** A dataset file or text that cannot be parsed (`DatasetError` carries `source`, `line`, `problem`; LAMBADA lines are plain `GlmjsError`s). */
  DATASET_INVALID: "DATASET_INVALID",
  /** A cloze pattern that cannot be used: no template, an unclosed brace, not exactly one [MASK], no field. */
  PATTERN_INVALID: "PATTERN_INVALID",
  /** Label words (the verbalizer) that cannot be used: unparsable, duplicate or empty labels, words that encode to nothing, to special tokens, or to the same token. */
  LABEL_WORDS_INVALID: "LABEL_WORDS_INVALID",
  /** A text, prompt or answer that does not fit the model's positions (max_sequence_length) or the configured maximum length. */
  SEQUENCE_TOO_LONG: "SEQUENCE_TOO_LONG",
  /** The tokenizer lacks a token the task needs ([MASK]/[gMASK], sop, eop, [CLS], …). */
  SPECIAL_TOKEN_MISSING: "SPECIAL_TOKEN_MISSING",
  /** The tokenizer's vocabulary does not match the model's vocab_size (they were not trained together). */
  TOKENIZER_MISMATCH: "TOKENIZER_MISMATCH",
  /** A path, or a file a model folder needs (weights, tokenizer), is not there. */
  FILE_NOT_FOUND: "FILE_NOT_FOUND",
  /** A path exists but cannot be read as asked: a folder where a file is needed (or the reverse), no permission. */
  FILE_UNREADABLE: "FILE_UNREADABLE",
  /** `clozePreset` / `seq2seqPreset` with a name that is not a preset. */
  PRESET_UNKNOWN: "PRESET_UNKNOWN",
  /** A saved data order that cannot be restored (not a state, or saved for other data or another seed). */
  STATE_INVALID: "STATE_INVALID",
  /** Decoding constraints ban every token (sampling), or leave fewer candidates than beams (beam search). */
  ALL_TOKENS_BANNED: "ALL_TOKENS_BANNED",
  /** A generation stopped by its AbortSignal without a reason of its own (`name` is "AbortError"). */
  ABORTED: "ABORTED",
  /** A broken invariant inside @glmjs/tasks (a bug: please report it); no input should cause it. */
  INTERNAL: "INTERNAL",
} as const;

/** One of the codes in TASKS_ERROR. */
export type TasksErrorCode = (typeof TASKS_ERROR)[keyof typeof TASKS_ERROR];
