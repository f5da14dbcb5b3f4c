// A time-bounded run still needs a step count up front: the learning-rate schedule decays over
// it. So the quickstart times a few training steps of a throwaway copy of the model on this
// machine and plans the steps the time allows (the time budget still stops the run if the
// machine slows down).
import { GLMModel } from "@glmjs/core";
import type { BatchIteratorState } from "@glmjs/data";
import { IteratorSource, MemoryStorage, Trainer, type PreparedPretraining, type TrainerOptions } from "@glmjs/train";

/**
 * Steps timed. The first steps of a process are slower than its steady pace (kernel set-up, the
 * JavaScript engine's heap growing and its compilers warming up, for longer than a dozen steps):
 * planned from the mean of steps 2–3, a 4-minute run planned 0.37 s a step, ran at 0.23 s and
 * finished in 2:41. So the warm-up is left out and the faster steps decide: a plan somewhat too
 * long is cut by the clock where the cosine schedule's learning rate is already near its floor,
 * one too short leaves minutes unused.
 */
const TIMED_STEPS = 16;
/** Steps left out of the estimate. */
const WARM_UP_STEPS = 4;

/**
 * Seconds a step takes once warm, from the cumulative elapsed seconds after each step: the lower
 * quartile of the step times after the first `WARM_UP_STEPS` (of all of them if there are too few).
 */
export function steadyStepSeconds(elapsed: readonly number[]): number {
  const times = elapsed.map((t, i) => t - (i === 0 ? 0 : elapsed[i - 1]!));
  const steady = times.length > WARM_UP_STEPS + 1 ? times.slice(WARM_UP_STEPS) : times;
  const sorted = [...steady].sort((x, y) => x - y);
  return sorted[Math.floor((sorted.length - 1) / 4)]!;
}

/** Seconds one training step takes here, once warm: 16 steps of a throwaway model on other batches. */
export async function measureStepSeconds(prepared: PreparedPretraining, seed: number, options: TrainerOptions): Promise<number> {
  const model = GLMModel.fromConfig(prepared.config, { seed });
  const elapsed: number[] = [];
  const trainer = new Trainer(
    model,
    new IteratorSource<BatchIteratorState>((from) => prepared.trainBatches(from, seed + 3)),
    [],
    new MemoryStorage(),
    { ...options, steps: TIMED_STEPS, evalEvery: 0, checkpointEvery: 0 },
    { onStep: (row) => elapsed.push(row.elapsed_s) },
  );
  try {
    await trainer.run();
  } finally {
    trainer.dispose();
    model.dispose();
  }
  return steadyStepSeconds(elapsed);
}

/**
 * The steps that fit in `budgetSeconds` at `stepSeconds` each, leaving time for `evaluations` + 1
 * held-out evaluations (8 batches each, a forward pass costing about a third of a training step)
 * and a small margin; at least 10.
 */
export function plannedSteps(budgetSeconds: number, stepSeconds: number, evaluations: number): number {
  const evaluationSteps = ((evaluations + 1) * 8) / 3;
  return Math.max(10, Math.floor(0.97 * (budgetSeconds / stepSeconds - evaluationSteps)));
}
