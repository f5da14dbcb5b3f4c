// The package's errors: malformed tokenizer files (naming the file and what is wrong), and a
// training corpus that cannot yield the asked vocabulary size.
import { GlmjsError, type GlmjsErrorOptions } from "@glmjs/common";

/** A tokenizer file that cannot be used (code "TOKENIZER_FILE_INVALID"). */
export class TokenizerFileError extends GlmjsError {
  readonly file: string;
  /** `options.cause`: the lower-level error (e.g. the SentencePiece parser's, itself code TOKENIZER_FILE_INVALID). */
  constructor(file: string, problem: string, options: GlmjsErrorOptions = {}) {
    super("TOKENIZER_FILE_INVALID", `${file}: ${problem}`, options);
    this.name = "TokenizerFileError";
    this.file = file;
  }
}

/** `trainTokenizer` could not reach `vocabSize`: the corpus yields only `yielded` ids (code "TOKENIZER_TRAINING_SHORT"). */
export class TokenizerTrainingError extends GlmjsError {
  constructor(
    /** The vocabulary size asked for. */
    readonly requested: number,
    /** The largest size this corpus (with these options) yields. */
    readonly yielded: number,
    /** Why, in words: "it holds no text", "after 36 new tokens, every one of its 17 distinct words is a single token", … */
    readonly reason: string,
    /** Whether a lower minFrequency would let it yield more. */
    readonly minFrequencyBound: boolean,
    minFrequency: number,
  ) {
    super(
      "TOKENIZER_TRAINING_SHORT",
      `trainTokenizer: the corpus yields ${yielded} ids, but vocabSize asks for ${requested}: ${reason}. ` +
        `Train on more text${minFrequencyBound ? `, lower minFrequency (now ${minFrequency})` : ""}, or ask for a vocabSize of at most ${yielded}.`,
    );
    this.name = "TokenizerTrainingError";
  }
}
