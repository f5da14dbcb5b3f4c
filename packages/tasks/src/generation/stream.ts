// An async iterator of events with the final result beside it. The run starts at once (it does
// not wait for the consumer); events queue until read. After each event the run resumes in a new
// task of the event loop, so a page draws the tokens as they come and a click or key that aborts
// the run is handled at once, also on backends whose steps never wait (wasm, cpu). Leaving a `for await` early stops the run
// (its tensors are freed) and `result` then rejects with an AbortError.
import { abortError } from "../decoding/options.js";
import { nextTask } from "./next-task.js";

export interface EventStream<E, R> extends AsyncIterable<E> {
  /** Resolves with the final result once every event has been produced; rejects on error or abort. */
  readonly result: Promise<R>;
}

/** Drives `run` to completion, calling `onEvent` for every event and queueing it for iteration. */
export function eventStream<E, R>(run: AsyncGenerator<E, R>, onEvent?: (event: E) => void): EventStream<E, R> {
  const queue: E[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let stopped = false;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  const result = (async () => {
    try {
      for (;;) {
        if (stopped) {
          await run.return(undefined as R);
          throw abortError();
        }
        const next = await run.next();
        if (next.done) return next.value;
        onEvent?.(next.value);
        queue.push(next.value);
        notify();
        await nextTask();
      }
    } catch (error) {
      failure = { error };
      // A throwing onEvent leaves the run suspended: close it so its tensors are freed.
      await run.return(undefined as R).catch(() => undefined);
      throw error;
    } finally {
      finished = true;
      notify();
    }
  })();
  // The error also reaches whoever iterates; a caller that only iterates must not see an unhandled rejection.
  result.catch(() => undefined);

  return {
    result,
    [Symbol.asyncIterator](): AsyncIterator<E> {
      return {
        async next(): Promise<IteratorResult<E>> {
          for (;;) {
            if (queue.length > 0) return { value: queue.shift()!, done: false };
            if (failure) throw failure.error;
            if (finished || stopped) return { value: undefined, done: true };
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
        async return(): Promise<IteratorResult<E>> {
          if (!finished) stopped = true;
          return { value: undefined, done: true };
        },
      };
    },
  };
}

/** Runs `run` to the end, calling `onEvent` for every event; returns its result. */
export async function drain<E, R>(run: AsyncGenerator<E, R>, onEvent?: (event: E) => void): Promise<R> {
  try {
    for (;;) {
      const next = await run.next();
      if (next.done) return next.value;
      onEvent?.(next.value);
    }
  } catch (error) {
    await run.return(undefined as R).catch(() => undefined);
    throw error;
  }
}
