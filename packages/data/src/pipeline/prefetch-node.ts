// Batch prefetching in a Node worker thread, so that the training loop never waits for data.
// Produces exactly the batch sequence of createBatchIterator with the same options.
import { Worker } from "node:worker_threads";
import { createPrefetchClient, type PrefetchingBatchIterator } from "./prefetch-client.js";
import type { FromWorker, PrefetchSpec } from "./prefetch-protocol.js";

export interface NodePrefetchOptions {
  /** Batches requested ahead (default 4). */
  depth?: number;
  /** The worker script (default: prefetch-worker-node.js next to this file in dist/). */
  workerUrl?: URL;
}

export function createPrefetchingBatchIterator(spec: PrefetchSpec, options: NodePrefetchOptions = {}): PrefetchingBatchIterator {
  const worker = new Worker(options.workerUrl ?? new URL("./prefetch-worker-node.js", import.meta.url));
  worker.unref();
  return createPrefetchClient(
    worker,
    (onMessage, onError) => {
      worker.on("message", (m: FromWorker) => onMessage(m));
      worker.on("error", onError);
    },
    spec,
    options.depth ?? 4,
    async () => {
      await worker.terminate();
    },
  );
}
