// Fine-tuning run options → @glmjs/train TrainerOptions, with the original's fine-tuning defaults
// (GLM.md §6.3; THUDM/GLM arguments.py for Adam: β 0.9/0.999, ε 1e-8).
import { GlmjsError } from "@glmjs/common";
import type { AdamWOptions, DecayStyle, TrainerCallbacks, TrainerOptions } from "@glmjs/train";
import { DEFAULT_TRAINER_OPTIONS } from "@glmjs/train";

/** Adam of the original's fine-tuning runs (arguments.py defaults) with the task configs' weight decay 0.1. */
export const FINETUNE_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };

export interface FinetuneRunOptions {
  /** Optimizer steps; default: `epochs` passes over the training examples. */
  steps?: number;
  /** Passes over the training data when `steps` is not given. Default 3. */
  epochs?: number;
  /** Examples per micro-batch. */
  batchSize?: number;
  /** Micro-batches per optimizer step. Default 1. */
  accumulation?: number;
  /** Peak learning rate. */
  lr?: number;
  /** Warm-up as a fraction of the steps. */
  warmupFraction?: number;
  decayStyle?: DecayStyle;
  /** Floor of the decay as a fraction of the peak (the original's --lr-decay-ratio, 0.1). */
  decayRatio?: number;
  weightDecay?: number;
  /** Global gradient-norm clip. Default 1. */
  clipNorm?: number;
  /** Seeds the data order (and any per-step randomness). Default 1234. */
  seed?: number;
  /** Evaluate every this many steps (0 = never). Default: once per epoch. */
  evalEvery?: number;
  /** Checkpoint every this many steps. Default: as evalEvery. */
  checkpointEvery?: number;
  keepCheckpoints?: number;
  plotEvery?: number;
  /** Parameters (checkpoint names) that stay fixed. */
  frozen?: (name: string) => boolean;
  /** Facts stored in every checkpoint (tokenizer, task, command line). */
  runInfo?: Record<string, unknown>;
  callbacks?: TrainerCallbacks;
}

export interface TaskDefaults {
  lr: number;
  batchSize: number;
  warmupFraction: number;
  decayStyle: DecayStyle;
  decayRatio: number;
  weightDecay: number;
}

/** Resolved options: what the Trainer gets, plus the batch size and the steps of one epoch. */
export interface ResolvedRun {
  trainer: TrainerOptions;
  batchSize: number;
  stepsPerEpoch: number;
  seed: number;
}

export function resolveRun(run: FinetuneRunOptions, defaults: TaskDefaults, examples: number, lossOptions?: Record<string, unknown>): ResolvedRun {
  const batchSize = run.batchSize ?? defaults.batchSize;
  const accumulation = run.accumulation ?? 1;
  for (const [name, v] of [
    ["batchSize", batchSize],
    ["accumulation", accumulation],
  ] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new GlmjsError("OPTION_INVALID", `fine-tuning: ${name} must be a positive integer, got ${v}`);
  }
  const stepsPerEpoch = Math.max(1, Math.ceil(examples / batchSize / accumulation));
  const epochs = run.epochs ?? 3;
  if (run.steps === undefined && !(epochs > 0)) throw new GlmjsError("OPTION_INVALID", `fine-tuning: epochs must be > 0, got ${epochs}`);
  const steps = run.steps ?? Math.ceil(epochs * stepsPerEpoch);
  if (!Number.isInteger(steps) || steps <= 0) throw new GlmjsError("OPTION_INVALID", `fine-tuning: steps must be a positive integer, got ${steps}`);
  const lr = run.lr ?? defaults.lr;
  if (!(lr > 0)) throw new GlmjsError("OPTION_INVALID", `fine-tuning: the learning rate must be > 0, got ${lr}`);
  const evalEvery = run.evalEvery ?? Math.min(stepsPerEpoch, steps);
  const seed = run.seed ?? DEFAULT_TRAINER_OPTIONS.seed;
  const trainer: TrainerOptions = {
    ...DEFAULT_TRAINER_OPTIONS,
    steps,
    accumulation,
    clipNorm: run.clipNorm ?? 1,
    seed,
    optimizer: { ...FINETUNE_ADAMW, weightDecay: run.weightDecay ?? defaults.weightDecay },
    schedule: {
      peakLr: lr,
      decaySteps: steps,
      warmupFraction: run.warmupFraction ?? defaults.warmupFraction,
      style: run.decayStyle ?? defaults.decayStyle,
      decayRatio: run.decayRatio ?? defaults.decayRatio,
    },
    evalEvery,
    checkpointEvery: run.checkpointEvery ?? (evalEvery > 0 ? evalEvery : stepsPerEpoch),
    keepCheckpoints: run.keepCheckpoints ?? DEFAULT_TRAINER_OPTIONS.keepCheckpoints,
    plotEvery: run.plotEvery ?? DEFAULT_TRAINER_OPTIONS.plotEvery,
    ...(run.frozen ? { frozen: run.frozen } : {}),
    ...(run.runInfo ? { runInfo: run.runInfo } : {}),
    ...(lossOptions ? { lossOptions } : {}),
  };
  return { trainer, batchSize, stepsPerEpoch, seed };
}

/**
 * Position ids run up to the Part A length and block positions up to the Part B length, and the
 * model has `max_sequence_length + 1` rows of each: refuse lengths it cannot embed, up front.
 */
export function checkFitsModel(config: { max_sequence_length: number; vocab_size?: number }, length: number, what: string): void {
  if (length > config.max_sequence_length) {
    throw new GlmjsError(
      "SEQUENCE_TOO_LONG",
      `${what} ${length} exceeds the model's max_sequence_length ${config.max_sequence_length}; use at most ${config.max_sequence_length}`,
    );
  }
}
