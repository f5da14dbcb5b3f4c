// loadGLMFromFiles: a model folder given as file contents (a browser's directory picker,
// fetched URLs): config.json + model.safetensors or pytorch_model.bin + the tokenizer's files.
import { GlmjsError } from "@glmjs/common";
import { loadModel } from "@glmjs/core";
import { openModelRepo, resolveModelSource, type HubOptions } from "@glmjs/hub";
import { tokenizerFilesFromRepo, tokenizerFromFiles } from "@glmjs/tokenizer";
import { type LoadedGLM, isTokenizerFile, pair } from "./loaded-glm.js";

/** File name (a path is reduced to its base name) → contents. */
export type ModelFiles = Record<string, Uint8Array | ArrayBuffer | string>;

export interface LoadGLMOptions extends HubOptions {
  /** A glmjs backend to activate before the weights are created ("wasm", "webgpu", …). */
  backend?: string;
}

const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"];

export async function loadGLMFromFiles(files: ModelFiles, options: LoadGLMOptions = {}): Promise<LoadedGLM> {
  const where = "loadGLMFromFiles";
  if (files === null || typeof files !== "object") throw new GlmjsError("INPUT_INVALID", `${where}: pass an object { fileName: contents }`);
  const byName = new Map<string, Uint8Array | string>();
  for (const [path, content] of Object.entries(files)) {
    const name = path.split(/[\\/]/).pop()!;
    if (byName.has(name)) throw new GlmjsError("INPUT_INVALID", `${where}: two files are named ${name}; pass one model folder`);
    byName.set(name, content instanceof ArrayBuffer ? new Uint8Array(content) : content);
  }
  const weightsName = WEIGHT_FILES.find((n) => byName.has(n));
  if (!weightsName) {
    const sharded = [...byName.keys()].some((n) => n.endsWith(".index.json"));
    throw new GlmjsError(
      "FILE_NOT_FOUND",
      `${where}: no weights: expected ${WEIGHT_FILES.join(" or ")}${sharded ? " (sharded checkpoints load from disk with loadGLM in @glmjs/tasks/node)" : ""}`,
    );
  }
  const weights = byName.get(weightsName)!;
  if (typeof weights === "string") throw new GlmjsError("INPUT_INVALID", `${where}: ${weightsName} must be bytes (Uint8Array or ArrayBuffer), not text`);
  const tokenizerFiles: Record<string, Uint8Array | string> = Object.fromEntries([...byName].filter(([n]) => isTokenizerFile(n)));
  if (Object.keys(tokenizerFiles).length === 0) {
    throw new GlmjsError(
      "FILE_NOT_FOUND",
      `${where}: no tokenizer among the files (${[...byName.keys()].join(", ")}): add tokenizer.json (or vocab.txt, vocab.json + merges.txt, a SentencePiece .model)`,
    );
  }
  // config.json goes along with a SentencePiece model: it says which command-token ids the model was trained with.
  const configText = byName.get("config.json");
  if (Object.keys(tokenizerFiles).some((n) => n.endsWith(".model")) && configText !== undefined) tokenizerFiles["config.json"] = configText;
  // The tokenizer first: it is cheap, and a bad one should fail before megabytes of weights are built.
  const tokenizer = tokenizerFromFiles(tokenizerFiles, {}, "the given files");
  const configFile = byName.get("config.json");
  const config = configFile === undefined ? undefined : JSON.parse(typeof configFile === "string" ? configFile : new TextDecoder().decode(configFile));
  const model = await loadModel({ weights, fileName: weightsName, config }, { backend: options.backend });
  return pair(model, tokenizer, where);
}

/**
 * A model and its tokenizer from a hub id ("THUDM/glm-large", "org/name@revision") or the URL of a
 * model folder, in any runtime: Node downloads into the hub cache (see @glmjs/hub), browsers fetch
 * and keep the files in the Cache API. (In Node, loadGLM of "@glmjs/tasks/node" takes folders too.)
 */
export async function loadGLMFromHub(source: string, options: LoadGLMOptions = {}): Promise<LoadedGLM> {
  const where = await resolveModelSource(source);
  if (where.kind === "path")
    throw new GlmjsError(
      "INPUT_INVALID",
      `loadGLMFromHub: ${source} is neither a hub id ("org/name") nor a URL; load folders with loadGLM of @glmjs/tasks/node`,
    );
  const repo = await openModelRepo(where, options);
  // The tokenizer first: it is small, and a repository without one should fail before the weights download.
  const tokenizer = tokenizerFromFiles(await tokenizerFilesFromRepo(repo), {}, repo.id);
  const model = await loadModel(source, options);
  return pair(model, tokenizer, `loadGLMFromHub(${source})`);
}
