// Scores a held-out set: loss (masked mean cross-entropy over the blank tokens), perplexity and
// top-1 accuracy on those same tokens (blank-infilling accuracy).
import { tf } from "@glmjs/core";
import type { EvalSet } from "./batch-source.js";
import type { TrainableModel } from "./trainable-model.js";

export interface EvalResult {
  loss: number;
  perplexity: number;
  accuracy: number;
  tokens: number;
}

export async function evaluate(model: TrainableModel, set: EvalSet): Promise<EvalResult> {
  let lossSum = 0;
  let correct = 0;
  let tokens = 0;
  for (const batch of set.batches) {
    const rows: number[] = [];
    const targets: number[] = [];
    for (let i = 0; i < batch.lossMask.length; i++) {
      if (batch.lossMask[i]! > 0) {
        rows.push(i);
        targets.push(batch.targets[i]!);
      }
    }
    if (rows.length === 0) continue;
    const [nll, argmax] = tf.tidy(() => {
      const [b, s] = [batch.batchSize, batch.seqLength];
      const shaped = (ids: Int32Array) => tf.tensor2d(ids, [b, s], "int32");
      const { logits } = model.forward({
        inputIds: shaped(batch.inputIds),
        positionIds: shaped(batch.positionIds),
        blockPositionIds: shaped(batch.blockPositionIds),
        sep: tf.tensor1d(batch.sep, "int32"),
      });
      const vocab = logits.shape[logits.shape.length - 1]!;
      const picked = tf.gather(tf.reshape(logits, [-1, vocab]), tf.tensor1d(rows, "int32"));
      const logZ = tf.logSumExp(picked, -1);
      // Gather the target logit through the flattened matrix (oneHot is unreliable on wasm).
      const flatIndex = tf.tensor1d(
        targets.map((t, r) => r * vocab + t),
        "int32",
      );
      const targetLogit = tf.gather(tf.reshape(picked, [-1]), flatIndex);
      return [tf.sub(logZ, targetLogit), tf.argMax(picked, -1)];
    });
    const [nllValues, predicted] = await Promise.all([nll.data(), argmax.data()]);
    nll.dispose();
    argmax.dispose();
    for (let r = 0; r < rows.length; r++) {
      lossSum += nllValues[r]!;
      if (predicted[r] === targets[r]) correct += 1;
    }
    tokens += rows.length;
  }
  const loss = tokens > 0 ? lossSum / tokens : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: tokens > 0 ? correct / tokens : NaN, tokens };
}
