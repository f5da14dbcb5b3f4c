// Self-attention with GLM's fused QKV and its `sep` mask (GLM.md §1.4–1.5).
import { GlmjsError } from "@glmjs/common";
import { tf } from "../tfjs.js";
import type { Dropout } from "./dropout.js";
import { withGradient } from "./custom-grad.js";
import { type LinearWeights, linear } from "./mlp.js";

import { MASKED_SCORE } from "../ops/kernel-math.js";

export { MASKED_SCORE };

export interface AttentionWeights {
  qkv: LinearWeights;
  dense: LinearWeights;
}

/**
 * The 0/1 mask built from `sep` (`[batch]` int32): query i sees key j iff j < sep or j <= i,
 * both indexing the current input; `memoryLength` all-ones columns are prepended.
 * Returns `[batch, 1, seq, memoryLength + seq]` float32.
 */
export function sepMask(sep: tf.Tensor, seq: number, memoryLength = 0): tf.Tensor4D {
  const batch = sep.shape[0] as number;
  const cols = tf.reshape(tf.range(0, seq, 1, "int32"), [1, 1, seq]);
  const rows = tf.reshape(tf.range(0, seq, 1, "int32"), [1, seq, 1]);
  const visible = tf.logicalOr(tf.less(cols, tf.reshape(sep, [batch, 1, 1])), tf.lessEqual(cols, rows));
  let mask = tf.cast(visible, "float32");
  if (memoryLength > 0) mask = tf.concat([tf.ones([batch, seq, memoryLength]), mask], 2);
  return tf.expandDims(mask, 1) as tf.Tensor4D;
}

/** Keeps the last `keys` columns of an explicit mask (the original's behaviour with memory). */
export function fitExplicitMask(mask: tf.Tensor4D, keys: number): tf.Tensor4D {
  const have = mask.shape[3];
  if (have < keys) throw new GlmjsError("INPUT_INVALID", `attentionMask has ${have} key columns, but memory + input need ${keys}`);
  return have === keys ? mask : (tf.slice(mask, [0, 0, 0, have - keys], [-1, -1, -1, keys]) as tf.Tensor4D);
}

/** Cached keys (pre-transposed and pre-scaled) and values of earlier positions of one layer. */
export interface LayerKV {
  /** `[batch, heads, headSize, memory]`, already divided by √d. */
  keysT: tf.Tensor4D;
  /** `[batch, heads, memory, headSize]`. */
  values: tf.Tensor4D;
}

export interface AttentionShape {
  batch: number;
  seq: number;
  heads: number;
  headSize: number;
}

export interface AttentionResult {
  out: tf.Tensor2D;
  /** The keys/values of memory + this input (what the next step's cache holds). */
  kv: LayerKV;
}

/**
 * `a2d` is the layer-normed input `[batch·seq, hidden]`; `mask` is `[batch, 1, seq, memory + seq]`
 * (undefined = every key visible).
 * Scores are q·(k/√d)ᵀ with masked scores set to exactly -65504, softmax over keys.
 */
export function attention(
  a2d: tf.Tensor,
  w: AttentionWeights,
  shape: AttentionShape,
  mask: tf.Tensor4D | undefined,
  past: LayerKV | undefined,
  dropoutRate: number,
  dropout: Dropout = (x, rate) => tf.dropout(x, rate),
): AttentionResult {
  const { batch, seq, heads, headSize } = shape;
  const hidden = heads * headSize;
  const qkv = linear(a2d, w.qkv);
  // Contiguous thirds [Q; K; V], each head-major inside (not interleaved per head).
  const [q2d, k2d, v2d] = tf.split(qkv, 3, 1);
  // With one token (a decode step) the head transposes move no data: plain reshapes do.
  const single = seq === 1;
  const heads4d = (t: tf.Tensor) => tf.reshape(t, [batch, seq, heads, headSize]);
  const q = single ? tf.reshape(q2d, [batch, heads, 1, headSize]) : tf.transpose(heads4d(q2d), [0, 2, 1, 3]);
  const kT = single ? tf.reshape(k2d, [batch, heads, headSize, 1]) : tf.transpose(heads4d(k2d), [0, 2, 3, 1]);
  let keysT = tf.div(kT, Math.sqrt(headSize)) as tf.Tensor4D;
  let values = (single ? tf.reshape(v2d, [batch, heads, 1, headSize]) : tf.transpose(heads4d(v2d), [0, 2, 1, 3])) as tf.Tensor4D;
  if (past) {
    keysT = tf.concat([past.keysT, keysT], 3);
    values = tf.concat([past.values, values], 2);
  }
  let scores = tf.matMul(q, keysT);
  if (mask) scores = tf.add(tf.mul(scores, mask), tf.mul(tf.sub(1, mask), MASKED_SCORE));
  let probs = tf.softmax(scores, -1);
  if (dropoutRate > 0) probs = dropout(probs, dropoutRate);
  const perHead = attendValues(probs, values);
  const context = tf.reshape(single ? perHead : tf.transpose(perHead, [0, 2, 1, 3]), [batch * seq, hidden]);
  return { out: linear(context, w.dense) as tf.Tensor2D, kv: { keysT, values } };
}

/**
 * probs·values for `[batch, heads, queries, keys]` · `[batch, heads, keys, headSize]`. The
 * gradient for the values is computed as (dyᵀ·probs)ᵀ, which transposes the small
 * `[…, queries, headSize]` dy instead of the `[…, queries, keys]` probabilities that
 * autodiff's probsᵀ·dy would (a transposed operand is copied first on the wasm backend).
 */
function attendValues(probs: tf.Tensor, values: tf.Tensor): tf.Tensor4D {
  const op = withGradient<[tf.Tensor, tf.Tensor]>(([p, v], save) => {
    save([p, v]);
    return {
      value: tf.matMul(p as tf.Tensor4D, v as tf.Tensor4D),
      gradFunc: (dy, [ps, vs]) => {
        const dy4d = dy as tf.Tensor4D;
        const dProbs = tf.matMul(dy4d, vs as tf.Tensor4D, false, true);
        const dValues = tf.transpose(tf.matMul(tf.transpose(dy4d, [0, 1, 3, 2]), ps as tf.Tensor4D), [0, 1, 3, 2]);
        return [dProbs, dValues];
      },
    };
  });
  return op(probs, values) as tf.Tensor4D;
}
