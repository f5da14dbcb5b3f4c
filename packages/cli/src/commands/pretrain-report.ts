// What `glm pretrain` prints about evaluations and at the end (summary.json); the progress bar
// itself is run/progress.ts, shared with `glm finetune`.
import { summarizeRun, type EvalRow, type MetricsRow, type TrainResult, type TrainStorage } from "@glmjs/train";

export function evalLine(r: EvalRow): string {
  const base = r.unigram_loss !== undefined ? `, unigram ${r.unigram_loss.toFixed(3)}` : "";
  return `loss ${r.loss.toFixed(3)} ppl ${r.perplexity.toFixed(1)} blank acc ${(100 * r.accuracy).toFixed(1)}% over ${r.tokens} tokens${base}`;
}

export async function writeSummary(
  storage: TrainStorage,
  out: string,
  command: object,
  result: TrainResult,
  rows: readonly MetricsRow[],
  log: (l: string) => void,
): Promise<void> {
  const summary = summarizeRun(rows, result.step);
  await storage.writeTextAtomic("summary.json", JSON.stringify({ ...summary, reason: result.reason, best: result.best, command }, null, 2) + "\n");
  log(
    `final @ step ${result.step} (train loss, mean of the last ${summary.window} steps: ${summary.trainLoss.toFixed(3)}; median ${summary.medianTokensPerS.toFixed(0)} tokens/s):`,
  );
  for (const r of summary.final) log(`  ${r.split}: ${evalLine(r)}`);
  log(`run folder: ${out} (metrics.jsonl, loss.svg, checkpoints/, model/, summary.json)`);
}
