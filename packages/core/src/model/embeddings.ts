// Input embedding: word + position + block position (the "2D positional encoding", GLM.md §1.2).
import { tf } from "../tfjs.js";

export interface EmbeddingWeights {
  word: tf.Tensor;
  position: tf.Tensor;
  /** Absent when block_position_encoding is false. */
  blockPosition?: tf.Tensor;
}

/** `[batch, seq]` ids -> `[batch·seq, hidden]` (no scaling, no LayerNorm). */
export function embed(w: EmbeddingWeights, inputIds: tf.Tensor, positionIds: tf.Tensor, blockPositionIds: tf.Tensor): tf.Tensor2D {
  const flat = (t: tf.Tensor) => tf.reshape(t, [-1]);
  let e = tf.add(tf.gather(w.word, flat(inputIds)), tf.gather(w.position, flat(positionIds)));
  if (w.blockPosition) e = tf.add(e, tf.gather(w.blockPosition, flat(blockPositionIds)));
  return e as tf.Tensor2D;
}
