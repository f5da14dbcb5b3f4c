// Running a Trainer from a terminal: until it finishes, or Ctrl-C, a time budget or a closed
// stdout stops it (each after the current step, with a checkpoint). Shared by pretrain and finetune.
import type { TrainResult, Trainer } from "@glmjs/train";
import { EXIT_STDOUT_CLOSED, onStdoutClosed } from "../terminal/stdout.js";

export type StopCause = "SIGINT" | "budget" | "stdout";

export interface StoppedRun {
  result: TrainResult;
  by?: StopCause;
}

/**
 * Runs the trainer until it finishes or Ctrl-C, the time budget (minutes) or a closed stdout stops it (with a checkpoint).
 * `sigintMessage` is what the first Ctrl-C says happens next (the second quits at once).
 */
export async function trainUntilStopped(
  trainer: Trainer,
  timeBudgetMinutes: number | undefined,
  log: (l: string) => void,
  sigintMessage = "finishing this step, then saving a checkpoint",
): Promise<StoppedRun> {
  let by: StopCause | undefined;
  const stop = (cause: StopCause) => {
    if (by) return;
    by = cause;
    trainer.requestStop();
  };
  const onSigint = () => {
    if (by === "SIGINT") process.exit(130); // a second Ctrl-C: leave now
    log(`\nSIGINT: ${sigintMessage} (Ctrl-C again to quit at once)`);
    by = undefined;
    stop("SIGINT");
  };
  process.on("SIGINT", onSigint);
  const unsubscribe = onStdoutClosed(() => stop("stdout"));
  const budget = timeBudgetMinutes ? setTimeout(() => stop("budget"), timeBudgetMinutes * 60_000) : undefined;
  try {
    const result = await trainer.run();
    return { result, ...(result.reason === "interrupted" && by ? { by } : {}) };
  } finally {
    process.off("SIGINT", onSigint);
    unsubscribe();
    if (budget) clearTimeout(budget);
  }
}

/** The line that says how the run ended. */
export function resultLine({ result, by }: StoppedRun, timeBudgetMinutes?: number): string {
  if (by === "budget") return `time budget of ${timeBudgetMinutes} min reached at step ${result.step}; checkpoint saved`;
  if (by === "SIGINT") return `interrupted at step ${result.step}; checkpoint saved, continue with --resume`;
  if (result.reason === "completed") return `completed ${result.step} steps`;
  return result.message;
}

/** Reports a closed stdout on stderr (stdout is gone); otherwise logs resultLine. */
export function reportEnd(stopped: StoppedRun, timeBudgetMinutes: number | undefined, log: (l: string) => void): void {
  if (stopped.by === "stdout")
    process.stderr.write(`glm: standard output was closed: stopped at step ${stopped.result.step} with a checkpoint; continue with --resume\n`);
  else log(resultLine(stopped, timeBudgetMinutes));
}

/** Whether the run gets its final evaluation: an interrupted run skips it (Ctrl-C means "now"); a budget stop does not. */
export function evaluatesAtEnd({ result, by }: StoppedRun): boolean {
  return result.reason !== "interrupted" || by === "budget";
}

/** The process exit status: 130 after Ctrl-C, 141 after a closed stdout, 1 after non-finite losses. */
export function exitCode({ result, by }: StoppedRun): number {
  if (by === "SIGINT") return 130;
  if (by === "stdout") return EXIT_STDOUT_CLOSED;
  return result.reason === "non-finite" ? 1 : 0;
}
