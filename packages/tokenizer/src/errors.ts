// Errors that name the file and what is wrong with it.

export class TokenizerFileError extends Error {
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "TokenizerFileError";
    this.file = file;
  }
}
