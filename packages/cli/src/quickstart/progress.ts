// Progress of a time-bounded run: on a terminal a bar over the time budget with step, loss,
// tokens/s and the time left; otherwise a plain line every `every` seconds. Held-out evaluations
// get a line of their own either way.
import type { EvalRow, TrainRow, TrainerCallbacks } from "@glmjs/train";
import { Presets, SingleBar } from "cli-progress";

/** m:ss */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export interface TimedProgress extends TrainerCallbacks {
  stop(): void;
}

export function timedProgress(budgetSeconds: number, log: (line: string) => void, options: { tty?: boolean; every?: number } = {}): TimedProgress {
  const tty = options.tty ?? process.stderr.isTTY === true;
  const every = options.every ?? 15;
  const bar = tty
    ? new SingleBar(
        { format: "{bar} {clock} | step {step} | loss {loss} | {speed} tok/s | {left} left", hideCursor: true, stream: process.stderr },
        Presets.shades_classic,
      )
    : undefined;
  const start = performance.now();
  let started = false;
  let lastLine = -Infinity;
  let lossAverage = NaN;
  const fields = (r: TrainRow, elapsed: number) => ({
    clock: `${clock(elapsed)}/${clock(budgetSeconds)}`,
    step: r.step,
    // An exponential average: single batches' losses jump with what they hold.
    loss: lossAverage.toFixed(3),
    speed: Math.round(r.tokens_per_s).toLocaleString("en-US"),
    left: clock(budgetSeconds - elapsed),
  });
  return {
    onStep: (r) => {
      if (Number.isFinite(r.loss)) lossAverage = Number.isNaN(lossAverage) ? r.loss : 0.9 * lossAverage + 0.1 * r.loss;
      const elapsed = (performance.now() - start) / 1000;
      const f = fields(r, elapsed);
      if (bar) {
        if (!started) bar.start(budgetSeconds, 0, f);
        started = true;
        bar.update(Math.min(budgetSeconds, elapsed), f);
      } else if (elapsed - lastLine >= every) {
        lastLine = elapsed;
        log(`${f.clock} step ${f.step}: loss ${f.loss} (running mean), ${f.speed} tokens/s, ${f.left} left`);
      }
    },
    onEval: (r: EvalRow) => log(`${bar && started ? "\n" : ""}${evalLine(r)}`),
    onMessage: (m: string) => log(m),
    stop: () => bar?.stop(),
  };
}

/** Progress of a run of a fixed number of steps (--steps): a step bar, or a line every `every` steps. */
export function steppedProgress(steps: number, log: (line: string) => void, options: { tty?: boolean; every?: number } = {}): TimedProgress {
  const tty = options.tty ?? process.stderr.isTTY === true;
  const every = options.every ?? Math.max(1, Math.round(steps / 20));
  const bar = tty
    ? new SingleBar(
        { format: "{bar} step {value}/{total} | loss {loss} | {speed} tok/s | ETA {eta_formatted}", hideCursor: true, stream: process.stderr },
        Presets.shades_classic,
      )
    : undefined;
  let started = false;
  let lossAverage = NaN;
  return {
    onStep: (r) => {
      if (Number.isFinite(r.loss)) lossAverage = Number.isNaN(lossAverage) ? r.loss : 0.9 * lossAverage + 0.1 * r.loss;
      const f = { loss: lossAverage.toFixed(3), speed: Math.round(r.tokens_per_s).toLocaleString("en-US") };
      if (bar) {
        if (!started) bar.start(steps, r.step - 1, f);
        started = true;
        bar.update(r.step, f);
      } else if (r.step % every === 0 || r.step === steps)
        log(`step ${r.step}/${steps}: loss ${f.loss} (running mean), ${f.speed} tokens/s, ${clock(r.elapsed_s)} so far`);
    },
    onEval: (r: EvalRow) => log(`${bar && started ? "\n" : ""}${evalLine(r)}`),
    onMessage: (m: string) => log(m),
    stop: () => bar?.stop(),
  };
}

function evalLine(r: EvalRow): string {
  return `held-out @ step ${r.step}: loss ${r.loss.toFixed(3)}${r.unigram_loss !== undefined ? ` (unigram baseline ${r.unigram_loss.toFixed(3)})` : ""}, blank accuracy ${(100 * r.accuracy).toFixed(1)}%`;
}
