// Options of the training loop, with the original GLM's defaults (GLM.md §6).
import type { AdamWOptions } from "../optimizer/adamw.js";
import type { ScheduleOptions } from "../optimizer/schedule.js";
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
