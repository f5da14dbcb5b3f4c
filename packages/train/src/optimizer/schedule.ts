// Learning-rate schedule of the original GLM (`learning_rates.py`, AnnealingLR): linear warm-up,
// then cosine or linear decay towards a floor ratio of the peak.
import { InvalidOptionError, requireInteger, requireNumber } from "@glmjs/data";

export type DecayStyle = "cosine" | "linear" | "constant";

export interface ScheduleOptions {
  /** Peak learning rate reached at the end of warm-up. */
  peakLr: number;
  /** Steps over which the rate decays (`lr_decay_iters`; defaults to the number of training steps). */
  decaySteps: number;
  /** Warm-up length as a fraction of `decaySteps` (the original's `--warmup`). */
  warmupFraction: number;
  style: DecayStyle;
  /** The floor, as a fraction of the peak (the original's `--lr-decay-ratio`). */
  decayRatio: number;
}

/**
 * GLM-Base pretraining defaults (`config/ds_block_base.sh`): peak 4e-4, cosine decay to 5 % of
 * the peak, warm-up over 5 % of the decay steps.
 */
export const GLM_PRETRAIN_SCHEDULE: Omit<ScheduleOptions, "decaySteps"> = {
  peakLr: 4e-4,
  warmupFraction: 0.05,
  style: "cosine",
  decayRatio: 0.05,
};

/**
 * The learning rate for optimizer update number `step` (1-based: the first update is step 1,
 * so warm-up never spends an update at lr 0).
 */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  if (!(o.decaySteps > 0)) throw new InvalidOptionError("decaySteps", o.decaySteps, "must be > 0", "learningRateAt");
  const warmup = Math.round(o.warmupFraction * o.decaySteps);
  if (warmup > 0 && step <= warmup) return (o.peakLr * step) / warmup;
  if (o.style === "constant") return o.peakLr;
  const span = Math.max(1, o.decaySteps - warmup);
  const s = (step - warmup) / span;
  const r = o.decayRatio;
  if (o.style === "cosine") return o.peakLr * (r + ((1 - r) * (1 + Math.cos(Math.PI * Math.min(s, 1)))) / 2);
  // Linear: the original does not clamp; we floor at r·peak so a run continued past
  // decaySteps (e.g. by --resume with more steps) never reaches a negative rate.
  return o.peakLr * Math.max(r, 1 - (1 - r) * s);
}

const DECAY_STYLES: readonly DecayStyle[] = ["cosine", "linear", "constant"];

/**
 * Throws InvalidOptionError for a schedule that cannot train: a peak that is not positive, a
 * warm-up or floor outside [0, 1] (a floor above the peak would make the "decay" a rise), a decay
 * over less than one step. `prefix` is put before option names ("schedule." inside TrainerOptions).
 */
export function validateSchedule(o: ScheduleOptions, prefix = "", where = "schedule"): void {
  requireNumber(where, `${prefix}peakLr`, o.peakLr, { min: 0, lowOpen: true });
  requireInteger(where, `${prefix}decaySteps`, o.decaySteps, 1);
  requireNumber(where, `${prefix}warmupFraction`, o.warmupFraction, { min: 0, max: 1 });
  requireNumber(where, `${prefix}decayRatio`, o.decayRatio, { min: 0, max: 1 });
  if (!DECAY_STYLES.includes(o.style)) throw new InvalidOptionError(`${prefix}style`, o.style, `must be one of ${DECAY_STYLES.join(", ")}`, where);
}
