// Learning-rate schedule of the original GLM (`learning_rates.py`, AnnealingLR): linear warm-up,
// then cosine or linear decay towards a floor ratio of the peak.

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
  if (!(o.decaySteps > 0)) throw new Error(`schedule: decaySteps must be > 0 (got ${o.decaySteps})`);
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
