// model.save(): glmjs's own folder, or a Hugging Face GLM folder under the original key names.
import { type CheckpointTensor, writePytorchBin, writeSafetensors } from "@glmjs/checkpoint";
import { writeFileAtomic, writeSafetensorsFile, writeShardedSafetensors } from "@glmjs/checkpoint/node";
import { GlmjsError, importNode } from "@glmjs/common";
import type { GLMConfig } from "../config/glm-config.js";
import { toHuggingFaceConfig } from "../config/glm-config.js";
import type { tf } from "../tfjs.js";
import { CONFIG_METADATA_KEY } from "./metadata.js";

export interface SaveOptions {
  /**
   * "glmjs" (default): config.json + model.safetensors (config also in its metadata).
   * "huggingface": config.json (HF GLM fields, auto_map to the hub's GLM code) + pytorch_model.bin
   * and model.safetensors under the original key names, loadable by the original THUDM/GLM code
   * (torch.load) and by `transformers` (trust_remote_code).
   */
  format?: "glmjs" | "huggingface";
  /** Split model.safetensors into shards of at most this many bytes (+ model.safetensors.index.json). */
  maxShardBytes?: number;
}

/** The hub repo whose modeling code an exported folder points at (same architecture for every GLM size). */
export const HF_CODE_REPO = "THUDM/glm-large";

/** A glmjs model folder held in memory: what `save(dir)` writes, as `loadGLMFromFiles` / a download take it. */
export interface ModelFolderFiles {
  "config.json": string;
  "model.safetensors": Uint8Array;
}

/** The weights read back from the backend, and the safetensors metadata (the config under `glm_config`). */
async function savedContents(config: GLMConfig, variables: Map<string, tf.Variable>, format: "glmjs" | "huggingface") {
  const tensors = new Map<string, CheckpointTensor>();
  for (const [name, v] of variables) tensors.set(name, { dtype: "F32", shape: [...v.shape], data: (await v.data()) as Float32Array });
  const configJson = format === "huggingface" ? huggingFaceConfig(config) : { ...config };
  const metadata = { format: "pt", [CONFIG_METADATA_KEY]: JSON.stringify(configJson), source: "glmjs" };
  return { tensors, configText: JSON.stringify(configJson, null, 2) + "\n", metadata };
}

/** The files of `save(dir)` in the glmjs format, in memory (any runtime: a browser offers them for download). */
export async function modelFiles(config: GLMConfig, variables: Map<string, tf.Variable>): Promise<ModelFolderFiles> {
  const { tensors, configText, metadata } = await savedContents(config, variables, "glmjs");
  return { "config.json": configText, "model.safetensors": writeSafetensors(tensors, metadata, "model.safetensors") };
}

/** Writes the model's weights and config into `dir` (created if needed); every file atomically. */
export async function saveModel(config: GLMConfig, variables: Map<string, tf.Variable>, dir: string, options: SaveOptions = {}): Promise<void> {
  const format = options.format ?? "glmjs";
  if (format !== "glmjs" && format !== "huggingface") throw new GlmjsError("OPTION_INVALID", `save(): format must be "glmjs" or "huggingface", got ${JSON.stringify(format)}`);
  const [fs, path] = await Promise.all([importNode("node:fs/promises", "model.save(dir)"), importNode("node:path", "model.save(dir)")]);
  await fs.mkdir(dir, { recursive: true });
  const { tensors, configText, metadata } = await savedContents(config, variables, format);

  // Weights first, config last: a folder with a config.json always has complete weights.
  if (options.maxShardBytes !== undefined) {
    await writeShardedSafetensors(dir, tensors, { maxShardBytes: options.maxShardBytes, metadata, baseName: "model" });
  } else {
    await writeSafetensorsFile(path.join(dir, "model.safetensors"), tensors, metadata);
  }
  if (format === "huggingface") await writeFileAtomic(path.join(dir, "pytorch_model.bin"), writePytorchBin(tensors, { archiveName: "pytorch_model", fileName: path.join(dir, "pytorch_model.bin") }));
  await writeFileAtomic(path.join(dir, "config.json"), configText);
}

/** config.json as the hub's GLM repos have it, with auto_map pointing at the hub's modeling code. */
export function huggingFaceConfig(config: GLMConfig): Record<string, unknown> {
  const base = toHuggingFaceConfig(config);
  return {
    ...base,
    architectures: ["GLMModel"],
    torch_dtype: "float32",
    auto_map: {
      AutoConfig: `${HF_CODE_REPO}--configuration_glm.GLMConfig`,
      AutoModel: `${HF_CODE_REPO}--modeling_glm.GLMModel`,
      AutoModelForSeq2SeqLM: `${HF_CODE_REPO}--modeling_glm.GLMForConditionalGeneration`,
      AutoModelForMultipleChoice: `${HF_CODE_REPO}--modeling_glm.GLMForMultipleChoice`,
    },
  };
}
