// Checks of a pretraining run's sizes before any work is done: a sequence length the model's
// position tables hold and the objective works with, batch counts that make sense, and a training
// step that fits in the memory there is (so `--seq-len 1e9` fails at once, not after minutes of
// allocation, and `--seq-len 5000` with a 512-position model not at the first forward pass).
import { glmPresets, parameterCount, presetConfig, validateConfig, type GLMConfig, type GLMConfigInput } from "@glmjs/core";
import {
  InvalidOptionError,
  checkSeqLength,
  defaultObjectiveSettings,
  maxRowLength,
  objectiveForTokenizer,
  requireInteger,
  requireNumber,
  type ObjectiveSettings,
  type PackingKind,
} from "@glmjs/data";

/** The options of preparePretraining that decide sizes (everything but the data). */
export interface PretrainingShape {
  /** A preset name (tiny, small, base, glm-large, …) or a model config; vocab_size comes from the tokenizer. */
  model: string | Omit<GLMConfigInput, "vocab_size">;
  /** Dropout probability of embeddings, attention and outputs (default 0). */
  dropout?: number;
  /** "mixed" (default), "token", "sentence", "document", a @glmjs/data preset, or settings. */
  objective?: string | Partial<ObjectiveSettings>;
  /** "block" (default): the original's BlockDataset packing; "sequential": documents back to back. */
  packing?: PackingKind;
  /** Samples per batch. */
  batchSize: number;
  /** Raw sample length S in tokens (rows grow by Part B; see maxRowLength). */
  seqLength: number;
  /** Seeds data order, masking and the held-out sets (the model's initialisation is the caller's). */
  seed: number;
  /** Batches per held-out set (default 8; 0: no held-out evaluation). */
  evalBatches?: number;
  /** Every `every`-th run of `run` consecutive documents is held out (default 20 and 10). */
  heldOut?: { every?: number; run?: number };
  /**
   * Refuse a training step whose tensors need more bytes than this (e.g. the machine's memory).
   * The estimate is a lower bound, so only sizes that cannot fit are refused.
   */
  memoryLimitBytes?: number;
}

export interface CheckedShape {
  /** The model config (vocab_size still the preset's or 1 until the tokenizer is known). */
  config: GLMConfig;
  /** The objective's settings before they are fitted to a tokenizer. */
  settings: ObjectiveSettings;
  /** The longest row the objective can build (Part A + Part B). */
  maxRowLength: number;
  /** Lower bound of a training step's memory in bytes. */
  stepBytes: number;
}

const WHERE = "preparePretraining";

/** The model config for `shape.model` with the given vocabulary size and the dropout of `shape`. */
export function pretrainingConfig(shape: Pick<PretrainingShape, "model" | "dropout">, vocabSize?: number): GLMConfig {
  const dropout = requireNumber(WHERE, "dropout", shape.dropout ?? 0, { min: 0, max: 1, highOpen: true });
  const overrides = { embedding_dropout_prob: dropout, attention_dropout_prob: dropout, output_dropout_prob: dropout };
  if (typeof shape.model === "string") {
    const preset = (glmPresets as Record<string, GLMConfig>)[shape.model];
    if (!preset) throw new InvalidOptionError("model", shape.model, `must be a preset (${Object.keys(glmPresets).join(", ")}) or a config`, WHERE);
    return presetConfig(shape.model, { ...overrides, vocab_size: vocabSize ?? preset.vocab_size });
  }
  return validateConfig({ ...shape.model, ...overrides, vocab_size: vocabSize ?? 1 } as GLMConfigInput, `${WHERE} model`);
}

/**
 * A lower bound of the bytes one training step holds: weights, gradients and both AdamW moments
 * (4 float32 copies of the parameters), plus what every layer keeps for the backward pass: its
 * attention probabilities (batch × heads × L² floats) and at least 10 hidden-size vectors per token
 * (layer-norm outputs, query/key/value, context, the MLP's 4h-wide activation), with L ≥ seqLength.
 */
export function trainingStepBytes(config: GLMConfig, batchSize: number, seqLength: number): number {
  const parameters = 4 * parameterCount(config);
  const tokens = batchSize * seqLength;
  const perLayer = batchSize * config.num_attention_heads * seqLength * seqLength + 10 * tokens * config.hidden_size;
  return 4 * (parameters + config.num_layers * perLayer);
}

/**
 * Checks every size of a pretraining run and throws InvalidOptionError naming the option:
 * seqLength against the objective (≥ 34 when it re-cuts short windows) and the model (≤
 * max_sequence_length: Part A positions run to S − 1 and a sentence or document blank's block
 * positions to S, and the position tables have max_sequence_length + 1 rows), batch counts, the
 * held-out split, dropout, and the step's memory against `memoryLimitBytes`. Cheap: call it before
 * reading a corpus.
 */
export function checkPretrainingShape(shape: PretrainingShape): CheckedShape {
  const config = pretrainingConfig(shape);
  // Tokenizer-dependent switches (task masks, [dBLOCK]) do not change sizes: a full set of ids will do.
  const full = { eos: 0, cls: 1, mask: 2, sop: 3, eop: 4, sMask: 5, gMask: 6, dBlock: 7 };
  const settings = objectiveForTokenizer(shape.objective ?? "mixed", { special: full }).settings;
  const packing = shape.packing ?? "block";
  if (packing !== "block" && packing !== "sequential") throw new InvalidOptionError("packing", packing, 'must be "block" or "sequential"', WHERE);
  requireInteger(WHERE, "batchSize", shape.batchSize, 1);
  checkSeqLength(WHERE, "seqLength", shape.seqLength, settings);
  const positions = config.max_sequence_length;
  if (shape.seqLength > positions) {
    const model = typeof shape.model === "string" ? `the ${shape.model} model's` : "the model's";
    throw new InvalidOptionError(
      "seqLength",
      shape.seqLength,
      `must be at most ${positions}, ${model} max_sequence_length (its position tables end there)`,
      WHERE,
    );
  }
  requireInteger(WHERE, "seed", shape.seed, -(2 ** 31), 2 ** 32 - 1);
  requireInteger(WHERE, "evalBatches", shape.evalBatches ?? 8, 0);
  requireInteger(WHERE, "heldOut.every", shape.heldOut?.every ?? 20, 2);
  requireInteger(WHERE, "heldOut.run", shape.heldOut?.run ?? 10, 1);
  const stepBytes = trainingStepBytes(config, shape.batchSize, shape.seqLength);
  const limit = shape.memoryLimitBytes;
  if (limit !== undefined && stepBytes > limit) {
    const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
    const oneSample = trainingStepBytes(config, 1, shape.seqLength) > limit;
    const what = `a training step of ${shape.batchSize} × ${shape.seqLength} tokens needs at least ${gib(stepBytes)} (weights, gradients, AdamW moments and the activations ${config.num_layers} layers keep for the backward pass), more than the ${gib(limit)} available`;
    if (oneSample) throw new InvalidOptionError("seqLength", shape.seqLength, `is too long: ${what}`, WHERE);
    throw new InvalidOptionError(
      "batchSize",
      shape.batchSize,
      `is too large: ${what}; use a smaller batch (with accumulation to keep the effective batch size)`,
      WHERE,
    );
  }
  return { config, settings: { ...defaultObjectiveSettings, ...settings }, maxRowLength: maxRowLength(shape.seqLength, settings), stepBytes };
}
