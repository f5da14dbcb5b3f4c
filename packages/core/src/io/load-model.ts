// loadModel: a GLM from a hub id, a URL, a folder (Hugging Face GLM, glmjs, or the original GLM's
// training checkpoint), a weights or index file, or bytes. Weights are read tensor by tensor, so a
// checkpoint over 2 GiB loads without ever being one buffer.
import { useBackend } from "../backend/registry.js";
import {
  CheckpointError,
  bytesRangeSource,
  lazyFromContents,
  openCheckpoint,
  parseShardIndex,
  readCheckpointBytes,
  readShardedCheckpointWith,
  type CheckpointContents,
  type LazyCheckpoint,
} from "@glmjs/checkpoint";
import { CHECKPOINT_FILE_NAMES, isOriginalCheckpointDir, openCheckpointPath, readFileBytes } from "@glmjs/checkpoint/node";
import { GlmjsError, importNode } from "@glmjs/common";
import { HubError, openModelRepo, resolveModelSource, type HubOptions, type ModelRepo } from "@glmjs/hub";
import { GLMConfigError, type GLMConfig, type GLMConfigInput, parseConfigJson, validateConfig } from "../config/glm-config.js";
import { inferConfigFromShapes } from "../config/infer.js";
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

export interface LoadModelOptions extends HubOptions {
  /** A glmjs backend name ("cpu", "wasm", "webgpu", …) to activate before the weights are created. */
  backend?: string;
  /**
   * Config fields that complete or override the checkpoint's own config. A training checkpoint of
   * the original GLM code has none (its architecture was on the command line): the shapes give
   * every size but the number of attention heads, which this must supply when no config.json is
   * beside the checkpoint, e.g. `{ num_attention_heads: 16 }`.
   */
  config?: Partial<GLMConfigInput>;
}

/**
 * Loads a model. `source` is a hub id ("THUDM/glm-large", "org/name@revision"; downloaded through
 * the hub cache, see @glmjs/hub), an http(s) URL of a model folder, a local folder (config.json +
 * model.safetensors / pytorch_model.bin / a sharded *.index.json, as Hugging Face GLM repos and
 * glmjs's save() write them, or the original GLM's training checkpoint:
 * latest_checkpointed_iteration.txt + <iteration>/mp_rank_XX_model_states.pt, model-parallel ranks
 * merged), a weights or index file (config from a config.json beside it, else from the safetensors
 * metadata), or an in-memory checkpoint. An existing local path wins over a hub id of the same
 * shape. Nothing in a checkpoint is ever executed.
 */
export async function loadModel(source: string | InMemoryCheckpoint, options: LoadModelOptions = {}): Promise<GLMModel> {
  if (options.backend) await useBackend(options.backend);
  if (typeof source !== "string") {
    const name = source.fileName ?? "weights";
    const contents = source.weights instanceof Uint8Array ? readCheckpointBytes(source.weights, name) : source.weights;
    const given = source.config !== undefined && options.config ? { ...(source.config as object), ...options.config } : source.config;
    const raw = given !== undefined ? validateConfig(given, `${name}: config`) : configOf(contents.metadata, undefined, options, name);
    return GLMModel.fromNamedArrays(raw, contents.tensors, name);
  }
  const where = await resolveModelSource(source);
  if (where.kind === "path") return loadFromPath(where.path, options);
  let repo: ModelRepo;
  try {
    repo = await openModelRepo(where, options);
    return repo.path ? await loadFromHubCache(repo, options) : await loadFromRepo(repo, options);
  } catch (err) {
    if (where.kind === "hub" && HubError.is(err, "HUB_NOT_FOUND")) {
      throw new HubError("HUB_NOT_FOUND", where.repo, (err as HubError).file, `${(err as HubError).detail} (and there is no local folder named ${source})`, {
        status: (err as HubError).status,
        cause: err,
      });
    }
    throw err;
  }
}

/** The first weights file the repository has, in the order a folder is searched. */
async function firstWeights<T>(repo: ModelRepo, fetchOne: (name: string) => Promise<T | undefined>): Promise<{ name: string; value: T }> {
  for (const name of CHECKPOINT_FILE_NAMES) {
    const value = await fetchOne(name);
    if (value !== undefined) return { name, value };
  }
  throw new HubError("HUB_NOT_FOUND", repo.id, undefined, `no weights: none of ${CHECKPOINT_FILE_NAMES.join(", ")} is in the repository`);
}

/** Node, hub repositories: every needed file into the hub cache, then the snapshot folder as a local checkpoint. */
async function loadFromHubCache(repo: ModelRepo, options: LoadModelOptions): Promise<GLMModel> {
  await repo.path!("config.json");
  const weights = await firstWeights(repo, (name) => repo.path!(name, { optional: true }));
  if (weights.name.endsWith(".index.json")) {
    const index = parseShardIndex(new TextDecoder().decode(await readFileBytes(weights.value)), weights.name);
    for (const shard of new Set(Object.values(index.weight_map))) await repo.path!(shard);
  }
  return loadFromPath(weights.value, options);
}

/** Browsers and web folders: the files as bytes (kept in the Cache API in browsers). */
async function loadFromRepo(repo: ModelRepo, options: LoadModelOptions): Promise<GLMModel> {
  const configText = (await repo.text("config.json"))!;
  const label = `${repo.id}/config.json`;
  const weights = await firstWeights(repo, (name) => repo.bytes(name, { optional: true }));
  let checkpoint: LazyCheckpoint;
  if (weights.name.endsWith(".index.json")) {
    const index = parseShardIndex(new TextDecoder().decode(weights.value), weights.name);
    const contents = await readShardedCheckpointWith(index, weights.name, async (file) => (await repo.bytes(file))!);
    checkpoint = lazyFromContents({ format: weights.name.endsWith(".bin.index.json") ? "pytorch" : "safetensors", ...contents }, `${repo.id}/${weights.name}`);
  } else {
    checkpoint = await openCheckpoint(bytesRangeSource(weights.value, `${repo.id}/${weights.name}`));
  }
  const config = validateConfig({ ...(JSON.parse(checkJson(configText, label)) as object), ...options.config }, label);
  return GLMModel.fromCheckpoint(config, checkpoint, `${repo.id}/${weights.name}`);
}

function checkJson(text: string, label: string): string {
  parseConfigJson(text, label); // the same errors as a local config.json
  return text;
}

async function loadFromPath(source: string, options: LoadModelOptions): Promise<GLMModel> {
  const [fs, path] = await Promise.all([importNode("node:fs/promises", "loadModel(path)"), importNode("node:path", "loadModel(path)")]);
  const stat = await fs.stat(source).catch(() => undefined);
  if (!stat)
    throw new GlmjsError(
      "FILE_NOT_FOUND",
      `loadModel: ${source} does not exist (give a folder, a weights file, a *.index.json, a hub id like "THUDM/glm-large" or a URL)`,
    );
  const dir = stat.isDirectory() ? source : path.dirname(source);
  const checkpoint = await openCheckpointPath(source);
  // config.json beside the weights; for the original layout also above an iteration folder.
  const candidates = [path.join(dir, "config.json")];
  if (stat.isDirectory() && (await isOriginalCheckpointDir(dir))) candidates.push(path.join(dir, "..", "config.json"));
  let configText: { text: string; file: string } | undefined;
  for (const file of candidates) {
    if (
      await fs.stat(file).then(
        (s) => s.isFile(),
        () => false,
      )
    ) {
      configText = { text: new TextDecoder().decode(await readFileBytes(file)), file };
      break;
    }
  }
  const label = stat.isDirectory() ? path.join(source, "<weights>") : source;
  const ranks = checkpoint.checkpointEntries?.mp_world_size;
  if (!stat.isDirectory() && typeof ranks === "number" && ranks > 1) {
    throw new CheckpointError(
      source,
      `is one of ${ranks} model-parallel ranks of a training checkpoint (mp_world_size ${ranks}): load its folder (${dir}), whose ranks are merged`,
    );
  }
  const config = configOf(checkpoint.metadata, configText, options, label, checkpoint);
  return GLMModel.fromCheckpoint(config, checkpoint, label);
}

/** config.json, else the safetensors metadata, else the shapes (+ options.config); options.config always applies last. */
function configOf(
  metadata: Record<string, string>,
  file: { text: string; file: string } | undefined,
  options: LoadModelOptions,
  name: string,
  checkpoint?: LazyCheckpoint,
): GLMConfig {
  const override = options.config ?? {};
  if (file) return validateConfig({ ...(parseConfigJson(file.text, file.file) as object), ...override }, file.file);
  const text = metadata[CONFIG_METADATA_KEY];
  if (text !== undefined)
    return validateConfig(
      { ...(parseConfigJson(text, `${name} (metadata "${CONFIG_METADATA_KEY}")`) as object), ...override },
      `${name} (metadata "${CONFIG_METADATA_KEY}")`,
    );
  if (checkpoint) {
    const inferred = inferConfigFromShapes(checkpoint.tensors);
    if (inferred && override.num_attention_heads !== undefined) return validateConfig({ ...inferred, ...override }, `${name}: config from the weights' shapes`);
    if (inferred) {
      throw new GLMConfigError(
        `${name}: no config.json beside the weights. The shapes give num_layers ${inferred.num_layers}, hidden_size ${inferred.hidden_size}, vocab_size ${inferred.vocab_size}, ` +
          `max_sequence_length ${inferred.max_sequence_length}, but not the number of attention heads: pass { config: { num_attention_heads } } (glm: --num-attention-heads; ` +
          `released GLMs use hidden_size / 64), or put the model's config.json beside the checkpoint`,
      );
    }
  }
  if (Object.keys(override).length > 0) return validateConfig(override, `${name}: options.config`);
  throw new GLMConfigError(
    `${name}: no config: put the model's config.json beside the weights, or pass { config } (the file's metadata has no "${CONFIG_METADATA_KEY}")`,
  );
}
