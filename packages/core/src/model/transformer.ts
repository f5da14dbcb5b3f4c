// The whole stack: embeddings -> N layers -> final LayerNorm (shared by forward, loss and the decoder).
import { GlmjsError } from "@glmjs/common";
import type { GLMConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import { type LayerKV, fitExplicitMask, sepMask } from "./attention.js";
import { embed } from "./embeddings.js";
import type { NormalizedInputs } from "./inputs.js";
import { layerNorm } from "./layer-norm.js";
import { makeDropout } from "./dropout.js";
import { transformerLayer } from "./layer.js";
import type { ModelWeights } from "./parameters.js";

export interface TransformerRun {
  training?: boolean;
  /** Seed of this step's dropout masks (exact replays); default: tfjs's global RNG. */
  dropoutSeed?: number;
  /** Per-layer keys/values of earlier positions (incremental decoding). */
  past?: LayerKV[];
  /** Keep the embeddings and every layer's output (parity checks). */
  collectLayerOutputs?: boolean;
}

export interface TransformerResult {
  /** After the final LayerNorm, `[batch·seq, hidden]`. */
  final: tf.Tensor2D;
  /** `[embeddings, layer 0 output, …]`, each `[batch·seq, hidden]`, when requested. */
  layerOutputs?: tf.Tensor2D[];
  /** Keys/values of memory + input per layer. */
  kv: LayerKV[];
}

/** Runs the transformer; creates many intermediates, so call it inside tf.tidy. */
export function runTransformer(config: GLMConfig, w: ModelWeights, inputs: NormalizedInputs, run: TransformerRun = {}): TransformerResult {
  const training = run.training ?? false;
  const memoryLength = run.past?.[0]?.values.shape[2] ?? 0;
  if (run.past && run.past.length !== config.num_layers)
    throw new GlmjsError("INPUT_INVALID", `cache holds ${run.past.length} layers, the model has ${config.num_layers}`);
  // A single new token built from sep sees the whole memory and itself whatever sep is (the decode step): no mask.
  const mask = inputs.attentionMask
    ? fitExplicitMask(inputs.attentionMask, memoryLength + inputs.seq)
    : inputs.seq === 1
      ? undefined
      : sepMask(inputs.sep as tf.Tensor1D, inputs.seq, memoryLength);
  let x = embed(w.embeddings, inputs.inputIds, inputs.positionIds, inputs.blockPositionIds);
  const dropout = makeDropout(training, run.dropoutSeed);
  x = dropout(x, config.embedding_dropout_prob) as tf.Tensor2D;
  const layerOutputs: tf.Tensor2D[] | undefined = run.collectLayerOutputs ? [x] : undefined;
  const kv: LayerKV[] = [];
  const layerRun = { config, batch: inputs.batch, seq: inputs.seq, mask, training, dropout };
  for (let i = 0; i < config.num_layers; i++) {
    const r = transformerLayer(x, w.layers[i], layerRun, run.past?.[i]);
    x = r.out;
    kv.push(r.kv);
    layerOutputs?.push(x);
  }
  const final = layerNorm(x, w.finalNorm, config.layernorm_epsilon) as tf.Tensor2D;
  return { final, layerOutputs, kv };
}
