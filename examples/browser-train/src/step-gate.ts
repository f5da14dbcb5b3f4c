// The point between two training steps where the page's requests reach the model. tfjs on WASM
// never waits inside a step, so the worker would not read its messages until training ended: the
// gate resumes in a new task before every step (the messages arrive), runs the queued jobs (fill a
// blank, export the weights) on the weights as they are, and holds the loop while paused.
import type { BatchSource } from "@glmjs/train";

export class StepGate {
  private jobs: (() => Promise<void>)[] = [];
  private paused = false;
  private wake: (() => void) | undefined;
  /** While false (before or after training) a job runs at once. */
  training = false;

  /** Runs `job` between two steps (at once when not training); resolves with its result. */
  submit<T>(job: () => Promise<T>): Promise<T> {
    if (!this.training) return job();
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => job().then(resolve, reject));
      this.notify();
    });
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.notify();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Called before every step: messages, queued jobs, and the pause. */
  async between(): Promise<void> {
    await nextTask();
    for (;;) {
      while (this.jobs.length > 0) await this.jobs.shift()!();
      if (!this.paused) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Training is over: run what is left. */
  async finish(): Promise<void> {
    this.training = false;
    this.paused = false;
    while (this.jobs.length > 0) await this.jobs.shift()!();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

/** A batch source that passes through the gate before each batch. */
export function gatedSource(inner: BatchSource, gate: StepGate): BatchSource {
  return {
    next: async () => {
      await gate.between();
      return inner.next();
    },
    state: () => inner.state(),
    restore: (state) => inner.restore(state),
  };
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
