// GLMModel: owns the weights (tf.Variables keyed by the original checkpoint names) and runs
// forward, loss and incremental decoding over them.
import { GlmjsError } from "@glmjs/common";
import { canonicalKeyMap, type LazyCheckpoint } from "@glmjs/checkpoint";
import { type GLMConfig, type GLMConfigInput, validateConfig } from "../config/glm-config.js";
import { type ModelFolderFiles, type SaveOptions, modelFiles, saveModel } from "../io/save-model.js";
import { tf } from "../tfjs.js";
import { initialValues } from "./init.js";
import { type GLMForwardInputs, normalizeInputs } from "./inputs.js";
import { type DecoderOptions, GLMDecoder } from "./kv-cache.js";
import { type GLMTrainingBatch, type LossOptions, checkBatch, selectLossPositions, tokenCrossEntropy } from "./loss.js";
import { DecodingWeights } from "./decoding-weights.js";
import { type ModelWeights, parameterSpecs, weightViews } from "./parameters.js";
import { tidyResult } from "./tidy.js";
import { runTransformer } from "./transformer.js";

export interface ForwardOptions {
  /** Also return the final hidden states (after the final LayerNorm), `[batch, seq, hidden]`. */
  returnHidden?: boolean;
  /** Also return `[embeddings, layer 0 output, …, layer N−1 output]`, each `[batch, seq, hidden]`. */
  returnLayerOutputs?: boolean;
  /** Skip the output projection (then `logits` is absent). Default: config.output_predict. */
  logits?: boolean;
  /** Apply the config's dropout. Default false. */
  training?: boolean;
  /**
   * Seed of the dropout masks when `training`: the same seed replays the same masks (as
   * `loss(…, { seed })`), so a trainer that seeds each step resumes exactly. Default: unseeded.
   */
  seed?: number;
}

export interface ForwardResult {
  /** `[batch, seq, vocab]` over the whole padded vocabulary. */
  logits: tf.Tensor3D;
  hidden?: tf.Tensor3D;
  layerOutputs?: tf.Tensor3D[];
}

/** Named float32 data for building a model (what checkpoint readers return). */
export interface NamedArrays {
  get(name: string): { shape: number[]; data: Float32Array | Int32Array | BigInt64Array; dtype?: string } | undefined;
  keys(): IterableIterator<string>;
}

let nextModelId = 0;

const FLOAT_DTYPES = new Set(["F32", "F16", "BF16", "F64"]);

/**
 * Checkpoint key for every parameter (keys bare or with the `glm.` / `module.` prefixes, through
 * canonicalKeyMap); unknown and missing keys are errors naming them.
 */
function matchKeys(config: GLMConfig, keys: Iterable<string>, source: string): Map<string, string> {
  const specs = parameterSpecs(config);
  const byName = canonicalKeyMap(keys, source);
  const expected = new Set(specs.map((s) => s.name));
  const unknown = [...byName.keys()].filter((k) => !expected.has(k));
  if (unknown.length) {
    throw new GlmjsError(
      "CHECKPOINT_MISMATCH",
      `${source}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown
        .slice(0, 5)
        .map((k) => `"${byName.get(k)}"`)
        .join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""} (not a parameter of a GLM with this config)`,
    );
  }
  const missing = specs.filter((s) => !byName.has(s.name)).map((s) => s.name);
  if (missing.length) {
    throw new GlmjsError(
      "CHECKPOINT_MISMATCH",
      `${source}: missing key${missing.length > 1 ? "s" : ""} ${missing
        .slice(0, 5)
        .map((k) => `"${k}"`)
        .join(
          ", ",
        )}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""} (the checkpoint does not match the config: ${config.num_layers} layers, hidden ${config.hidden_size})`,
    );
  }
  return byName;
}

function checkShape(shape: readonly number[], key: string, expected: readonly number[], source: string): void {
  if (shape.length !== expected.length || shape.some((d, i) => d !== expected[i])) {
    throw new GlmjsError("CHECKPOINT_MISMATCH", `${source}: key "${key}" has shape [${shape.join(", ")}], the config needs [${expected.join(", ")}]`);
  }
}

function checkArray(a: { shape: number[]; data: unknown; dtype?: string }, key: string, expected: readonly number[], source: string): void {
  if (!(a.data instanceof Float32Array))
    throw new GlmjsError("CHECKPOINT_MISMATCH", `${source}: key "${key}" has dtype ${a.dtype ?? "int"}, expected a floating-point tensor`);
  checkShape(a.shape, key, expected, source);
}

export class GLMModel {
  readonly config: GLMConfig;
  private readonly variables = new Map<string, tf.Variable>();
  private readonly decodingWeights: DecodingWeights;
  private disposed = false;

  private constructor(config: GLMConfig, values: Map<string, tf.Tensor>) {
    this.config = config;
    const id = nextModelId++;
    for (const spec of parameterSpecs(config)) {
      const t = values.get(spec.name) as tf.Tensor;
      this.variables.set(spec.name, tf.variable(t, true, `glmjs${id}/${spec.name}`));
    }
    this.decodingWeights = new DecodingWeights(config, this.variables);
  }

  /** A freshly initialised model (GLM.md §1.8), reproducible from `seed` on every backend. */
  static fromConfig(config: GLMConfigInput | GLMConfig, options: { seed?: number } = {}): GLMModel {
    const valid = validateConfig(config, "GLMModel.fromConfig");
    const specs = parameterSpecs(valid);
    const data = initialValues(specs, valid, options.seed ?? 0);
    const values = new Map(specs.map((s, i) => [s.name, tf.tensor(data[i], s.shape, "float32")]));
    try {
      return new GLMModel(valid, values);
    } finally {
      tf.dispose([...values.values()]);
    }
  }

  /**
   * A model from named arrays (a checkpoint's tensors). Keys may carry the `glm.` prefix of HF's
   * task classes and the `module.` prefix of DataParallel/DeepSpeed (canonicalKeyMap). Every
   * parameter must be present with the config's shape; unknown keys are refused. `source` names
   * the file(s) in the errors.
   */
  static fromNamedArrays(config: GLMConfig, arrays: NamedArrays, source: string): GLMModel {
    const specs = parameterSpecs(config);
    const byName = matchKeys(config, arrays.keys(), source);
    const values = new Map<string, tf.Tensor>();
    try {
      for (const spec of specs) {
        const key = byName.get(spec.name) as string;
        const a = arrays.get(key);
        if (!a) throw new GlmjsError("CHECKPOINT_MISMATCH", `${source}: key "${key}" could not be read`);
        checkArray(a, key, spec.shape, source);
        values.set(spec.name, tf.tensor(a.data as Float32Array, spec.shape, "float32"));
      }
      return new GLMModel(config, values);
    } finally {
      tf.dispose([...values.values()]);
    }
  }

  /**
   * A model from a checkpoint opened for reading tensor by tensor (`openCheckpoint`,
   * `openCheckpointPath` of @glmjs/checkpoint): names and shapes are checked before any data is
   * read, then each parameter is read and handed to tfjs on its own, so peak memory is the
   * float32 weights plus one tensor of the file, whatever the file's size.
   */
  static async fromCheckpoint(config: GLMConfig, checkpoint: LazyCheckpoint, source: string): Promise<GLMModel> {
    const specs = parameterSpecs(config);
    const byName = matchKeys(config, checkpoint.tensors.keys(), source);
    for (const spec of specs) {
      const key = byName.get(spec.name) as string;
      const info = checkpoint.tensors.get(key)!;
      if (!FLOAT_DTYPES.has(info.dtype))
        throw new GlmjsError("CHECKPOINT_MISMATCH", `${source}: key "${key}" has dtype ${info.dtype}, expected a floating-point tensor`);
      checkShape(info.shape, key, spec.shape, source);
    }
    const values = new Map<string, tf.Tensor>();
    try {
      for (const spec of specs) {
        const key = byName.get(spec.name) as string;
        const a = await checkpoint.read(key);
        checkArray(a, key, spec.shape, source);
        values.set(spec.name, tf.tensor(a.data as Float32Array, spec.shape, "float32"));
      }
      return new GLMModel(config, values);
    } finally {
      tf.dispose([...values.values()]);
    }
  }

  /** The parameters, keyed by the original checkpoint names (no `glm.` prefix), in checkpoint order. */
  namedVariables(): Map<string, tf.Variable> {
    this.checkAlive();
    return new Map(this.variables);
  }

  /** Number of parameters. */
  parameterCount(): number {
    let n = 0;
    for (const v of this.variables.values()) n += v.size;
    return n;
  }

  /**
   * The forward pass. `inputIds`, `positionIds`, `blockPositionIds` are `[batch, seq]`; `sep` is
   * `[batch]` (or one number) = length of Part A; or give `attentionMask` instead of `sep`.
   */
  forward(inputs: GLMForwardInputs, options: ForwardOptions = {}): ForwardResult {
    this.checkAlive();
    this.decodingWeights.dropIfStale();
    const config = this.config;
    return tidyResult(() => {
      const norm = normalizeInputs(inputs, this.limits());
      const w = weightViews(config, (n) => this.variable(n));
      const r = runTransformer(config, w, norm, { training: options.training, dropoutSeed: options.seed, collectLayerOutputs: options.returnLayerOutputs });
      const { batch, seq } = norm;
      const as3d = (t: tf.Tensor, width: number) => tf.reshape(t, [batch, seq, width]) as tf.Tensor3D;
      const out: Partial<ForwardResult> = {};
      if (options.logits ?? config.output_predict) {
        out.logits = as3d(tf.matMul(r.final, tf.transpose(w.embeddings.word) as tf.Tensor2D), config.vocab_size);
      }
      if (options.returnHidden) out.hidden = as3d(r.final, config.hidden_size);
      if (r.layerOutputs) out.layerOutputs = r.layerOutputs.map((t) => as3d(t, config.hidden_size));
      return out as ForwardResult;
    });
  }

  /**
   * Masked mean cross-entropy of a batch: sum(ce · lossMask) / sum(lossMask). Logits are
   * computed only at positions with lossMask > 0. Differentiable w.r.t. namedVariables().
   */
  loss(batch: GLMTrainingBatch, options: LossOptions = {}): tf.Scalar {
    this.checkAlive();
    // Training assigns new values: a snapshot of the old ones no decoder uses is garbage.
    this.decodingWeights.dropIfStale();
    checkBatch(batch, this.config.vocab_size);
    const { positions, weights: lossWeights, total } = selectLossPositions(batch.lossMask);
    if (positions.length === 0) throw new GlmjsError("INPUT_INVALID", "loss(): the batch has no position with lossMask > 0");
    const targets = new Int32Array(positions.length);
    positions.forEach((p, k) => (targets[k] = batch.targets[p]));
    return tf.tidy(() => {
      const { final, weights } = this.finalHidden(batch, options.training ?? false, options.seed);
      const rows = tf.gather(final, tf.tensor1d(positions, "int32"));
      const ce = tokenCrossEntropy(rows, weights.embeddings.word, tf.tensor1d(targets, "int32"), options.labelSmoothing ?? 0);
      return tf.div(tf.sum(tf.mul(ce, tf.tensor1d(lossWeights))), total) as tf.Scalar;
    });
  }

  /** Cross-entropy at every position, `[batch, seq]` (also where lossMask is 0): for checks and scoring. */
  perTokenLoss(batch: Omit<GLMTrainingBatch, "lossMask"> & { lossMask?: Float32Array }, options: Omit<LossOptions, "training"> = {}): tf.Tensor2D {
    this.checkAlive();
    return tf.tidy(() => {
      const { final, weights } = this.finalHidden(batch, false);
      const ce = tokenCrossEntropy(final, weights.embeddings.word, tf.tensor1d(batch.targets, "int32"), options.labelSmoothing ?? 0);
      return tf.reshape(ce, [batch.batchSize, batch.seqLength]) as tf.Tensor2D;
    });
  }

  /**
   * Writes the model into `dir` (Node): `{ format: "glmjs" }` (default) or `{ format: "huggingface" }`
   * (config.json + pytorch_model.bin + model.safetensors under the original key names).
   */
  async save(dir: string, options: SaveOptions = {}): Promise<void> {
    this.checkAlive();
    await saveModel(this.config, this.variables, dir, options);
  }

  /**
   * The files `save(dir)` writes (glmjs format), in memory: `{ "config.json", "model.safetensors" }`.
   * Browser-safe (a page offers them for download); `loadModel({ weights, config })` reads them back.
   */
  async toFiles(): Promise<ModelFolderFiles> {
    this.checkAlive();
    return modelFiles(this.config, this.variables);
  }

  /**
   * A decoding session with a key/value cache over a snapshot of the current weights (the
   * kernels transposed for the decoder's products). The snapshot is made once and shared by
   * every decoder created while the variables are unchanged (an `assign`, e.g. an optimizer
   * step, makes it stale: the next decoder gets a new one, and the stale one is freed when its
   * last decoder is disposed). It stays in memory with the model: `releaseDecodingWeights()`
   * frees it earlier.
   */
  createDecoder(options: DecoderOptions = {}): GLMDecoder {
    this.checkAlive();
    const { weights, release } = this.decodingWeights.acquire();
    try {
      return new GLMDecoder(this.config, weights, options, release);
    } catch (e) {
      release();
      throw e;
    }
  }

  /**
   * Frees the decoding weight snapshot the model keeps between decoders (decoders still open
   * keep theirs until disposed). The next createDecoder() makes a new one.
   */
  releaseDecodingWeights(): void {
    this.decodingWeights.retire();
  }

  /** Frees the weights. The model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.decodingWeights.retire();
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
    this.disposed = true;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  private finalHidden(batch: Omit<GLMTrainingBatch, "lossMask">, training: boolean, dropoutSeed?: number): { final: tf.Tensor2D; weights: ModelWeights } {
    const norm = normalizeInputs(
      { inputIds: batch.inputIds, positionIds: batch.positionIds, blockPositionIds: batch.blockPositionIds, sep: batch.sep, batchSize: batch.batchSize },
      this.limits(),
    );
    const weights = weightViews(this.config, (n) => this.variable(n));
    return { final: runTransformer(this.config, weights, norm, { training, dropoutSeed }).final, weights };
  }

  private limits() {
    return { vocabSize: this.config.vocab_size, positions: this.config.max_sequence_length + 1 };
  }

  private variable(name: string): tf.Variable {
    const v = this.variables.get(name);
    if (!v) throw new GlmjsError("PARAMETER_UNKNOWN", `GLMModel: no parameter "${name}"`);
    return v;
  }

  private checkAlive(): void {
    if (this.disposed) throw new GlmjsError("DISPOSED", "this GLMModel was disposed");
  }
}
