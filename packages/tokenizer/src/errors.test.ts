import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { TokenizerFileError } from "./errors.js";
import { parseVocabJson } from "./io/parse-vocab.js";

describe("TokenizerFileError", () => {
  it("is a GlmjsError with code TOKENIZER_FILE_INVALID, naming the file", () => {
    const err = (() => {
      try {
        parseVocabJson("{ not json", "my/vocab.json");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TokenizerFileError);
    expect((err as TokenizerFileError).file).toBe("my/vocab.json");
    expect((err as TokenizerFileError).name).toBe("TokenizerFileError");
    expect(GlmjsError.is(err, "TOKENIZER_FILE_INVALID")).toBe(true);
    expect((err as Error).message).toMatch(/^my\/vocab\.json: is not valid JSON/);
  });
});
