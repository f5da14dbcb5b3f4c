// loadTokenizer: from a path (Node) or from an object of file contents (anywhere). Works out
// which tokenizer the files describe: tokenizer.json, a Hugging Face GLM model folder
// (tokenizer_config.json names the class), vocab.txt, vocab.json + merges.txt, or a `.model`.
import { GlmjsError } from "@glmjs/common";
import { HubError, openModelRepo, resolveModelSource, type HubOptions, type ModelRepo } from "@glmjs/hub";
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

/** Options of {@link loadTokenizer}: the tokenizer's (family, variant, …) and, for hub ids and URLs, the hub's (revision, token, offline, …). */
export type LoadTokenizerOptions = LoadOptions & HubOptions;

/**
 * A GLM tokenizer from a hub id ("THUDM/glm-large", "org/name@revision"; through the hub cache of
 * @glmjs/hub), an http(s) URL of a model folder, a path (Node: a file or folder; an existing path
 * wins over a hub id of the same shape), or an object of file contents (anywhere).
 */
export async function loadTokenizer(source: string | TokenizerFiles, options: LoadTokenizerOptions = {}): Promise<GLMTokenizer> {
  if (typeof source !== "string") return tokenizerFromFiles(source, options, "the given files");
  const where = await resolveModelSource(source);
  if (where.kind !== "path") {
    try {
      const repo = await openModelRepo(where, options);
      return tokenizerFromFiles(await tokenizerFilesFromRepo(repo), options, repo.id);
    } catch (err) {
      // A mistyped local path can look like an id ("vocab/bert.txt"): say that no such path exists either.
      if (where.kind === "hub" && HubError.is(err, "HUB_NOT_FOUND")) {
        throw new HubError(
          "HUB_NOT_FOUND",
          where.repo,
          (err as HubError).file,
          `${(err as HubError).detail} (and there is no local file or folder named ${source})`,
          { status: (err as HubError).status, cause: err },
        );
      }
      throw err;
    }
  }
  const { readTokenizerFiles } = await import("./node-files.js");
  const { files, label } = await readTokenizerFiles(source);
  return tokenizerFromFiles(files, options, label);
}

/** The files each GLM tokenizer class of the hub reads (the classes' vocab_files_names). */
const HF_CLASS_FILES: Record<GlmFamily, string[]> = {
  bert: ["vocab.txt"],
  gpt2: ["vocab.json", "merges.txt"],
  roberta: ["vocab.json", "merges.txt"],
  "chinese-sp": ["cog-pretrain.model"],
};

/**
 * The tokenizer files of a hub repository or web folder: tokenizer_config.json decides the GLM
 * class and so the files (as the hub's tokenization_glm.py does); without it, the first of
 * tokenizer.json, vocab.txt, vocab.json + merges.txt, a SentencePiece model that exists.
 */
export async function tokenizerFilesFromRepo(repo: ModelRepo): Promise<TokenizerFiles> {
  const files: TokenizerFiles = {};
  const config = await repo.text("tokenizer_config.json", { optional: true });
  const family = config === undefined ? undefined : HF_CLASSES[readConfigClass(config) ?? ""];
  if (config !== undefined) files["tokenizer_config.json"] = config;
  if (family) {
    for (const name of HF_CLASS_FILES[family]) files[name] = name.endsWith(".model") ? (await repo.bytes(name))! : (await repo.text(name))!;
    // glm-10b-chinese's config.json marks the fixed gMASK id as a bad word (GLM.md §3.5).
    if (family === "chinese-sp") {
      const modelConfig = await repo.text("config.json", { optional: true });
      if (modelConfig !== undefined) files["config.json"] = modelConfig;
    }
    return files;
  }
  const json = await repo.text("tokenizer.json", { optional: true });
  if (json !== undefined) return { ...files, "tokenizer.json": json };
  for (const group of [["vocab.txt"], ["vocab.json", "merges.txt"], ["cog-pretrain.model"], ["spiece.model"], ["tokenizer.model"]]) {
    const first = group[0]!.endsWith(".model") ? await repo.bytes(group[0]!, { optional: true }) : await repo.text(group[0]!, { optional: true });
    if (first === undefined) continue;
    files[group[0]!] = first;
    for (const name of group.slice(1)) files[name] = (await repo.text(name))!;
    return files;
  }
  throw new TokenizerFileError(
    repo.id,
    "has no tokenizer files (tokenizer_config.json naming a GLM tokenizer class, tokenizer.json, vocab.txt, vocab.json + merges.txt, or a SentencePiece .model)",
  );
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
      throw new GlmjsError(
        "TOKENIZER_FILE_INVALID",
        `${label}: no tokenizer files found (expected tokenizer.json, vocab.txt, vocab.json + merges.txt, or a SentencePiece .model)`,
      );
    throw new GlmjsError(
      "TOKENIZER_FILE_INVALID",
      `${label}: holds several tokenizers (${[...models, ...vocabTxt, ...vocabJson].join(", ")}); pass one file, or set options.family`,
    );
  }
  if (kind === "sp") {
    const file = one(models, ".model", label);
    const tok = sentencePieceTokenizer(asBytes(files, file), file, opts);
    // A model trained without --fix-command-token (glm-10b-chinese: gMASK = eop) is published with
    // the fixed gMASK id listed in config.json's bad_words_id (GLM.md §3.5): use its training ids.
    if (options.fixCommandToken === undefined && names.includes("config.json") && badWords(asText(files, "config.json")).includes(tok.special.gMask)) {
      return sentencePieceTokenizer(asBytes(files, file), file, { ...opts, fixCommandToken: false });
    }
    return tok;
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

function badWords(configText: string): number[] {
  try {
    const ids = (JSON.parse(configText) as { bad_words_id?: unknown }).bad_words_id;
    return Array.isArray(ids) ? ids.filter((x): x is number => typeof x === "number") : [];
  } catch {
    return [];
  }
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
