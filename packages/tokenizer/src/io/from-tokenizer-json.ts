// Hugging Face `tokenizer.json` → GLM tokenizer: WordPiece and byte-level BPE documents as the
// `tokenizers` library writes them, plus the `glmjs` section (GLM's command tokens, and a
// SentencePiece model as base64) that to-tokenizer-json.ts adds.
import type { CommandToken } from "../types.js";
import { TokenizerFileError } from "../errors.js";
import type { GLMTokenizer } from "../glm/glm-tokenizer.js";
import type { CommandVariant, GlmFamily } from "../glm/command-tokens.js";
import { bpeTokenizer, sentencePieceTokenizer, wordPieceTokenizer, type LoadOptions } from "./build.js";
import { vocabFromObject } from "./parse-vocab.js";

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

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
