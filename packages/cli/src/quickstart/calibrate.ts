// A time-bounded run still needs a step count up front: the learning-rate schedule decays over
// it. So the quickstart times a few training steps of a throwaway copy of the model on this
// machine and plans the steps the time allows (the time budget still stops the run if the
// machine slows down).
import { GLMModel } from "@glmjs/core";
import type { BatchIteratorState } from "@glmjs/data";
import { IteratorSource, MemoryStorage, Trainer, type PreparedPretraining, type TrainerOptions } from "@glmjs/train";

/** Steps timed; the first (warm-up: kernel set-up, first allocations) is left out of the mean. */
const TIMED_STEPS = 3;

/** Seconds one training step takes here: the mean of steps 2…3 of a throwaway model on other batches. */
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
  return (elapsed.at(-1)! - elapsed[0]!) / (elapsed.length - 1);
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
