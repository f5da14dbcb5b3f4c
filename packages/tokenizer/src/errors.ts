// Errors that name the file and what is wrong with it.
import { GlmjsError } from "@glmjs/common";

/** A tokenizer file that cannot be used (code "TOKENIZER_FILE_INVALID"). */
export class TokenizerFileError extends GlmjsError {
  readonly file: string;
  constructor(file: string, problem: string) {
    super("TOKENIZER_FILE_INVALID", `${file}: ${problem}`);
    this.name = "TokenizerFileError";
    this.file = file;
  }
}
