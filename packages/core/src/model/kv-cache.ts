// Incremental decoding: per-layer keys/values of earlier positions, one step per new token.
// The original caches each layer's *input* hidden states ("mems", GLM.md §1.6); LayerNorm and
// the QKV projection act per token, so caching K and V is the same computation, done once.
import type { GLMConfig } from "../config/glm-config.js";
import { tf } from "../tfjs.js";
import type { LayerKV } from "./attention.js";
import { type GLMForwardInputs, normalizeInputs } from "./inputs.js";
import { type ModelWeights, derivedTensors } from "./parameters.js";
import { tidyResult } from "./tidy.js";
import { runTransformer } from "./transformer.js";

export interface DecoderOptions {
  /** Keep only the last N positions in the cache (the original's max_memory_length); 0 = all. Default: config.max_memory_length. */
  maxMemoryLength?: number;
}

export interface DecodeStepOptions {
  /** Which logits to return: every new position `[batch, seq, vocab]`, the last one `[batch, vocab]` (default), or none. */
  logits?: "all" | "last" | "none";
  /** Also return the final hidden states `[batch, seq, hidden]` of the new positions. */
  returnHidden?: boolean;
}

export interface DecodeStepResult {
  logits?: tf.Tensor;
  hidden?: tf.Tensor;
}

/**
 * A decoding session over a snapshot of the model's weights (taken at creation: create a new
 * decoder after training steps). The first call usually encodes the context (e.g. `sep` = its
 * length); each later call feeds new tokens with explicit position / block position ids and
 * `sep: 0` (the default once the cache holds something: they see the whole cache and, causally,
 * each other). Dispose it when done.
 */
export class GLMDecoder {
  private kv: LayerKV[] | undefined;
  private disposed = false;
  private readonly maxMemoryLength: number;

  /** @internal created by GLMModel.createDecoder() */
  constructor(
    private readonly config: GLMConfig,
    private readonly weights: ModelWeights,
    options: DecoderOptions = {},
  ) {
    this.maxMemoryLength = options.maxMemoryLength ?? config.max_memory_length;
  }

  /** Positions held in the cache. */
  get memoryLength(): number {
    return this.kv?.[0]?.values.shape[2] ?? 0;
  }

  /** Batch size of the cache (undefined before the first step). */
  get batchSize(): number | undefined {
    return this.kv?.[0]?.values.shape[0];
  }

  /** Runs the new tokens against the cache, appends them to it, returns their logits. */
  step(inputs: GLMForwardInputs, options: DecodeStepOptions = {}): DecodeStepResult {
    this.checkAlive();
    const config = this.config;
    const want = options.logits ?? "last";
    const { kv, out } = tidyResult(() => {
      // After the context, new tokens default to sep 0 (they see the cache and, causally, each other).
      const withSep = inputs.sep === undefined && inputs.attentionMask === undefined && this.kv ? { ...inputs, sep: 0 } : inputs;
      const norm = normalizeInputs(withSep, { vocabSize: config.vocab_size, positions: config.max_sequence_length + 1 });
      const cached = this.batchSize;
      if (cached !== undefined && cached !== norm.batch) throw new Error(`decoder.step(): batch of ${norm.batch}, but the cache holds ${cached} rows (use reorder() for beams)`);
      const r = runTransformer(config, this.weights, norm, { past: this.kv });
      const { batch, seq } = norm;
      const h = config.hidden_size;
      const result: { logits?: tf.Tensor; hidden?: tf.Tensor } = {};
      if (want !== "none") {
        const rows = want === "last" ? tf.reshape(tf.slice(tf.reshape(r.final, [batch, seq, h]), [0, seq - 1, 0], [-1, 1, -1]), [batch, h]) : r.final;
        const logits = tf.matMul(rows as tf.Tensor2D, this.weights.outputKernel as tf.Tensor2D);
        result.logits = want === "last" ? logits : tf.reshape(logits, [batch, seq, config.vocab_size]);
      }
      if (options.returnHidden) result.hidden = tf.reshape(r.final, [batch, seq, h]);
      return { kv: r.kv.map((l) => this.truncate(l)), out: result };
    });
    this.releaseCache();
    this.kv = kv;
    return out;
  }

  /** Reorders (or repeats) the cache rows: row i becomes old row indices[i] (beam search). */
  reorder(indices: ArrayLike<number>): void {
    this.checkAlive();
    if (!this.kv) throw new Error("decoder.reorder(): the cache is empty (call step() first)");
    const batch = this.batchSize as number;
    const idx = Int32Array.from(indices);
    for (const i of idx) if (i < 0 || i >= batch) throw new Error(`decoder.reorder(): index ${i} outside the cache's ${batch} rows`);
    const next = tidyResult(() => {
      const t = tf.tensor1d(idx, "int32");
      return (this.kv as LayerKV[]).map((l) => ({ keysT: tf.gather(l.keysT, t) as tf.Tensor4D, values: tf.gather(l.values, t) as tf.Tensor4D }));
    });
    this.releaseCache();
    this.kv = next;
  }

  /** Frees the cache and the weight snapshot. */
  dispose(): void {
    if (this.disposed) return;
    this.releaseCache();
    tf.dispose(derivedTensors(this.weights));
    this.disposed = true;
  }

  private truncate(l: LayerKV): LayerKV {
    const m = l.values.shape[2];
    const keep = this.maxMemoryLength;
    if (keep <= 0 || m <= keep) return l;
    return {
      keysT: tf.slice(l.keysT, [0, 0, 0, m - keep], [-1, -1, -1, keep]) as tf.Tensor4D,
      values: tf.slice(l.values, [0, 0, m - keep, 0], [-1, -1, keep, -1]) as tf.Tensor4D,
    };
  }

  private releaseCache(): void {
    if (this.kv) for (const l of this.kv) tf.dispose([l.keysT, l.values]);
    this.kv = undefined;
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error("this GLMDecoder was disposed");
  }
}
