// The checkpoint's parameter names and shapes (GLM.md §2.2), and the weight views the math uses.
import type { GLMConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import type { EmbeddingWeights } from "./embeddings.js";
import type { NormWeights } from "./layer-norm.js";
import type { LayerWeights } from "./layer.js";
import type { LinearWeights } from "./mlp.js";

export const WORD_EMBEDDINGS = "word_embeddings.weight";
export const POSITION_EMBEDDINGS = "transformer.position_embeddings.weight";
export const BLOCK_POSITION_EMBEDDINGS = "transformer.block_position_embeddings.weight";
export const FINAL_LAYERNORM = "transformer.final_layernorm";

/** What a parameter is, for initialisation (GLM.md §1.8). */
export type ParameterKind = "embedding" | "linear" | "output-linear" | "bias" | "norm-weight" | "norm-bias";

export interface ParameterSpec {
  name: string;
  shape: number[];
  kind: ParameterKind;
}

/** Every parameter in the order of the original `GLMModel.named_parameters()`. */
export function parameterSpecs(config: GLMConfig): ParameterSpec[] {
  const h = config.hidden_size;
  const rows = config.max_sequence_length + 1;
  const specs: ParameterSpec[] = [
    { name: WORD_EMBEDDINGS, shape: [config.vocab_size, h], kind: "embedding" },
    { name: POSITION_EMBEDDINGS, shape: [rows, h], kind: "embedding" },
  ];
  if (config.block_position_encoding) specs.push({ name: BLOCK_POSITION_EMBEDDINGS, shape: [rows, h], kind: "embedding" });
  for (let i = 0; i < config.num_layers; i++) {
    const p = `transformer.layers.${i}.`;
    specs.push(
      { name: p + "input_layernorm.weight", shape: [h], kind: "norm-weight" },
      { name: p + "input_layernorm.bias", shape: [h], kind: "norm-bias" },
      { name: p + "attention.query_key_value.weight", shape: [3 * h, h], kind: "linear" },
      { name: p + "attention.query_key_value.bias", shape: [3 * h], kind: "bias" },
      { name: p + "attention.dense.weight", shape: [h, h], kind: "output-linear" },
      { name: p + "attention.dense.bias", shape: [h], kind: "bias" },
      { name: p + "post_attention_layernorm.weight", shape: [h], kind: "norm-weight" },
      { name: p + "post_attention_layernorm.bias", shape: [h], kind: "norm-bias" },
      { name: p + "mlp.dense_h_to_4h.weight", shape: [4 * h, h], kind: "linear" },
      { name: p + "mlp.dense_h_to_4h.bias", shape: [4 * h], kind: "bias" },
      { name: p + "mlp.dense_4h_to_h.weight", shape: [h, 4 * h], kind: "output-linear" },
      { name: p + "mlp.dense_4h_to_h.bias", shape: [h], kind: "bias" },
    );
  }
  specs.push({ name: FINAL_LAYERNORM + ".weight", shape: [h], kind: "norm-weight" }, { name: FINAL_LAYERNORM + ".bias", shape: [h], kind: "norm-bias" });
  return specs;
}

/** All the weights one forward pass reads. */
export interface ModelWeights {
  embeddings: EmbeddingWeights;
  layers: LayerWeights[];
  finalNorm: NormWeights;
  /** The tied output projection, word embeddings transposed: `[hidden, vocab]`; only in pre-transposed views. */
  outputKernel?: tf.Tensor;
}

/**
 * Builds the weight views from the named tensors. By default Linear weights stay in the
 * checkpoint layout and the Linear op transposes them itself (its hand-written gradient then
 * needs no transposed copy). `pretransposed` also stores every kernel transposed to `[in, out]`
 * and the tied output projection (a copy each: for a decoder snapshot that runs many forwards
 * without gradients). Call inside tf.tidy, or tf.keep the result for reuse.
 */
export function weightViews(config: GLMConfig, get: (name: string) => tf.Tensor, options: { pretransposed?: boolean } = {}): ModelWeights {
  const pre = options.pretransposed ?? false;
  const lin = (name: string): LinearWeights => {
    const weight = get(name + ".weight");
    return { weight, bias: get(name + ".bias"), kernel: pre ? tf.transpose(weight) : undefined };
  };
  const norm = (name: string): NormWeights => ({ gamma: get(name + ".weight"), beta: get(name + ".bias") });
  const layers: LayerWeights[] = [];
  for (let i = 0; i < config.num_layers; i++) {
    const p = `transformer.layers.${i}.`;
    layers.push({
      inputNorm: norm(p + "input_layernorm"),
      attention: { qkv: lin(p + "attention.query_key_value"), dense: lin(p + "attention.dense") },
      postNorm: norm(p + "post_attention_layernorm"),
      mlp: { fc1: lin(p + "mlp.dense_h_to_4h"), fc2: lin(p + "mlp.dense_4h_to_h") },
    });
  }
  const word = get(WORD_EMBEDDINGS);
  return {
    embeddings: {
      word,
      position: get(POSITION_EMBEDDINGS),
      blockPosition: config.block_position_encoding ? get(BLOCK_POSITION_EMBEDDINGS) : undefined,
    },
    layers,
    finalNorm: norm(FINAL_LAYERNORM),
    outputKernel: pre ? tf.transpose(word) : undefined,
  };
}

/** The tensors of a ModelWeights that weightViews created (the transposes), for disposal. */
export function derivedTensors(w: ModelWeights): tf.Tensor[] {
  const out: tf.Tensor[] = w.outputKernel ? [w.outputKernel] : [];
  for (const l of w.layers) {
    for (const lin of [l.attention.qkv, l.attention.dense, l.mlp.fc1, l.mlp.fc2]) if (lin.kernel) out.push(lin.kernel);
  }
  return out;
}
