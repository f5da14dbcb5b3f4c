// Options of the training loop, with the original GLM's defaults (GLM.md §6).
import { InvalidOptionError, requireInteger, requireNumber } from "@glmjs/data";
import { GLM_ADAMW, validateAdamWOptions, type AdamWOptions } from "../optimizer/adamw.js";
import { validateSchedule, type ScheduleOptions } from "../optimizer/schedule.js";
import type { EvalRow, TrainRow } from "../metrics/metrics-log.js";
import type { FlopsShape } from "./flops.js";

/** What to do when the loss or a gradient is NaN/Inf. */
export type NanPolicy = "skip" | "stop";

export interface TrainerCallbacks {
  onStep?(row: TrainRow): void;
  onEval?(row: EvalRow): void;
  onCheckpoint?(info: { step: number; file: string; best: boolean }): void;
  /** Human-readable notices (resume, skipped batches, stop reasons). */
  onMessage?(message: string): void;
}

export interface TrainerOptions {
  /** Total optimizer steps; a resumed run continues up to this number. */
  steps: number;
  /** Micro-batches per optimizer step. */
  accumulation: number;
  /** Global gradient norm limit (0 disables clipping). */
  clipNorm: number;
  optimizer: AdamWOptions;
  schedule: ScheduleOptions;
  /** Seeds the per-step randomness (dropout). */
  seed: number;
  /** Parameters (by checkpoint name) that are not trained: fine-tuning with frozen layers. */
  frozen?: (name: string) => boolean;
  evalEvery: number;
  checkpointEvery: number;
  /** Step checkpoints kept besides the best one. */
  keepCheckpoints: number;
  /** Rewrites the loss plot every this many steps (and after each evaluation). */
  plotEvery: number;
  nanPolicy: NanPolicy;
  /** With policy "skip": stop after this many consecutive non-finite steps. */
  maxConsecutiveSkips: number;
  /** Model shape for the FLOP count behind `mfu` (a GLMConfig fits); without it mfu is NaN. */
  flopsShape?: FlopsShape;
  /** The active backend's measured matmul peak in FLOP/s (for MFU). */
  peakFlops?: number;
  /** Options passed to model.loss during training (e.g. dropout switches). */
  lossOptions?: Record<string, unknown>;
  /** Facts stored in checkpoints for the user (tokenizer, command line). */
  runInfo?: Record<string, unknown>;
}

export const DEFAULT_TRAINER_OPTIONS: Omit<TrainerOptions, "steps" | "schedule" | "optimizer"> = {
  accumulation: 1,
  clipNorm: 1.0,
  seed: 1234,
  evalEvery: 200,
  checkpointEvery: 200,
  keepCheckpoints: 2,
  plotEvery: 25,
  nanPolicy: "skip",
  maxConsecutiveSkips: 20,
};

/**
 * Throws InvalidOptionError (naming the option by its path, e.g. "schedule.peakLr") for options
 * the loop cannot run with. The Trainer calls it; front ends may call it first to fail before any
 * other work.
 */
export function validateTrainerOptions(o: TrainerOptions): void {
  const where = "Trainer";
  requireInteger(where, "steps", o.steps, 0);
  requireInteger(where, "accumulation", o.accumulation, 1);
  requireNumber(where, "clipNorm", o.clipNorm, { min: 0 });
  requireInteger(where, "seed", o.seed, -(2 ** 31), 2 ** 32 - 1);
  requireInteger(where, "evalEvery", o.evalEvery, 0);
  requireInteger(where, "checkpointEvery", o.checkpointEvery, 0);
  requireInteger(where, "keepCheckpoints", o.keepCheckpoints, 1);
  requireInteger(where, "plotEvery", o.plotEvery, 1);
  requireInteger(where, "maxConsecutiveSkips", o.maxConsecutiveSkips, 1);
  if (o.nanPolicy !== "skip" && o.nanPolicy !== "stop") throw new InvalidOptionError("nanPolicy", o.nanPolicy, 'must be "skip" or "stop"', where);
  if (o.peakFlops !== undefined) requireNumber(where, "peakFlops", o.peakFlops, { min: 0, lowOpen: true });
  validateSchedule(o.schedule, "schedule.", where);
  const optimizer = { ...GLM_ADAMW, ...o.optimizer };
  validateAdamWOptions(optimizer, "optimizer.", where);
  if (o.schedule.peakLr * optimizer.weightDecay >= 1) {
    throw new InvalidOptionError(
      "optimizer.weightDecay",
      optimizer.weightDecay,
      `must be < 1 / schedule.peakLr = ${1 / o.schedule.peakLr} (each update multiplies the weights by 1 − lr · weightDecay)`,
      where,
    );
  }
}
