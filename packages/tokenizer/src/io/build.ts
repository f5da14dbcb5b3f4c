// Builds GLM tokenizers from parsed vocabulary data: text model + the family's command tokens.
import type { CommandToken } from "../types.js";
import { TokenizerFileError } from "../errors.js";
import { ByteLevelBpeModel } from "../bpe/byte-level-bpe-model.js";
import { buildCommandTokens, DEFAULT_VARIANT, type CommandTokenOptions, type GlmFamily } from "../glm/command-tokens.js";
import { GLMTokenizer } from "../glm/glm-tokenizer.js";
import { parseModelProto } from "../sentencepiece/model-proto.js";
import { SentencePieceModel } from "../sentencepiece/sentencepiece-model.js";
import { WordPieceModel, type WordPieceOptions } from "../wordpiece/wordpiece-model.js";
import { toTokenizerJson } from "./to-tokenizer-json.js";

export interface LoadOptions extends CommandTokenOptions {
  /** Which command-token layout to use; detected from the vocabulary when left out. */
  family?: GlmFamily;
}

/** Explicit command tokens (from a saved tokenizer.json) instead of a family layout. */
export interface CommandOverride {
  tokens: CommandToken[];
  numTokens: number;
}

function finish(
  model: WordPieceModel | ByteLevelBpeModel | SentencePieceModel,
  family: GlmFamily,
  file: string,
  options: LoadOptions,
  override?: CommandOverride,
): GLMTokenizer {
  let layout = override;
  if (!layout) {
    const lookup = (token: string): number => {
      const id = model.tokenToId(token);
      if (id === undefined) throw new TokenizerFileError(file, `has no ${JSON.stringify(token)}, which GLM's ${family} command tokens need`);
      return id;
    };
    layout = buildCommandTokens(family, model.size, lookup, options);
  }
  const meta = { family, variant: options.variant ?? DEFAULT_VARIANT, fixCommandToken: options.fixCommandToken ?? true };
  return new GLMTokenizer({
    model,
    family,
    commandTokens: layout.tokens,
    numTokens: layout.numTokens,
    toJSON: (t) => toTokenizerJson(t, meta),
  });
}

export function wordPieceTokenizer(
  vocab: string[],
  file: string,
  options: LoadOptions = {},
  wp: WordPieceOptions = {},
  override?: CommandOverride,
): GLMTokenizer {
  let model: WordPieceModel;
  try {
    model = new WordPieceModel(vocab, wp);
  } catch (e) {
    throw new TokenizerFileError(file, (e as Error).message, { cause: e });
  }
  return finish(model, options.family ?? "bert", file, options, override);
}

export function bpeTokenizer(
  vocab: Map<string, number>,
  merges: [string, string][],
  files: { vocabFile: string; mergesFile: string },
  options: LoadOptions = {},
  override?: CommandOverride,
): GLMTokenizer {
  const model = new ByteLevelBpeModel(vocab, merges, files);
  const family = options.family ?? (vocab.has("<mask>") && vocab.has("</s>") && vocab.has("<s>") ? "roberta" : "gpt2");
  return finish(model, family, files.vocabFile, options, override);
}

export function sentencePieceTokenizer(bytes: Uint8Array, file: string, options: LoadOptions = {}, override?: CommandOverride): GLMTokenizer {
  let model: SentencePieceModel;
  try {
    model = new SentencePieceModel(parseModelProto(bytes), bytes);
  } catch (e) {
    throw new TokenizerFileError(file, `is not a usable SentencePiece model: ${(e as Error).message}`, { cause: e });
  }
  return finish(model, options.family ?? "chinese-sp", file, options, override);
}
