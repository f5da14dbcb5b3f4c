// What a finished (or stopped) run amounts to, from its metrics rows: the evaluation at the last
// step per held-out split, the recent training loss and the typical speed.
import { isEvalRow, type EvalRow, type MetricsRow, type TrainRow } from "../metrics/metrics-log.js";

export interface RunSummary {
  step: number;
  /** Mean training loss over the last `window` non-skipped steps. */
  trainLoss: number;
  window: number;
  medianTokensPerS: number;
  elapsedS: number;
  /** The evaluation rows logged at `step` (one per split). */
  final: EvalRow[];
}

export function summarizeRun(rows: readonly MetricsRow[], step: number, window = 20): RunSummary {
  const train = rows.filter((r): r is TrainRow => !isEvalRow(r) && !r.skipped && Number.isFinite(r.loss));
  const tail = train.slice(-window);
  const speeds = train.map((r) => r.tokens_per_s).sort((a, b) => a - b);
  return {
    step,
    trainLoss: tail.reduce((s, r) => s + r.loss, 0) / Math.max(1, tail.length),
    window: tail.length,
    medianTokensPerS: speeds.length ? speeds[Math.floor(speeds.length / 2)]! : NaN,
    elapsedS: train.at(-1)?.elapsed_s ?? 0,
    final: rows.filter((r): r is EvalRow => isEvalRow(r) && r.step === step),
  };
}
