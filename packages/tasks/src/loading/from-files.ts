// loadGLMFromFiles: a model folder given as file contents (a browser's directory picker,
// fetched URLs): config.json + model.safetensors or pytorch_model.bin + the tokenizer's files.
import { loadModel } from "@glmjs/core";
import { tokenizerFromFiles } from "@glmjs/tokenizer";
import { type LoadedGLM, isTokenizerFile, pair } from "./loaded-glm.js";

/** File name (a path is reduced to its base name) → contents. */
export type ModelFiles = Record<string, Uint8Array | ArrayBuffer | string>;

export interface LoadGLMOptions {
  /** A glmjs backend to activate before the weights are created ("wasm", "webgpu", …). */
  backend?: string;
}

const WEIGHT_FILES = ["model.safetensors", "pytorch_model.bin"];

export async function loadGLMFromFiles(files: ModelFiles, options: LoadGLMOptions = {}): Promise<LoadedGLM> {
  const where = "loadGLMFromFiles";
  if (files === null || typeof files !== "object") throw new Error(`${where}: pass an object { fileName: contents }`);
  const byName = new Map<string, Uint8Array | string>();
  for (const [path, content] of Object.entries(files)) {
    const name = path.split(/[\\/]/).pop()!;
    if (byName.has(name)) throw new Error(`${where}: two files are named ${name}; pass one model folder`);
    byName.set(name, content instanceof ArrayBuffer ? new Uint8Array(content) : content);
  }
  const weightsName = WEIGHT_FILES.find((n) => byName.has(n));
  if (!weightsName) {
    const sharded = [...byName.keys()].some((n) => n.endsWith(".index.json"));
    throw new Error(`${where}: no weights: expected ${WEIGHT_FILES.join(" or ")}${sharded ? " (sharded checkpoints load from disk with loadGLM in @glmjs/tasks/node)" : ""}`);
  }
  const weights = byName.get(weightsName)!;
  if (typeof weights === "string") throw new Error(`${where}: ${weightsName} must be bytes (Uint8Array or ArrayBuffer), not text`);
  const tokenizerFiles = Object.fromEntries([...byName].filter(([n]) => isTokenizerFile(n)));
  if (Object.keys(tokenizerFiles).length === 0) {
    throw new Error(`${where}: no tokenizer among the files (${[...byName.keys()].join(", ")}): add tokenizer.json (or vocab.txt, vocab.json + merges.txt, a SentencePiece .model)`);
  }
  // The tokenizer first: it is cheap, and a bad one should fail before megabytes of weights are built.
  const tokenizer = tokenizerFromFiles(tokenizerFiles, {}, "the given files");
  const configFile = byName.get("config.json");
  const config = configFile === undefined ? undefined : JSON.parse(typeof configFile === "string" ? configFile : new TextDecoder().decode(configFile));
  const model = await loadModel({ weights, fileName: weightsName, config }, { backend: options.backend });
  return pair(model, tokenizer, where);
}
