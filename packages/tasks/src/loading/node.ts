// loadGLM (Node): a model folder written by `glm pretrain`, `glm finetune`, GLMModel.save() or a
// Hugging Face GLM repo, with its tokenizer from the folder or, failing that, from its parent
// (`glm pretrain --out run/` writes run/model/ and run/tokenizer.json).
import { GlmjsError } from "@glmjs/common";
import { readdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { loadModel } from "@glmjs/core";
import { resolveModelSource } from "@glmjs/hub";
import { type GLMTokenizer, loadTokenizer } from "@glmjs/tokenizer";
import { loadGLMFromHub, type LoadGLMOptions } from "./from-files.js";
import { type LoadedGLM, isTokenizerFile, pair } from "./loaded-glm.js";

/**
 * A model with its tokenizer: a folder, or a hub id ("THUDM/glm-roberta-large", "org/name@revision")
 * or URL (downloaded into the hub cache; an existing folder of the same name wins).
 */
export async function loadGLM(dir: string, options: LoadGLMOptions = {}): Promise<LoadedGLM> {
  const where = "loadGLM";
  if ((await resolveModelSource(dir)).kind !== "path") return loadGLMFromHub(dir, options);
  const folder = resolve(dir);
  const s = await stat(folder).catch(() => undefined);
  if (!s) throw new GlmjsError("FILE_NOT_FOUND", `${where}: ${dir} does not exist`);
  if (!s.isDirectory()) throw new GlmjsError("FILE_UNREADABLE", `${where}: ${dir} is not a folder (give the model folder: config.json, weights, tokenizer)`);
  const tokenizer = await findTokenizer(folder, where);
  const model = await loadModel(folder, options);
  return pair(model, tokenizer, `${where}(${dir})`);
}

async function findTokenizer(folder: string, where: string): Promise<GLMTokenizer> {
  for (const candidate of [folder, dirname(folder)]) {
    const names = await readdir(candidate).catch(() => [] as string[]);
    if (names.some(isTokenizerFile)) return loadTokenizer(candidate);
  }
  throw new GlmjsError(
    "FILE_NOT_FOUND",
    `${where}: no tokenizer in ${folder} or its parent: put the model's tokenizer.json (or vocab.txt, vocab.json + merges.txt, a SentencePiece .model) beside config.json`,
  );
}
