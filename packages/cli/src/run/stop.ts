// Running a Trainer until it finishes or something stops it: Ctrl-C, a wall-clock budget, or a
// closed standard output. Each stop asks the trainer to finish the current step and checkpoint,
// so whatever stopped it, the run folder holds a loadable state. Shared by `glm pretrain` and
// `glm quickstart`.
import type { TrainResult, Trainer } from "@glmjs/train";
import { onStdoutClosed } from "../terminal/stdout.js";

export type StopCause = "SIGINT" | "budget" | "stdout";

export interface StopOptions {
  /** Stop after this many minutes of wall clock (with a checkpoint). */
  minutes?: number;
  log: (line: string) => void;
  /** What the first Ctrl-C says it does (the second quits at once). */
  sigintMessage?: string;
}

/** Runs the trainer until it finishes or Ctrl-C, the time budget or a closed stdout stops it. */
export async function trainUntilStopped(trainer: Trainer, o: StopOptions): Promise<{ result: TrainResult; by?: StopCause }> {
  let by: StopCause | undefined;
  const stop = (cause: StopCause) => {
    if (by) return;
    by = cause;
    trainer.requestStop();
  };
  const onSigint = () => {
    if (by === "SIGINT") process.exit(130); // a second Ctrl-C: leave now
    o.log(`\nSIGINT: ${o.sigintMessage ?? "finishing this step, then saving a checkpoint"} (Ctrl-C again to quit at once)`);
    by = undefined;
    stop("SIGINT");
  };
  process.on("SIGINT", onSigint);
  const unsubscribe = onStdoutClosed(() => stop("stdout"));
  const budget = o.minutes ? setTimeout(() => stop("budget"), o.minutes * 60_000) : undefined;
  try {
    const result = await trainer.run();
    return { result, ...(result.reason === "interrupted" && by ? { by } : {}) };
  } finally {
    process.off("SIGINT", onSigint);
    unsubscribe();
    if (budget) clearTimeout(budget);
  }
}
