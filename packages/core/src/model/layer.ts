// One pre-LN transformer layer (GLM.md §1.3).
import type { GLMConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import { type AttentionWeights, type LayerKV, attention } from "./attention.js";
import { type NormWeights, layerNorm } from "./layer-norm.js";
import type { Dropout } from "./dropout.js";
import { type MlpWeights, mlp } from "./mlp.js";

export interface LayerWeights {
  inputNorm: NormWeights;
  attention: AttentionWeights;
  postNorm: NormWeights;
  mlp: MlpWeights;
}

export interface LayerRun {
  config: GLMConfig;
  batch: number;
  seq: number;
  /** Undefined when every key is visible. */
  mask: tf.Tensor4D | undefined;
  training: boolean;
  /** Applies dropout (identity unless training). */
  dropout: Dropout;
}

/** x = x + Attn(LN1(x)); x = x + MLP(LN2(x)). `x2d` is `[batch·seq, hidden]`. */
export function transformerLayer(x2d: tf.Tensor, w: LayerWeights, run: LayerRun, past?: LayerKV): { out: tf.Tensor2D; kv: LayerKV } {
  const { config, training, dropout } = run;
  const eps = config.layernorm_epsilon;
  const heads = config.num_attention_heads;
  const shape = { batch: run.batch, seq: run.seq, heads, headSize: config.hidden_size / heads };
  const attn = attention(layerNorm(x2d, w.inputNorm, eps), w.attention, shape, run.mask, past, training ? config.attention_dropout_prob : 0, dropout);
  const x = tf.add(x2d, dropout(attn.out, config.output_dropout_prob));
  const mlpOut = dropout(mlp(layerNorm(x, w.postNorm, eps), w.mlp, config.hidden_act), config.output_dropout_prob);
  return { out: tf.add(x, mlpOut) as tf.Tensor2D, kv: attn.kv };
}
