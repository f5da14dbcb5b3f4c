// What a training command prints while it trains: a progress bar on stderr (loss, tokens/s, ETA)
// when stderr is a terminal, else one line per `logEvery` steps; evaluation lines either way.
import type { EvalRow, TrainRow } from "@glmjs/train";
import { Presets, SingleBar } from "cli-progress";

export interface TrainProgressOptions {
  steps: number;
  logEvery: number;
  log: (line: string) => void;
  /** One evaluation row as text (after "eval <split> @ <step>: "). */
  evalLine: (row: EvalRow) => string;
  /** Show MFU (pretraining knows the model's FLOPs; fine-tuning does not count them). */
  mfu?: boolean;
}

export interface TrainProgress {
  onStep(row: TrainRow): void;
  onEval(row: EvalRow): void;
  onMessage(message: string): void;
  stop(): void;
}

export function trainProgress(o: TrainProgressOptions): TrainProgress {
  const fmt = (r: TrainRow) =>
    `loss ${r.loss.toFixed(4)} lr ${r.lr.toExponential(2)} gnorm ${r.grad_norm.toFixed(2)} ${r.tokens_per_s.toFixed(0)} tok/s` +
    (o.mfu && Number.isFinite(r.mfu) ? ` MFU ${(100 * r.mfu).toFixed(1)}%` : "") +
    ` tensors ${r.num_tensors} ${(r.memory_bytes / 2 ** 20).toFixed(0)} MiB`;
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: "{bar} {value}/{total} ETA {eta_formatted} {info}", hideCursor: true, stream: process.stderr, etaBuffer: 20 },
        Presets.shades_classic,
      )
    : undefined;
  let started = false;
  // ETA of the plain lines: from the steps this process has run (a resumed run starts late).
  let first: { step: number; time: number } | undefined;
  const eta = (step: number): string => {
    const now = performance.now();
    if (!first) first = { step: step - 1, time: now - 1 };
    const perStep = (now - first.time) / Math.max(1, step - first.step);
    return formatDuration(((o.steps - step) * perStep) / 1000);
  };
  return {
    onStep: (r) => {
      if (bar) {
        if (!started) bar.start(o.steps, r.step - 1, { info: "" });
        started = true;
        bar.update(r.step, { info: fmt(r) });
        return;
      }
      const remaining = eta(r.step);
      if (r.step % o.logEvery === 0) o.log(`step ${r.step}/${o.steps} ${fmt(r)} ETA ${remaining}${r.skipped ? " (skipped)" : ""}`);
    },
    onEval: (r) => o.log(`${bar ? "\n" : ""}eval ${r.split} @ ${r.step}: ${o.evalLine(r)}`),
    onMessage: (m) => o.log(m),
    stop: () => bar?.stop(),
  };
}

/** "1h 02m", "3m 07s", "12s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${s}s`;
}
