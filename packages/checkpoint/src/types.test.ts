import { GlmjsError } from "@glmjs/common";
import { describe, expect, it } from "vitest";
import { readCheckpointBytes } from "./read-bytes.js";
import { CheckpointError } from "./types.js";

describe("CheckpointError", () => {
  it("names the file and the key, and is a GlmjsError with code CHECKPOINT_INVALID", () => {
    const err = new CheckpointError("model.bin", "shape mismatch", "word_embeddings.weight");
    expect(err.message).toBe('model.bin: tensor "word_embeddings.weight": shape mismatch');
    expect([err.name, err.file, err.key, err.code]).toEqual(["CheckpointError", "model.bin", "word_embeddings.weight", "CHECKPOINT_INVALID"]);
    expect(err).toBeInstanceOf(GlmjsError);
  });

  it("is what a reader throws on bad bytes", () => {
    const err = (() => {
      try {
        readCheckpointBytes(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), "junk.bin");
      } catch (e) {
        return e;
      }
    })();
    expect(GlmjsError.is(err, "CHECKPOINT_INVALID")).toBe(true);
    expect((err as Error).message).toMatch(/^junk\.bin: not a recognised checkpoint/);
  });
});
