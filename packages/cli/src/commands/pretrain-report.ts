// What `glm pretrain` prints while it trains and at the end: the progress bar (on a terminal) or
// one line per step, evaluation lines, and summary.json.
import { summarizeRun, type EvalRow, type MetricsRow, type TrainResult, type TrainRow, type TrainStorage } from "@glmjs/train";
import { Presets, SingleBar } from "cli-progress";

export function progressCallbacks(steps: number, logEvery: number, log: (l: string) => void) {
  const fmt = (r: TrainRow) =>
    `loss ${r.loss.toFixed(4)} lr ${r.lr.toExponential(2)} gnorm ${r.grad_norm.toFixed(2)} ` +
    `${r.tokens_per_s.toFixed(0)} tok/s MFU ${(100 * r.mfu).toFixed(1)}% tensors ${r.num_tensors} ${(r.memory_bytes / 2 ** 20).toFixed(0)} MiB`;
  const bar = process.stderr.isTTY ? new SingleBar({ format: "{bar} {value}/{total} {info}", hideCursor: true, stream: process.stderr }, Presets.shades_classic) : undefined;
  let started = false;
  return {
    onStep: (r: TrainRow) => {
      if (bar) {
        if (!started) bar.start(steps, r.step - 1, { info: "" });
        started = true;
        bar.update(r.step, { info: fmt(r) });
      } else if (r.step % logEvery === 0) log(`step ${r.step}/${steps} ${fmt(r)}${r.skipped ? " (skipped)" : ""}`);
    },
    onEval: (r: EvalRow) => log(`${bar ? "\n" : ""}eval ${r.split} @ ${r.step}: ${evalLine(r)}`),
    onMessage: (m: string) => log(m),
    stop: () => bar?.stop(),
  };
}

export function evalLine(r: EvalRow): string {
  const base = r.unigram_loss !== undefined ? `, unigram ${r.unigram_loss.toFixed(3)}` : "";
  return `loss ${r.loss.toFixed(3)} ppl ${r.perplexity.toFixed(1)} blank acc ${(100 * r.accuracy).toFixed(1)}% over ${r.tokens} tokens${base}`;
}

export async function writeSummary(storage: TrainStorage, out: string, command: object, result: TrainResult, rows: readonly MetricsRow[], log: (l: string) => void): Promise<void> {
  const summary = summarizeRun(rows, result.step);
  await storage.writeTextAtomic("summary.json", JSON.stringify({ ...summary, reason: result.reason, best: result.best, command }, null, 2) + "\n");
  log(`final @ step ${result.step} (train loss, mean of the last ${summary.window} steps: ${summary.trainLoss.toFixed(3)}; median ${summary.medianTokensPerS.toFixed(0)} tokens/s):`);
  for (const r of summary.final) log(`  ${r.split}: ${evalLine(r)}`);
  log(`run folder: ${out} (metrics.jsonl, loss.svg, checkpoints/, model/, summary.json)`);
}
