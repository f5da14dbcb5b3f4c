// loadTokenizer: from a path (Node) or from an object of file contents (anywhere). Works out
// which tokenizer the files describe: tokenizer.json, a Hugging Face GLM model folder
// (tokenizer_config.json names the class), vocab.txt, vocab.json + merges.txt, or a `.model`.
import { GlmjsError } from "@glmjs/common";
import { TokenizerFileError } from "../errors.js";
import type { GlmFamily } from "../glm/command-tokens.js";
import type { GLMTokenizer } from "../glm/glm-tokenizer.js";
import { bpeTokenizer, sentencePieceTokenizer, wordPieceTokenizer, type LoadOptions } from "./build.js";
import { asBytes, asText, type TokenizerFiles } from "./file-map.js";
import { parseMerges, parseVocabJson, parseVocabTxt } from "./parse-vocab.js";
import { fromTokenizerJson } from "./from-tokenizer-json.js";

/** The GLM tokenizer classes of the Hugging Face hub repos and the family each one is. */
const HF_CLASSES: Record<string, GlmFamily> = {
  GLMBertTokenizer: "bert",
  GLMGPT2Tokenizer: "gpt2",
  GLMRobertaTokenizer: "roberta",
  GLMChineseTokenizer: "chinese-sp",
};

export async function loadTokenizer(source: string | TokenizerFiles, options: LoadOptions = {}): Promise<GLMTokenizer> {
  if (typeof source === "string") {
    const { readTokenizerFiles } = await import("./node-files.js");
    const { files, label } = await readTokenizerFiles(source);
    return tokenizerFromFiles(files, options, label);
  }
  return tokenizerFromFiles(source, options, "the given files");
}

export function tokenizerFromFiles(files: TokenizerFiles, options: LoadOptions = {}, label = "the given files"): GLMTokenizer {
  const names = Object.keys(files);
  const find = (pred: (n: string) => boolean): string[] => names.filter(pred).sort();

  const config = names.includes("tokenizer_config.json") ? readConfigClass(asText(files, "tokenizer_config.json")) : undefined;
  const hfFamily = config ? HF_CLASSES[config] : undefined;
  if (names.includes("tokenizer.json") && !hfFamily) return fromTokenizerJson(asText(files, "tokenizer.json"), "tokenizer.json", options);

  const family = options.family ?? hfFamily;
  const opts: LoadOptions = family ? { ...options, family } : options;
  const models = find((n) => n.endsWith(".model"));
  const vocabTxt = find((n) => n.endsWith("vocab.txt"));
  const vocabJson = find((n) => n.endsWith("vocab.json"));

  const wanted = family === "chinese-sp" ? "sp" : family === "bert" ? "wp" : family ? "bpe" : undefined;
  const kinds = [models.length ? "sp" : "", vocabTxt.length ? "wp" : "", vocabJson.length ? "bpe" : ""].filter(Boolean);
  const kind = wanted ?? (kinds.length === 1 ? kinds[0] : undefined);
  if (!kind) {
    if (kinds.length === 0)
      throw new GlmjsError("TOKENIZER_FILE_INVALID", `${label}: no tokenizer files found (expected tokenizer.json, vocab.txt, vocab.json + merges.txt, or a SentencePiece .model)`);
    throw new GlmjsError("TOKENIZER_FILE_INVALID", `${label}: holds several tokenizers (${[...models, ...vocabTxt, ...vocabJson].join(", ")}); pass one file, or set options.family`);
  }
  if (kind === "sp") {
    const file = one(models, ".model", label);
    return sentencePieceTokenizer(asBytes(files, file), file, opts);
  }
  if (kind === "wp") {
    const file = one(vocabTxt, "vocab.txt", label);
    return wordPieceTokenizer(parseVocabTxt(asText(files, file), file), file, opts);
  }
  const vfile = family === "roberta" && vocabJson.includes("roberta-vocab.json") ? "roberta-vocab.json" : one(vocabJson, "vocab.json", label);
  const mfile = mergesFor(vfile, names, label);
  return bpeTokenizer(parseVocabJson(asText(files, vfile), vfile), parseMerges(asText(files, mfile), mfile), { vocabFile: vfile, mergesFile: mfile }, opts);
}

function one(list: string[], what: string, label: string): string {
  if (list.length === 0) throw new GlmjsError("TOKENIZER_FILE_INVALID", `${label}: no ${what} file`);
  if (list.length > 1) throw new GlmjsError("TOKENIZER_FILE_INVALID", `${label}: several ${what} files (${list.join(", ")}); pass the one to use`);
  return list[0]!;
}

/** `x-vocab.json` pairs with `x-merges.txt`, else `merges.txt`, else the only `*merges.txt`. */
export function mergesFor(vocabFile: string, names: readonly string[], label: string): string {
  const prefix = vocabFile.slice(0, vocabFile.length - "vocab.json".length);
  for (const c of [`${prefix}merges.txt`, "merges.txt"]) if (names.includes(c)) return c;
  const any = names.filter((n) => n.endsWith("merges.txt")).sort();
  if (any.length >= 1) return any[0]!;
  throw new TokenizerFileError(vocabFile, `needs a merges file next to it (${prefix}merges.txt or merges.txt) in ${label}`);
}

function readConfigClass(text: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TokenizerFileError("tokenizer_config.json", `is not valid JSON (${(e as Error).message})`);
  }
  const d = doc as Record<string, unknown>;
  if (typeof d.tokenizer_class === "string") return d.tokenizer_class.replace(/Fast$/, "");
  const auto = (d.auto_map as Record<string, unknown> | undefined)?.AutoTokenizer;
  const ref = Array.isArray(auto) ? auto[0] : auto;
  return typeof ref === "string" ? ref.split(".").pop() : undefined;
}
