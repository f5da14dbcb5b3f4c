// GLM tokenizer → Hugging Face `tokenizer.json`: WordPiece and byte-level BPE in the layout the
// `tokenizers` library reads, plus a `glmjs` section holding GLM's command tokens (ignored by
// other readers). SentencePiece tokenizers are stored with their original `.model` (base64)
// inside the `glmjs` section, which only glmjs (from-tokenizer-json.ts) reads back.
import { GlmjsError } from "@glmjs/common";
import { ByteLevelBpeModel } from "../bpe/byte-level-bpe-model.js";
import type { GLMTokenizer } from "../glm/glm-tokenizer.js";
import type { CommandVariant, GlmFamily } from "../glm/command-tokens.js";
import { SentencePieceModel } from "../sentencepiece/sentencepiece-model.js";
import { WordPieceModel } from "../wordpiece/wordpiece-model.js";

/** How the tokenizer was built, recorded so that loading gives the same command tokens. */
export interface TokenizerJsonMeta {
  family: GlmFamily;
  variant: CommandVariant;
  fixCommandToken: boolean;
}

export function toTokenizerJson(t: GLMTokenizer, meta: TokenizerJsonMeta): unknown {
  const m = t.model;
  const glmjs: Record<string, unknown> = {
    family: meta.family,
    variant: meta.variant,
    fixCommandToken: meta.fixCommandToken,
    numTokens: t.vocabSize,
    paddedVocabSize: t.paddedVocabSize,
    commandTokens: t.commandTokens,
  };
  const added = t.commandTokens
    .filter((c, i, all) => all.findIndex((o) => o.id === c.id) === i)
    .filter((c) => m.idToToken(c.id) === undefined || m.idToToken(c.id) === c.token)
    .map((c) => ({ id: c.id, content: c.token, single_word: false, lstrip: c.lstrip, rstrip: c.rstrip, normalized: false, special: true }));
  const base = { version: "1.0", truncation: null, padding: null, added_tokens: added };
  if (m instanceof WordPieceModel) {
    const vocab: Record<string, number> = {};
    m.vocab.forEach((tok, id) => (vocab[tok] = id));
    return {
      ...base,
      normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: m.lowerCase },
      pre_tokenizer: { type: "BertPreTokenizer" },
      post_processor: null,
      decoder: { type: "WordPiece", prefix: m.prefix, cleanup: true },
      model: { type: "WordPiece", unk_token: m.unkToken, continuing_subword_prefix: m.prefix, max_input_chars_per_word: m.maxInputCharsPerWord, vocab },
      glmjs,
    };
  }
  if (m instanceof ByteLevelBpeModel) {
    const vocab: Record<string, number> = {};
    m.tokens.forEach((tok, id) => {
      if (tok !== undefined) vocab[tok] = id;
    });
    return {
      ...base,
      normalizer: null,
      pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
      post_processor: null,
      decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
      model: {
        type: "BPE",
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        vocab,
        merges: m.merges.map(([a, b]) => `${a} ${b}`),
      },
      glmjs,
    };
  }
  if (m instanceof SentencePieceModel) {
    return { ...base, model: { type: "glmjs-sentencepiece" }, glmjs: { ...glmjs, sentencepieceModel: toBase64(m.protoBytes) } };
  }
  throw new GlmjsError("INPUT_INVALID", "toTokenizerJson: unknown text model");
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
