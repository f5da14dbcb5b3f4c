// Log-probabilities and top-k candidates at chosen positions of one sequence: one forward pass
// for the final hidden states, then the tied output projection only for the rows asked for, in
// chunks (a full `[seq, vocab]` logits tensor would be large for real vocabularies).
import { GlmjsError } from "@glmjs/common";
import { type GLMForwardInputs, type GLMModel, tf } from "@glmjs/core";

const CHUNK_ROWS = 128;

/** Final hidden states `[rows, hidden]` at `indices` of a batch-1 forward. The caller disposes. */
function hiddenAt(model: GLMModel, inputs: GLMForwardInputs, indices: readonly number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const { hidden } = model.forward(inputs, { logits: false, returnHidden: true });
    const h = hidden as tf.Tensor3D;
    return tf.gather(tf.reshape(h, [h.shape[1], h.shape[2]]), tf.tensor1d(Int32Array.from(indices), "int32")) as tf.Tensor2D;
  });
}

function wordEmbeddings(model: GLMModel): tf.Tensor2D {
  const w = model.namedVariables().get("word_embeddings.weight");
  if (!w) throw new GlmjsError("INTERNAL", "the model has no word_embeddings.weight");
  return w as unknown as tf.Tensor2D;
}

/** log p(targets[i]) at the rows `indices[i]` of the sequence (log-softmax over the whole padded vocabulary). */
export async function logProbsAt(model: GLMModel, inputs: GLMForwardInputs, indices: readonly number[], targets: readonly number[]): Promise<Float64Array> {
  if (indices.length !== targets.length) throw new GlmjsError("INPUT_INVALID", `logProbsAt: ${indices.length} positions, ${targets.length} targets`);
  const out = new Float64Array(indices.length);
  if (indices.length === 0) return out;
  const hidden = hiddenAt(model, inputs, indices);
  const word = wordEmbeddings(model);
  try {
    for (let start = 0; start < indices.length; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, indices.length - start);
      const lp = tf.tidy(() => {
        const rows = tf.slice(hidden, [start, 0], [n, -1]);
        const logits = tf.matMul(rows, word, false, true);
        const t = tf.tensor1d(Int32Array.from(targets.slice(start, start + n)), "int32");
        const picked = tf.sum(tf.mul(rows, tf.gather(word, t)), 1);
        return tf.sub(picked, tf.logSumExp(logits, 1));
      });
      const data = await lp.data();
      lp.dispose();
      for (let i = 0; i < n; i++) out[start + i] = data[i]!;
    }
  } finally {
    hidden.dispose();
  }
  return out;
}

/** The k most probable ids at each of the rows `indices`, with their log-probabilities. */
export async function topKAt(
  model: GLMModel,
  inputs: GLMForwardInputs,
  indices: readonly number[],
  k: number,
): Promise<{ ids: number[]; logProbs: number[] }[]> {
  const hidden = hiddenAt(model, inputs, indices);
  const word = wordEmbeddings(model);
  try {
    const packed: tf.Tensor[] = tf.tidy(() => {
      const logits = tf.matMul(hidden, word, false, true);
      const logProbs = tf.sub(logits, tf.logSumExp(logits, 1, true));
      const { values, indices: ids } = tf.topk(logProbs, Math.min(k, model.config.vocab_size));
      return [values, ids];
    });
    const [values, ids] = await Promise.all([packed[0]!.data(), packed[1]!.data()]);
    tf.dispose(packed);
    const width = packed[0]!.shape[1] as number;
    return indices.map((_, r) => ({
      ids: Array.from(ids.subarray(r * width, (r + 1) * width)),
      logProbs: Array.from(values.subarray(r * width, (r + 1) * width)),
    }));
  } finally {
    hidden.dispose();
  }
}
