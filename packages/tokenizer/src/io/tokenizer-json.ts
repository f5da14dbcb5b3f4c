// Hugging Face `tokenizer.json`: written for WordPiece and byte-level BPE in the layout the
// `tokenizers` library reads, plus a `glmjs` section holding GLM's command tokens (ignored by
// other readers). SentencePiece tokenizers are stored with their original `.model` (base64)
// inside the `glmjs` section, which only glmjs reads back.
import type { CommandToken } from "../types.js";
import { TokenizerFileError } from "../errors.js";
import { ByteLevelBpeModel } from "../bpe/bpe-model.js";
import type { GLMTokenizer } from "../glm/glm-tokenizer.js";
import type { CommandVariant, GlmFamily } from "../glm/command-tokens.js";
import { SentencePieceModel } from "../sentencepiece/sentencepiece-model.js";
import { WordPieceModel } from "../wordpiece/wordpiece-model.js";
import { bpeTokenizer, sentencePieceTokenizer, wordPieceTokenizer, type LoadOptions } from "./build.js";
import { vocabFromObject } from "./parse-vocab.js";

interface Meta {
  family: GlmFamily;
  variant: CommandVariant;
  fixCommandToken: boolean;
}

export function toTokenizerJson(t: GLMTokenizer, meta: Meta): unknown {
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
      model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: m.merges.map(([a, b]) => `${a} ${b}`) },
      glmjs,
    };
  }
  if (m instanceof SentencePieceModel) {
    return { ...base, model: { type: "glmjs-sentencepiece" }, glmjs: { ...glmjs, sentencepieceModel: toBase64(m.protoBytes) } };
  }
  throw new Error("toTokenizerJson: unknown text model");
}

export function fromTokenizerJson(text: string, file = "tokenizer.json", options: LoadOptions = {}): GLMTokenizer {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new TokenizerFileError(file, `is not valid JSON (${(e as Error).message})`);
  }
  if (doc === null || typeof doc !== "object") throw new TokenizerFileError(file, "must be a JSON object");
  const model = doc.model as Record<string, unknown> | undefined;
  if (!model || typeof model !== "object") throw new TokenizerFileError(file, 'has no "model" object');
  const glmjs = (doc.glmjs ?? null) as Record<string, unknown> | null;
  const opts: LoadOptions = { ...options };
  let override: { tokens: CommandToken[]; numTokens: number } | undefined;
  if (glmjs && typeof glmjs === "object") {
    if (!options.family && typeof glmjs.family === "string") opts.family = glmjs.family as GlmFamily;
    if (!options.variant && typeof glmjs.variant === "string") opts.variant = glmjs.variant as CommandVariant;
    if (options.fixCommandToken === undefined && typeof glmjs.fixCommandToken === "boolean") opts.fixCommandToken = glmjs.fixCommandToken;
    if (!options.variant && !options.family && Array.isArray(glmjs.commandTokens) && typeof glmjs.numTokens === "number")
      override = { tokens: checkCommandTokens(glmjs.commandTokens, file), numTokens: glmjs.numTokens };
  }
  switch (model.type) {
    case "WordPiece": {
      const vocab = vocabObject(model, file);
      const ids = vocabFromObject(vocab, `${file} model.vocab`);
      const list: string[] = [];
      for (const [tok, id] of ids) list[id] = tok;
      for (let i = 0; i < list.length; i++) if (list[i] === undefined) throw new TokenizerFileError(file, `model.vocab has no token with id ${i}`);
      const normalizer = doc.normalizer as Record<string, unknown> | null | undefined;
      return wordPieceTokenizer(
        list,
        file,
        opts,
        {
          unkToken: typeof model.unk_token === "string" ? model.unk_token : "[UNK]",
          continuingSubwordPrefix: typeof model.continuing_subword_prefix === "string" ? model.continuing_subword_prefix : "##",
          maxInputCharsPerWord: typeof model.max_input_chars_per_word === "number" ? model.max_input_chars_per_word : 100,
          lowerCase: normalizer && typeof normalizer.lowercase === "boolean" ? normalizer.lowercase : true,
        },
        override,
      );
    }
    case "BPE": {
      const vocab = vocabFromObject(vocabObject(model, file), `${file} model.vocab`);
      if (!Array.isArray(model.merges)) throw new TokenizerFileError(file, "model.merges must be an array");
      const merges = model.merges.map((m: unknown, i: number): [string, string] => {
        const pair = typeof m === "string" ? m.split(" ") : m;
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string")
          throw new TokenizerFileError(file, `model.merges[${i}] is not a pair "left right"`);
        return [pair[0], pair[1]];
      });
      return bpeTokenizer(vocab, merges, { vocabFile: `${file} model.vocab`, mergesFile: `${file} model.merges` }, opts, override);
    }
    case "glmjs-sentencepiece": {
      if (!glmjs || typeof glmjs.sentencepieceModel !== "string") throw new TokenizerFileError(file, "glmjs.sentencepieceModel (base64 .model) is missing");
      return sentencePieceTokenizer(fromBase64(glmjs.sentencepieceModel), `${file} glmjs.sentencepieceModel`, opts, override);
    }
    default:
      throw new TokenizerFileError(file, `model.type ${JSON.stringify(model.type)} is not supported (WordPiece or BPE)`);
  }
}

function vocabObject(model: Record<string, unknown>, file: string): Record<string, unknown> {
  const v = model.vocab;
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new TokenizerFileError(file, "model.vocab must be an object token → id");
  return v as Record<string, unknown>;
}

function checkCommandTokens(list: unknown[], file: string): CommandToken[] {
  return list.map((c, i) => {
    const o = c as Record<string, unknown>;
    if (!o || typeof o.name !== "string" || typeof o.token !== "string" || typeof o.id !== "number")
      throw new TokenizerFileError(file, `glmjs.commandTokens[${i}] needs name, token and id`);
    return { name: o.name, token: o.token, id: o.id, lstrip: o.lstrip === true, rstrip: o.rstrip === true };
  });
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
