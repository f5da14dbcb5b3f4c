// Incremental decoding: per-layer keys/values of earlier positions, one step per new token.
// The original caches each layer's *input* hidden states ("mems", GLM.md §1.6); LayerNorm and
// the QKV projection act per token, so caching K and V is the same computation, done once.
// The cache is preallocated (./decode-cache.ts) and a step runs glmjs's fused ops
// (./decode-step.ts); the next token can be picked on the backend (`select`).
import { GlmjsError } from "@glmjs/common";
import type { GLMConfig } from "../config/glm-config.js";
import { GLM_KERNELS, backendHasKernel } from "../ops/kernel-names.js";
import { ensureCpuKernels } from "../ops/cpu-kernels.js";
import { topKLogits } from "../ops/top-k.js";
import { tf } from "../tfjs.js";
import { DecodeCache } from "./decode-cache.js";
import { decodeTransformer } from "./decode-step.js";
import { type GLMForwardInputs, normalizeInputs } from "./inputs.js";
import { type ModelWeights, derivedTensors } from "./parameters.js";
import { tidyResult } from "./tidy.js";

export interface DecoderOptions {
  /** Keep only the last N positions in the cache (the original's max_memory_length); 0 = all. Default: config.max_memory_length. */
  maxMemoryLength?: number;
}

/**
 * Picks tokens from the last position's logits on the backend, so only ids (and a few numbers)
 * are read back. `{ topK: 1 }` is the argmax with its log-probability (greedy decoding that keeps
 * a score); `logits: true` also returns the picked ids' raw logits and each row's log Σ exp
 * (for sampling or beam search that must reproduce a computation over the whole row).
 */
export type TokenSelection = "argmax" | { topK: number; logits?: boolean };

export interface DecodeStepOptions {
  /**
   * Which logits to return: every new position `[batch, seq, vocab]`, the last one `[batch, vocab]`,
   * or none. Default "last", or "none" when `select` is given.
   */
  logits?: "all" | "last" | "none";
  /** Also return the final hidden states `[batch, seq, hidden]` of the new positions. */
  returnHidden?: boolean;
  /**
   * Pick from the last position's logits on the backend: "argmax" returns `ids` `[batch]` int32
   * (greedy decoding reads back one id per row); `{ topK: k }` returns `topK` — the k most likely
   * ids per row with their log-probabilities (log-softmax over the whole vocabulary), best first,
   * the lower id first among equal logits; `{ topK: k, logits: true }` adds their raw logits and
   * each row's log Σ exp. One kernel (GlmTopK) where the backend has it.
   */
  select?: TokenSelection;
}

export interface DecodeStepResult {
  logits?: tf.Tensor;
  hidden?: tf.Tensor;
  /** With `select: "argmax"`: the most likely id per row, `[batch]` int32. */
  ids?: tf.Tensor1D;
  /**
   * With `select: { topK }`: `indices` `[batch, k]` int32 and their `logProbs` `[batch, k]`; with
   * `logits: true` also their raw `logits` `[batch, k]` and `logSumExp` `[batch]` (logProbs =
   * logits − logSumExp). The caller disposes every tensor returned.
   */
  topK?: { indices: tf.Tensor2D; logProbs: tf.Tensor2D; logits?: tf.Tensor2D; logSumExp?: tf.Tensor1D };
}

/**
 * A decoding session over a snapshot of the model's weights (taken at creation, shared with the
 * model's other decoders while the weights are unchanged: create a new decoder after training
 * steps). The first call usually encodes the context (e.g. `sep` = its length); each later call feeds new tokens with explicit position / block position ids and
 * `sep: 0` (the default once the cache holds something: they see the whole cache and, causally,
 * each other). Dispose it when done.
 */
export class GLMDecoder {
  private readonly cache: DecodeCache;
  private disposed = false;

  /**
   * @internal created by GLMModel.createDecoder(). `release` hands the weight snapshot back to the
   * model that shares it between decoders; without it the decoder owns (and disposes) the
   * tensors weightViews derived.
   */
  constructor(
    private readonly config: GLMConfig,
    private readonly weights: ModelWeights,
    options: DecoderOptions = {},
    private readonly release?: () => void,
  ) {
    const keep = options.maxMemoryLength ?? config.max_memory_length;
    if (!Number.isInteger(keep) || keep < 0)
      throw new GlmjsError("INPUT_INVALID", `createDecoder(): maxMemoryLength must be a non-negative integer, got ${keep}`);
    const heads = config.num_attention_heads;
    this.cache = new DecodeCache(config.num_layers, heads, config.hidden_size / heads, keep);
  }

  /** Positions held in the cache. */
  get memoryLength(): number {
    return this.cache.length;
  }

  /** Batch size of the cache (undefined before the first step). */
  get batchSize(): number | undefined {
    return this.cache.batch;
  }

  /** Runs the new tokens against the cache, appends them to it, returns their logits (and/or picked ids). */
  step(inputs: GLMForwardInputs, options: DecodeStepOptions = {}): DecodeStepResult {
    this.checkAlive();
    const config = this.config;
    const want = options.logits ?? (options.select ? "none" : "last");
    const select = options.select;
    if (
      select !== undefined &&
      select !== "argmax" &&
      !(typeof select === "object" && select !== null && Number.isInteger(select.topK) && select.topK >= 1 && select.topK <= config.vocab_size)
    ) {
      throw new GlmjsError(
        "INPUT_INVALID",
        `decoder.step(): select must be "argmax" or { topK: k } with 1 ≤ k ≤ ${config.vocab_size}, got ${JSON.stringify(select)}`,
      );
    }
    let seq = 0;
    const { keys, values, out } = tidyResult(() => {
      // After the context, new tokens default to sep 0 (they see the cache and, causally, each other).
      const withSep = inputs.sep === undefined && inputs.attentionMask === undefined && this.cache.length > 0 ? { ...inputs, sep: 0 } : inputs;
      const norm = normalizeInputs(withSep, { vocabSize: config.vocab_size, positions: config.max_sequence_length + 1 });
      const cached = this.batchSize;
      if (cached !== undefined && cached !== norm.batch)
        throw new GlmjsError("INPUT_INVALID", `decoder.step(): batch of ${norm.batch}, but the cache holds ${cached} rows (use reorder() for beams)`);
      seq = norm.seq;
      ensureCpuKernels();
      this.cache.reserve(norm.batch, seq, backendHasKernel(GLM_KERNELS.cachedAttention));
      const r = decodeTransformer(config, this.weights, norm, this.cache);
      const { batch } = norm;
      const h = config.hidden_size;
      const result: DecodeStepResult = {};
      const last = () =>
        seq === 1 ? r.final : (tf.reshape(tf.slice(tf.reshape(r.final, [batch, seq, h]), [0, seq - 1, 0], [-1, 1, -1]), [batch, h]) as tf.Tensor2D);
      const output = this.weights.outputKernel as tf.Tensor2D;
      let lastLogits: tf.Tensor2D | undefined;
      if (want === "all") {
        const all = tf.matMul(r.final, output);
        result.logits = tf.reshape(all, [batch, seq, config.vocab_size]);
        if (select)
          lastLogits =
            seq === 1 ? (all as tf.Tensor2D) : (tf.reshape(tf.slice(result.logits, [0, seq - 1, 0], [-1, 1, -1]), [batch, config.vocab_size]) as tf.Tensor2D);
      } else if (want === "last" || select) {
        lastLogits = tf.matMul(last(), output) as tf.Tensor2D;
        if (want === "last") result.logits = lastLogits;
      }
      if (select === "argmax") result.ids = tf.argMax(lastLogits as tf.Tensor2D, -1) as tf.Tensor1D;
      else if (select) {
        const top = topKLogits(lastLogits as tf.Tensor2D, select.topK);
        const logProbs = tf.sub(top.values, tf.expandDims(top.logSumExp, 1)) as tf.Tensor2D;
        result.topK = select.logits ? { indices: top.indices, logProbs, logits: top.values, logSumExp: top.logSumExp } : { indices: top.indices, logProbs };
      }
      if (options.returnHidden) result.hidden = tf.reshape(r.final, [batch, seq, h]);
      return { keys: r.keys, values: r.values, out: result };
    });
    this.cache.replace(keys, values);
    this.cache.advance(seq);
    return out;
  }

  /**
   * Greedy decoding's step: runs `inputs` and resolves to the most likely next id per row
   * (`select: "argmax"`, read back and disposed for you).
   */
  async stepArgmax(inputs: GLMForwardInputs): Promise<Int32Array> {
    const { ids } = this.step(inputs, { select: "argmax" });
    try {
      return (await (ids as tf.Tensor1D).data()) as Int32Array;
    } finally {
      ids?.dispose();
    }
  }

  /** Reorders (or repeats) the cache rows: row i becomes old row indices[i] (beam search). */
  reorder(indices: ArrayLike<number>): void {
    this.checkAlive();
    const batch = this.batchSize;
    if (batch === undefined) throw new GlmjsError("INPUT_INVALID", "decoder.reorder(): the cache is empty (call step() first)");
    const idx = Int32Array.from(indices);
    if (idx.length === 0) throw new GlmjsError("INPUT_INVALID", "decoder.reorder(): no indices given");
    for (const i of idx) if (!(i >= 0 && i < batch)) throw new GlmjsError("INPUT_INVALID", `decoder.reorder(): index ${i} outside the cache's ${batch} rows`);
    this.cache.reorder(idx);
  }

  /** Frees the cache and hands back the weight snapshot (freed when no decoder uses it and it is stale). */
  dispose(): void {
    if (this.disposed) return;
    this.cache.dispose();
    if (this.release) this.release();
    else tf.dispose(derivedTensors(this.weights));
    this.disposed = true;
  }

  private checkAlive(): void {
    if (this.disposed) throw new GlmjsError("DISPOSED", "this GLMDecoder was disposed");
  }
}
