// loadModel: a GLM from a weights file, a sharded index, a Hugging Face GLM folder, or bytes.
import { useBackend } from "../backend/registry.js";
import { type CheckpointContents, readCheckpointBytes } from "@glmjs/checkpoint";
import { readCheckpoint, readFileBytes } from "@glmjs/checkpoint/node";
import { GlmjsError, importNode } from "@glmjs/common";
import { GLMConfigError, type GLMConfig, parseConfigJson, validateConfig } from "../config/glm-config.js";
import { GLMModel } from "../model/glm-model.js";
import { CONFIG_METADATA_KEY } from "./metadata.js";

/** Weights already in memory (e.g. fetched in a browser). */
export interface InMemoryCheckpoint {
  /** safetensors or pytorch_model.bin bytes, or contents already read. */
  weights: Uint8Array | CheckpointContents;
  /** Used in error messages. Default "weights". */
  fileName?: string;
  /** The config (a parsed config.json); else the safetensors metadata's `glm_config`. */
  config?: unknown;
}

export interface LoadModelOptions {
  /** A glmjs backend name ("cpu", "wasm", "webgpu", …) to activate before the weights are created. */
  backend?: string;
}


/**
 * Loads a model. `source` is a folder (config.json + model.safetensors / pytorch_model.bin /
 * a sharded *.index.json, as Hugging Face GLM repos and glmjs's save() write them), a weights or
 * index file (its config from a config.json beside it, else from the safetensors metadata), or
 * an in-memory checkpoint. Nothing in a checkpoint is ever executed.
 */
export async function loadModel(source: string | InMemoryCheckpoint, options: LoadModelOptions = {}): Promise<GLMModel> {
  if (options.backend) await useBackend(options.backend);
  if (typeof source !== "string") {
    const name = source.fileName ?? "weights";
    const contents = source.weights instanceof Uint8Array ? readCheckpointBytes(source.weights, name) : source.weights;
    const config = source.config !== undefined ? validateConfig(source.config, `${name}: config`) : configFromMetadata(contents, name);
    return GLMModel.fromNamedArrays(config, contents.tensors, name);
  }
  const { fs, path } = await node();
  const stat = await fs.stat(source).catch(() => undefined);
  if (!stat) throw new GlmjsError("FILE_NOT_FOUND", `loadModel: ${source} does not exist`);
  const dir = stat.isDirectory() ? source : path.dirname(source);
  const configPath = path.join(dir, "config.json");
  const contents = await readCheckpoint(source);
  const config = (await fs.stat(configPath).then((s) => s.isFile(), () => false))
    ? parseConfigJson(new TextDecoder().decode(await readFileBytes(configPath)), configPath)
    : configFromMetadata(contents, source);
  return GLMModel.fromNamedArrays(config, contents.tensors, stat.isDirectory() ? path.join(source, "<weights>") : source);
}

function configFromMetadata(contents: CheckpointContents, name: string): GLMConfig {
  const text = contents.metadata[CONFIG_METADATA_KEY];
  if (text === undefined) {
    throw new GLMConfigError(`${name}: no config: put the model's config.json beside the weights, or pass { config } (the file's metadata has no "${CONFIG_METADATA_KEY}")`);
  }
  return parseConfigJson(text, `${name} (metadata "${CONFIG_METADATA_KEY}")`);
}

async function node() {
  const [fs, path] = await Promise.all([importNode("node:fs/promises", "loadModel(path)"), importNode("node:path", "loadModel(path)")]);
  return { fs, path };
}
