// Main-thread side of batch prefetching: keeps up to `depth` batches requested ahead and
// hands them out in order, with the state after each one.
import { GlmjsError } from "@glmjs/common";
import type { BuiltBatch } from "../batch.js";
import type { BatchIterator, BatchIteratorState } from "./batch-iterator.js";
import type { FromWorker, PortLike, PrefetchSpec, ToWorker } from "./prefetch-protocol.js";

export interface PrefetchingBatchIterator extends BatchIterator {
  /** Stops the worker. */
  close(): Promise<void>;
}

export function createPrefetchClient(
  port: PortLike,
  subscribe: (onMessage: (m: FromWorker) => void, onError: (e: Error) => void) => void,
  spec: PrefetchSpec,
  depth: number,
  terminate: () => Promise<void>,
): PrefetchingBatchIterator {
  const queue: FromWorker[] = [];
  const waiters: ((m: FromWorker) => void)[] = [];
  let state: BatchIteratorState = spec.resumeFrom ?? {
    version: 1,
    packer: { nextDocument: 0, carryOffset: 0 },
    rng: { algorithm: "xoshiro128**", s: [0, 0, 0, 0] },
    batches: 0,
  };
  let initialState = !spec.resumeFrom;
  let finished: FromWorker | undefined;
  const deliver = (m: FromWorker): void => {
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  };
  subscribe(deliver, (e) => deliver({ type: "error", message: e.message }));
  const send = (m: ToWorker): void => port.postMessage(m);
  send({ type: "start", spec });
  send({ type: "more", count: depth });

  const iterator: PrefetchingBatchIterator = {
    async next(): Promise<BuiltBatch | undefined> {
      if (finished) return finishedResult(finished);
      const m = queue.shift() ?? (await new Promise<FromWorker>((resolve) => waiters.push(resolve)));
      if (m.type === "batch") {
        state = m.state;
        initialState = false;
        send({ type: "more", count: 1 });
        return m.batch;
      }
      finished = m;
      if (m.type === "end") {
        state = m.state;
        initialState = false;
      }
      return finishedResult(m);
    },
    state(): BatchIteratorState {
      if (initialState) throw new GlmjsError("STATE_UNAVAILABLE", "prefetching iterator: state() is known only after the first batch (or when resuming)");
      return state;
    },
    close: terminate,
    // Batches arrive in buffers of their own from the worker; nothing to reuse here.
    recycle(): void {},
    [Symbol.asyncIterator](): AsyncIterator<BuiltBatch> {
      return {
        next: async () => {
          const b = await iterator.next();
          return b ? { done: false, value: b } : { done: true, value: undefined };
        },
      };
    },
  };
  return iterator;
}

function finishedResult(m: FromWorker): undefined {
  if (m.type === "error") throw new GlmjsError("PREFETCH_FAILED", `prefetch worker failed: ${m.message}`);
  return undefined;
}
