// model.save(): glmjs's own folder, a Hugging Face GLM folder, or the original GLM's training
// checkpoint (for its --load on a DeepSpeed cluster), all under the original key names.
import { type CheckpointTensor, type DType, writeSafetensors } from "@glmjs/checkpoint";
import { writeFileAtomic, writeOriginalCheckpoint, writePytorchBinFile, writeSafetensorsFile, writeShardedSafetensors } from "@glmjs/checkpoint/node";
import { GlmjsError, importNode } from "@glmjs/common";
import type { GLMConfig } from "../config/glm-config.js";
import { toHuggingFaceConfig } from "../config/glm-config.js";
import type { tf } from "../tfjs.js";
import { CONFIG_METADATA_KEY } from "./metadata.js";

/** Formats model.save() writes. */
export type SaveFormat = "glmjs" | "huggingface" | "original";

/** Element types of saved weights: float32 (default, exact), or half the size as float16 / bfloat16 (rounded to nearest even). */
export type SaveDType = "float32" | "float16" | "bfloat16";

export interface SaveOptions {
  /**
   * "glmjs" (default): config.json + model.safetensors (config also in its metadata).
   * "huggingface": config.json (HF GLM fields, auto_map to the hub's GLM code) + pytorch_model.bin
   * and model.safetensors under the original key names, loadable by the original THUDM/GLM code
   * (torch.load) and by `transformers` (trust_remote_code).
   * "original": the original GLM code's training checkpoint, what its `--load` / `--load-pretrained`
   * read: `<iteration>/mp_rank_XX_model_states.pt` per model-parallel rank (each `{"module":
   * state_dict, "iteration", "mp_world_size", …}`, divided as its change_mp.py divides them),
   * `latest_checkpointed_iteration.txt` and `latest`, plus config.json for glmjs (`loadModel(dir)`
   * reads the folder back, merging the ranks).
   */
  format?: SaveFormat;
  /** Split model.safetensors into shards of at most this many bytes (+ model.safetensors.index.json). glmjs and huggingface formats. */
  maxShardBytes?: number;
  /** Model-parallel size for format "original" (the `--model-parallel-size` of the run that loads it). Default 1. */
  modelParallel?: number;
  /** The iteration recorded for format "original" (folder name and tracker). Default 0. */
  iteration?: number;
  /** Element type of the weights in the files. Default "float32". */
  dtype?: SaveDType;
}

/** The hub repo whose modeling code an exported folder points at (same architecture for every GLM size). */
export const HF_CODE_REPO = "THUDM/glm-large";

const FILE_DTYPE: Record<SaveDType, DType> = { float32: "F32", float16: "F16", bfloat16: "BF16" };
const TORCH_DTYPE: Record<SaveDType, string> = { float32: "float32", float16: "float16", bfloat16: "bfloat16" };

/** A glmjs model folder held in memory: what `save(dir)` writes, as `loadGLMFromFiles` / a download take it. */
export interface ModelFolderFiles {
  "config.json": string;
  "model.safetensors": Uint8Array;
}

/** The weights read back from the backend (in the file's dtype), and the safetensors metadata (the config under `glm_config`). */
async function savedContents(config: GLMConfig, variables: Map<string, tf.Variable>, format: SaveFormat, dtype: SaveDType) {
  const tensors = new Map<string, CheckpointTensor>();
  for (const [name, v] of variables) tensors.set(name, { dtype: FILE_DTYPE[dtype], shape: [...v.shape], data: (await v.data()) as Float32Array });
  const configJson = format === "glmjs" ? { ...config } : huggingFaceConfig(config, TORCH_DTYPE[dtype]);
  const metadata = { format: "pt", [CONFIG_METADATA_KEY]: JSON.stringify(configJson), source: "glmjs" };
  return { tensors, configText: JSON.stringify(configJson, null, 2) + "\n", metadata };
}

/** The files of `save(dir)` in the glmjs format, in memory (any runtime: a browser offers them for download). */
export async function modelFiles(config: GLMConfig, variables: Map<string, tf.Variable>): Promise<ModelFolderFiles> {
  const { tensors, configText, metadata } = await savedContents(config, variables, "glmjs", "float32");
  return { "config.json": configText, "model.safetensors": writeSafetensors(tensors, metadata, "model.safetensors") };
}

/** Writes the model's weights and config into `dir` (created if needed); every file atomically. */
export async function saveModel(config: GLMConfig, variables: Map<string, tf.Variable>, dir: string, options: SaveOptions = {}): Promise<void> {
  const format = options.format ?? "glmjs";
  if (format !== "glmjs" && format !== "huggingface" && format !== "original") {
    throw new GlmjsError("OPTION_INVALID", `save(): format must be "glmjs", "huggingface" or "original", got ${JSON.stringify(format)}`);
  }
  const dtype = options.dtype ?? "float32";
  if (!Object.prototype.hasOwnProperty.call(FILE_DTYPE, dtype))
    throw new GlmjsError("OPTION_INVALID", `save(): dtype must be "float32", "float16" or "bfloat16", got ${JSON.stringify(dtype)}`);
  if (format !== "original" && (options.modelParallel !== undefined || options.iteration !== undefined)) {
    throw new GlmjsError("OPTION_INVALID", `save(): modelParallel and iteration apply to format "original" only (got format "${format}")`);
  }
  if (format === "original" && options.maxShardBytes !== undefined)
    throw new GlmjsError("OPTION_INVALID", `save(): maxShardBytes does not apply to format "original" (its files are divided by model-parallel rank)`);
  const [fs, path] = await Promise.all([importNode("node:fs/promises", "model.save(dir)"), importNode("node:path", "model.save(dir)")]);
  await fs.mkdir(dir, { recursive: true });
  const { tensors, configText, metadata } = await savedContents(config, variables, format, dtype);

  // Weights first, config last: a folder with a config.json always has complete weights.
  if (format === "original") {
    await writeOriginalCheckpoint(dir, tensors, { modelParallel: options.modelParallel, iteration: options.iteration });
  } else {
    if (options.maxShardBytes !== undefined) {
      await writeShardedSafetensors(dir, tensors, { maxShardBytes: options.maxShardBytes, metadata, baseName: "model" });
    } else {
      await writeSafetensorsFile(path.join(dir, "model.safetensors"), tensors, metadata);
    }
    if (format === "huggingface") await writePytorchBinFile(path.join(dir, "pytorch_model.bin"), tensors, { archiveName: "pytorch_model" });
  }
  await writeFileAtomic(path.join(dir, "config.json"), configText);
}

/** config.json as the hub's GLM repos have it, with auto_map pointing at the hub's modeling code. */
export function huggingFaceConfig(config: GLMConfig, torchDtype = "float32"): Record<string, unknown> {
  const base = toHuggingFaceConfig(config);
  return {
    ...base,
    architectures: ["GLMModel"],
    torch_dtype: torchDtype,
    auto_map: {
      AutoConfig: `${HF_CODE_REPO}--configuration_glm.GLMConfig`,
      AutoModel: `${HF_CODE_REPO}--modeling_glm.GLMModel`,
      AutoModelForSeq2SeqLM: `${HF_CODE_REPO}--modeling_glm.GLMForConditionalGeneration`,
      AutoModelForMultipleChoice: `${HF_CODE_REPO}--modeling_glm.GLMForMultipleChoice`,
    },
  };
}
