// What `--model <path>` may name, for every command that runs a model:
// - a model folder (config.json + weights, with its tokenizer beside or in the parent), as
//   `glm pretrain`/`glm finetune` write to <run>/model and GLMModel.save() / Hugging Face write;
// - a run folder of `glm pretrain`/`glm finetune`: its model/ folder, or — while the run is still
//   going, or when its latest checkpoint is newer than model/ — the weights of that checkpoint;
// - a training checkpoint file (<run>/checkpoints/step-….safetensors), weights only;
// - a Hugging Face hub id ("THUDM/glm-large", "org/name@revision") or the URL of a model folder,
//   downloaded into the hub cache (HF_ENDPOINT, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_TOKEN) with its
//   tokenizer files; a local path of the same spelling wins.
// A checkpoint's config is the one it records, its tokenizer the run folder's tokenizer.json.
import { GlmjsError } from "@glmjs/common";
import { open, readFile, readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { GLMModel, type GLMConfig, parseConfigJson, readSafetensors, useBackend, validateConfig } from "@glmjs/core";
import { type LoadedGLM, tokenizerSpecialIds } from "@glmjs/tasks";
import { loadGLM } from "@glmjs/tasks/node";
import { openModelRepo, resolveModelSource } from "@glmjs/hub";
import { loadTokenizer } from "@glmjs/tokenizer";
import { downloadProgress } from "../terminal/download-progress.js";

const TRAIN_METADATA_KEY = "glmjs_train";

/** Where the weights of `--model` come from. */
export type ModelSource = { kind: "folder"; dir: string } | { kind: "checkpoint"; file: string; runDir: string; step?: number } | { kind: "hub"; id: string };

/** What a source names, for records and messages: the folder, the checkpoint file, or the hub id / URL. */
export function sourceName(source: ModelSource): string {
  return source.kind === "folder" ? source.dir : source.kind === "checkpoint" ? source.file : source.id;
}

export interface ModelArg extends LoadedGLM {
  source: ModelSource;
  /** One line for the user: what was loaded. */
  description: string;
}

/** Resolves `--model <path>` without reading weights. */
export async function resolveModelArg(path: string, flag = "--model"): Promise<ModelSource> {
  const abs = resolve(path);
  const s = await stat(abs).catch(() => undefined);
  if (!s) {
    if ((await resolveModelSource(path)).kind !== "path") return { kind: "hub", id: path };
    throw new GlmjsError("FILE_NOT_FOUND", `${flag} ${path}: no such file or folder (nor a hub id "org/name" or an http(s) URL)`);
  }
  if (s.isFile()) {
    if (!abs.endsWith(".safetensors"))
      throw new GlmjsError("OPTION_INVALID", `${flag} ${path}: give a model folder, a run folder or a training checkpoint (.safetensors)`);
    const dir = dirname(abs);
    return { kind: "checkpoint", file: abs, runDir: basename(dir) === "checkpoints" ? dirname(dir) : dir };
  }
  if (await isFile(join(abs, "config.json"))) return { kind: "folder", dir: abs };
  const latest = join(abs, "checkpoints", "latest.json");
  const finished = (await isFile(join(abs, "model", "config.json"))) ? join(abs, "model") : undefined;
  if (await isFile(latest)) {
    // The newer of model/ and the latest checkpoint: a resumed run's checkpoints outdate the model/ an earlier stop wrote.
    if (finished && (await mtime(join(finished, "config.json"))) >= (await mtime(latest))) return { kind: "folder", dir: finished };
    let pointer: { step?: number; file?: string };
    try {
      pointer = JSON.parse(await readFile(latest, "utf8")) as { step?: number; file?: string };
    } catch (e) {
      throw new GlmjsError("CHECKPOINT_INVALID", `${flag} ${path}: checkpoints/latest.json is not valid JSON (${(e as Error).message})`);
    }
    if (typeof pointer.file !== "string") throw new GlmjsError("CHECKPOINT_INVALID", `${flag} ${path}: checkpoints/latest.json names no checkpoint file`);
    return { kind: "checkpoint", file: join(abs, pointer.file), runDir: abs, ...(typeof pointer.step === "number" ? { step: pointer.step } : {}) };
  }
  if (finished) return { kind: "folder", dir: finished };
  const names = await readdir(abs).catch(() => [] as string[]);
  throw new GlmjsError(
    "OPTION_INVALID",
    `${flag} ${path}: not a model folder (config.json + weights), a run folder (model/ or checkpoints/latest.json) or a training checkpoint` +
      (names.length ? ` (it holds ${names.slice(0, 6).join(", ")}${names.length > 6 ? ", …" : ""})` : " (it is empty)"),
  );
}

/** The model's config alone (cheap: no weights are read), to check flags against it before any work. */
export async function readModelConfig(source: ModelSource): Promise<GLMConfig> {
  if (source.kind === "folder") {
    const path = join(source.dir, "config.json");
    return parseConfigJson(await readFile(path, "utf8"), path);
  }
  if (source.kind === "hub") {
    // config.json alone (into the hub cache, where loading the weights finds it again).
    const where = await resolveModelSource(source.id);
    if (where.kind === "path") throw new GlmjsError("OPTION_INVALID", `--model ${source.id}: not a hub id or URL`);
    const repo = await openModelRepo(where);
    return parseConfigJson((await repo.text("config.json"))!, `${source.id}/config.json`);
  }
  return validateConfig(checkpointMeta(await readHeader(source.file), source.file).modelConfig, `${source.file}: modelConfig`);
}

export interface LoadModelArgOptions {
  backend?: string;
  /** Config fields replaced before the weights are built (e.g. dropout for fine-tuning). */
  configOverrides?: Partial<GLMConfig>;
}

/** Loads the model and its tokenizer (checked to belong together). */
export async function loadModelArg(source: ModelSource, options: LoadModelArgOptions = {}): Promise<ModelArg> {
  if (options.backend) await useBackend(options.backend);
  const overrides = options.configOverrides ?? {};
  if (source.kind === "folder" || source.kind === "hub") {
    const name = sourceName(source);
    // Downloads (hub ids, URLs) show their progress on stderr; stdout keeps the results.
    const progress = source.kind === "hub" ? downloadProgress() : undefined;
    let loaded: LoadedGLM;
    try {
      loaded = await loadGLM(name, progress ? { onProgress: progress.onProgress } : {});
    } finally {
      progress?.stop();
    }
    const model = needsOverride(loaded.model.config, overrides) ? await rebuilt(loaded.model, overrides, name) : loaded.model;
    return { ...loaded, model, dispose: () => model.dispose(), source, description: source.kind === "hub" ? `${name} (Hugging Face hub)` : name };
  }
  const bytes = await readFile(source.file);
  const { tensors, metadata } = readSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), source.file);
  const meta = checkpointMeta(metadata, source.file);
  const config = validateConfig({ ...meta.modelConfig, ...overrides }, `${source.file}: modelConfig`);
  const params = new Map([...tensors].flatMap(([key, t]) => (key.startsWith("param/") ? [[key.slice("param/".length), t] as const] : [])));
  const tokenizerPath = join(source.runDir, "tokenizer.json");
  if (!(await isFile(tokenizerPath)))
    throw new GlmjsError("FILE_NOT_FOUND", `${source.file}: the run folder ${source.runDir} has no tokenizer.json to go with the checkpoint`);
  const tokenizer = await loadTokenizer(tokenizerPath);
  if (tokenizer.paddedVocabSize !== config.vocab_size) {
    throw new GlmjsError(
      "TOKENIZER_MISMATCH",
      `${source.file}: the run's tokenizer pads to ${tokenizer.paddedVocabSize} ids but the checkpoint's vocab_size is ${config.vocab_size}; they do not belong together`,
    );
  }
  const model = GLMModel.fromNamedArrays(config, params, source.file);
  const step = meta.step ?? source.step;
  return {
    model,
    tokenizer,
    specialIds: tokenizerSpecialIds(tokenizer),
    dispose: () => model.dispose(),
    source,
    description: `${source.file} (training checkpoint${step !== undefined ? ` at step ${step}` : ""}, weights only)`,
  };
}

function needsOverride(config: GLMConfig, overrides: Partial<GLMConfig>): boolean {
  return Object.entries(overrides).some(([k, v]) => (config as unknown as Record<string, unknown>)[k] !== v);
}

/** The same weights under a changed config (the old model is freed). */
async function rebuilt(model: GLMModel, overrides: Partial<GLMConfig>, source: string): Promise<GLMModel> {
  const config = validateConfig({ ...model.config, ...overrides }, `${source}: config`);
  const arrays = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, v] of model.namedVariables()) arrays.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array });
  model.dispose();
  return GLMModel.fromNamedArrays(config, arrays, source);
}

interface TrainMeta {
  modelConfig: object;
  step?: number;
}

function checkpointMeta(metadata: Record<string, string>, file: string): TrainMeta {
  const raw = metadata[TRAIN_METADATA_KEY];
  if (raw === undefined)
    throw new GlmjsError("CHECKPOINT_INVALID", `${file} is not a glmjs training checkpoint (no "${TRAIN_METADATA_KEY}" metadata); give a model folder instead`);
  const meta = JSON.parse(raw) as TrainMeta;
  if (typeof meta.modelConfig !== "object" || meta.modelConfig === null)
    throw new GlmjsError("CHECKPOINT_INVALID", `${file}: the checkpoint records no model config`);
  return meta;
}

/** The `__metadata__` of a safetensors file, reading only its header. */
async function readHeader(file: string): Promise<Record<string, string>> {
  const handle = await open(file, "r");
  try {
    const length = Buffer.alloc(8);
    await handle.read(length, 0, 8, 0);
    const size = Number(length.readBigUInt64LE(0));
    if (!(size > 0 && size < 100_000_000)) throw new GlmjsError("CHECKPOINT_INVALID", `${file} is not a safetensors file (header length ${size})`);
    const header = Buffer.alloc(size);
    await handle.read(header, 0, size, 8);
    const parsed = JSON.parse(header.toString("utf8")) as { __metadata__?: Record<string, string> };
    return parsed.__metadata__ ?? {};
  } finally {
    await handle.close();
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function mtime(path: string): Promise<number> {
  return (await stat(path)).mtimeMs;
}
