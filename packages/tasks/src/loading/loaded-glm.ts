// A model with its tokenizer, checked to belong together.
import { GlmjsError } from "@glmjs/common";
import type { GLMModel } from "@glmjs/core";
import type { GLMTokenizer } from "@glmjs/tokenizer";
import type { TaskSpecialIds } from "../special-ids.js";
import { tokenizerSpecialIds } from "../generation/wrap.js";

export interface LoadedGLM {
  model: GLMModel;
  tokenizer: GLMTokenizer;
  /** The tokenizer's special ids in the form the id-level API takes. */
  specialIds: TaskSpecialIds;
  /** Frees the model's weights. */
  dispose(): void;
}

/** Names the tokenizer loader reads (tokenizer.json, a Hugging Face tokenizer_config.json, vocab files, a SentencePiece model). */
export function isTokenizerFile(name: string): boolean {
  return (
    name === "tokenizer.json" ||
    name === "tokenizer_config.json" ||
    name.endsWith("vocab.txt") ||
    name.endsWith("vocab.json") ||
    name.endsWith("merges.txt") ||
    name.endsWith(".model")
  );
}

/** Pairs them, or throws (after freeing the model) when the vocabularies differ. */
export function pair(model: GLMModel, tokenizer: GLMTokenizer, where: string): LoadedGLM {
  const v = model.config.vocab_size;
  if (tokenizer.paddedVocabSize !== v) {
    model.dispose();
    throw new GlmjsError(
      "TOKENIZER_MISMATCH",
      `${where}: the tokenizer has ${tokenizer.vocabSize} ids (padded to ${tokenizer.paddedVocabSize}) but the model's vocab_size is ${v}: ` +
        `they were not trained together; put the model's own tokenizer.json beside its config.json`,
    );
  }
  return { model, tokenizer, specialIds: tokenizerSpecialIds(tokenizer), dispose: () => model.dispose() };
}
